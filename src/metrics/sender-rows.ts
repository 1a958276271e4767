/**
 * The JSON answer's every-sender rows (people.ts `everySender`) from its cursor's rows: each
 * person's summed columns, their facts' maps (as JSON text) merged, their directory row, as one
 * page of the answer's text. Run on a thread of its own (sender-rows-worker.mjs,
 * sender-rows-thread.ts) so that parsing, merging and printing a page overlaps the main thread's
 * reading the next one from the store and writing the last one out; it loads nothing but the
 * row's rules (user-row.ts) and the answer's text form (rows-json.ts).
 */
import { rowsPage, type RowsPage } from '../core/rows-json.ts';
import { detailOf, identityOf, mergeMaps, userRow, type CountMap, type Detail, type Identity } from './user-row.ts';

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

/** A row of everySender's statement, its SENDER_COLUMNS by name. */
interface SenderRow extends Detail, Partial<Omit<Identity, 'last_day_active'>> {
  directory_last_day_active: string | null;
  rk: number;
}

/** The person's facts' model, GPT, tool and project maps, a list per kind: `[[m,m…],[g,g…],[t,t…],[p,p…]]`. */
type KindLists = [Array<CountMap | null>, Array<CountMap | null>, Array<CountMap | null>, Array<CountMap | null>];

/** A page of the statement's rows (their text) as the answer's rows, `senders` being every sender's count. */
export function senderRowsPage(rows: readonly string[], senders: number, groupNames: Map<string, string>): RowsPage {
  return rowsPage(
    rows.map((text) => {
      const [values, [model, gpt, tool, project]] = JSON.parse(text) as [unknown[], KindLists];
      const r: Record<string, unknown> = {};
      for (let i = 0; i < SENDER_COLUMNS.length; i++) r[SENDER_COLUMNS[i]!] = values[i];
      const row = r as unknown as SenderRow;
      const messages = Number(row.messages);
      const ranked = { public_id: row.public_id, messages, rk: Number(row.rk), senders };
      const maps = { model: mergeMaps(model), gpt: mergeMaps(gpt), tool: mergeMaps(tool), project: mergeMaps(project) };
      return userRow(ranked, detailOf(row, messages), maps, row.account_key == null ? undefined : identityOf(row), groupNames);
    }),
  );
}
