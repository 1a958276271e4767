/**
 * The JSON answer's every-sender rows (people.ts `everySender`) from its cursor's rows: each
 * person's summed columns, their facts' maps (as JSON text) merged, their directory row, as one
 * page of the answer's text. Run on a thread of its own (sender-rows-worker.mjs,
 * sender-rows-thread.ts) so that parsing, merging and printing a page overlaps the main thread's
 * reading the next one from the store and writing the last one out; it loads nothing but the
 * row's rules (user-row.ts) and the answer's text form (rows-json.ts).
 */
import { rowsPage, type RowsPage } from '../core/rows-json.ts';
import { detailOf, identityOf, mergeMaps, userRow, type CountMap } from './user-row.ts';

/**
 * The columns of everySender's statement but the maps, in the order its one text column lists
 * them: each row comes as the text of a JSON array `[[column…], maps]`, so the main thread's
 * driver decodes one text per row and hands the thread strings, far cheaper to copy across than
 * rows of objects.
 */
export const SENDER_COLUMNS = [
  'public_id',
  'first_day',
  'last_day',
  'messages',
  'gpt_messages',
  'tool_messages',
  'project_messages',
  'projects_created',
  'credits_used',
  'last_day_active',
  'rk',
  'account_key',
  'name',
  'email',
  'role',
  'user_role',
  'department',
  'group_ids',
  'user_status',
  'created_or_invited_date',
  'directory_last_day_active',
] as const;

/** A row of everySender's statement parsed: SENDER_COLUMNS' values in their order, then the maps. */
type SenderRowValues = [
  [
    public_id: string,
    first_day: string | null,
    last_day: string | null,
    messages: number,
    gpt_messages: number,
    tool_messages: number,
    project_messages: number,
    projects_created: number,
    credits_used: number | null,
    last_day_active: string | null,
    rk: number,
    account_key: string | null,
    name: string | null,
    email: string | null,
    role: string | null,
    user_role: string | null,
    department: unknown,
    group_ids: string[] | null,
    user_status: string | null,
    created_or_invited_date: string | null,
    directory_last_day_active: string | null,
  ],
  KindLists,
];

/** The person's facts' model, GPT, tool and project maps, a list per kind: `[[m,m…],[g,g…],[t,t…],[p,p…]]`. */
type KindLists = [Array<CountMap | null>, Array<CountMap | null>, Array<CountMap | null>, Array<CountMap | null>];

/** A page of the statement's rows (their text) as the answer's rows, `senders` being every sender's count. */
export function senderRowsPage(rows: readonly string[], senders: number, groupNames: Map<string, string>): RowsPage {
  return rowsPage(
    rows.map((text) => {
      // Taken by position rather than named through SENDER_COLUMNS: objects built key by key from a
      // list cost the thread noticeably more, for 75k rows.
      const [
        [
          public_id,
          first_day,
          last_day,
          messages,
          gpt_messages,
          tool_messages,
          project_messages,
          projects_created,
          credits_used,
          last_day_active,
          rk,
          account_key,
          name,
          email,
          role,
          user_role,
          department,
          group_ids,
          user_status,
          created_or_invited_date,
          directory_last_day_active,
        ],
        [model, gpt, tool, project],
      ] = JSON.parse(text) as SenderRowValues;
      const total = Number(messages);
      const detail = { public_id, first_day, last_day, messages: total, gpt_messages, tool_messages, project_messages, projects_created, credits_used, last_day_active };
      const who =
        account_key == null
          ? undefined
          : identityOf({ account_key, name, email, role, user_role, department, group_ids: group_ids ?? [], user_status: user_status!, created_or_invited_date, directory_last_day_active });
      const maps = { model: mergeMaps(model), gpt: mergeMaps(gpt), tool: mergeMaps(tool), project: mergeMaps(project) };
      return userRow({ public_id, messages: total, rk: Number(rk), senders }, detailOf(detail, total), maps, who, groupNames);
    }),
  );
}
