/**
 * The Users report's rows for one block of an export (docs/design.md §4.1, §7 "Exports"):
 * - a block that is an imported report is given back value for value — its directory snapshot in
 *   file order (pending invites included), its facts, the group names of that snapshot;
 * - any other block is computed from the facts that tile it (the covering rule of §5): counts,
 *   credits and maps summed, the distinct counts (`gpts_messaged`, `tools_messaged`,
 *   `projects_messaged`) as the keys of the summed maps, first and last active days as the
 *   earliest and latest, `messages_rank` by messages then `public_id` (byte order), identity as of
 *   the block's end, and `last_day_active` the latest active day up to that end.
 */
import { sql, type RawBuilder } from 'kysely';
import { jsonList, pyStrDict, safeCsvCells } from '../core/csv.ts';
import type { FactPart } from '../metrics/coverage.ts';
import { countMapCell } from './count-map-cell.ts';
import { parseTextArray } from './text-array.ts';

/**
 * One row as the queries give it: identity from the snapshot (written by the process: these cells
 * are people's own text, neutralised and quoted there) and the usage cells in one text (below).
 * Few columns on purpose: the driver's cost is mostly per column (a string and a property each),
 * about a third of a second per ten columns of a 100k-row export.
 */
export interface UsersRow {
  public_id: string | null;
  name: string | null;
  email: string | null;
  role: string | null;
  user_role: string | null;
  /** As the database prints them (jsonb, text[]): their cells are written once per distinct value. */
  department: string | null;
  group_ids: string | null;
  user_status: string | null;
  created_or_invited_date: string | null;
  /** Null without a fact. */
  credits_used: string | null;
  /**
   * Without a fact (a pending invite, an inactive account): the usage cells `is_active` …
   * `last_day_active` as CSV. With one: the parts of USAGE set off by U+001F — CSV of
   * counts, days and ranks (they never start like a formula nor hold a comma), each map's jsonb
   * text (jsonb prints every control character escaped, so it never holds U+001F), each distinct
   * count ('' when not stored: its map's number of keys).
   */
  usage: string;
}

/** What sets off the parts of a row's usage with a fact. */
const PART = '\x1f';

const IDENTITY = sql`a.public_id as account_public_id, a.name, a.email, a.role, a.user_role, a.department, a.group_ids,
  a.user_status, a.created_or_invited_date`;

const text = (column: string) => `coalesce(q.${column}::text, '')`;

/**
 * The usage of a row `q`: an account with no fact is a pending invite (every cell blank) or
 * inactive (zero counts, blank days, rank and maps, its last active day); a row with a fact gives
 * `is_active` … `messages_rank`, the models map, then `*_messages`, `*_messaged` and the map of
 * GPTs, tools and projects, then `projects_created`, `last_day_active`, set off by U+001F.
 */
const USAGE = sql.raw(`case
  when not q.has_fact and q.user_status = 'pending' then '${','.repeat(16)}'
  when not q.has_fact then '0,,,0,,,0,0,,0,0,,0,0,,0,' || ${text('last_day_active')}
  else concat_ws(chr(31),
    concat_ws(',',
      case when coalesce(q.is_active, coalesce(q.messages, 0) > 0) then '1' else '0' end,
      ${text('first_day')}, ${text('last_day')}, coalesce(q.messages, 0)::text, ${text('messages_rank')}),
    ${text('models')},
    ${text('gpt_messages')}, ${text('gpts_messaged')}, ${text('gpts')},
    ${text('tool_messages')}, ${text('tools_messaged')}, ${text('tools')},
    ${text('project_messages')}, ${text('projects_messaged')}, ${text('projects')},
    ${text('projects_created')} || ',' || ${text('last_day_active')})
end`);

/**
 * The rows of `inner` — carrying the maps as jsonb `models`, `gpts`, `tools`, `projects` and its
 * order as `sort_position` (nulls last), then `public_id` in byte order — with their usage. The
 * order is this statement's own ORDER BY, not a subquery's.
 */
function withUsageCells(inner: RawBuilder<unknown>): RawBuilder<UsersRow> {
  return sql<UsersRow>`
    select q.public_id, q.name, q.email, q.role, q.user_role, q.department::text as department,
      q.group_ids::text as group_ids, q.user_status, q.created_or_invited_date,
      case when q.has_fact then q.credits_used end as credits_used, ${USAGE} as usage
    from (${inner}) q
    order by q.sort_position nulls last, q.public_id collate "C"`;
}

/** The rows of an imported Users report, in its file's order. */
export function importedUsersQuery(grain: string, periodStart: string, snapshotId: number): RawBuilder<UsersRow> {
  return withUsageCells(sql`
    select ${IDENTITY}, coalesce(a.public_id, f.public_id) as public_id, f.public_id is not null as has_fact,

      f.is_active, f.first_day_active_in_period as first_day, f.last_day_active_in_period as last_day,
      f.messages, f.messages_rank, f.gpt_messages, f.gpts_messaged, f.tool_messages, f.tools_messaged,
      f.project_messages, f.projects_messaged, f.projects_created, a.last_day_active,
      f.credits_used::text as credits_used,
      f.model_to_messages as models, f.gpt_to_messages as gpts, f.tool_to_messages as tools, f.project_to_messages as projects,
      a.position as sort_position
    from directory_accounts a
    left join user_facts f on f.grain = ${grain} and f.period_start = ${periodStart} and f.public_id = a.public_id
    where a.snapshot_id = ${snapshotId}`);
}

/** The maps of a jsonb array of count maps summed into one (null when none has an entry). */
function summedMapSql(maps: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`(select jsonb_object_agg(s.key, s.total) from (select e.key, sum(e.value::numeric) as total
    from jsonb_array_elements(${maps}) m, jsonb_each_text(m.value) e group by e.key) s)`;
}

/** Facts of the parts that tile a block. */
export function partsFilter(parts: readonly FactPart[], alias = 'f'): RawBuilder<boolean> {
  const t = sql.ref(alias);
  return sql<boolean>`(${sql.join(
    parts.map((p) => sql`(${t}.grain = ${p.grain} and ${t}.period_start between ${p.from} and ${p.to})`),
    sql` or `,
  )})`;
}

export interface ComputedUsers {
  readonly parts: readonly FactPart[];
  /** The directory as of the block's end; null when the store has none. */
  readonly snapshotId: number | null;
  /** The last day counted (the covered part's end). */
  readonly through: string;
  /** Event-fed: `last_day_active` is looked up in the day facts before the block. */
  readonly events: boolean;
}

/** The rows of a block computed from the facts: the directory's accounts first, in its order. */
export function computedUsersQuery(c: ComputedUsers): RawBuilder<UsersRow> {
  const prior = c.events
    ? sql`prior as (
        select public_id, max(period_start) as day from user_facts
        where grain = 'day' and period_start <= ${c.through} and messages > 0 group by public_id)`
    : sql`prior as (select null::text as public_id, null::date as day where false)`;
  const accounts =
    c.snapshotId === null
      ? sql`(select * from directory_accounts where false)`
      : sql`(select * from directory_accounts where snapshot_id = ${c.snapshotId})`;
  return withUsageCells(sql`
    with summed as (
      select f.public_id,
        min(f.first_day_active_in_period) as first_day, max(f.last_day_active_in_period) as last_day,
        sum(f.messages)::int as messages, sum(f.gpt_messages)::int as gpt_messages,
        sum(f.tool_messages)::int as tool_messages, sum(f.project_messages)::int as project_messages,
        sum(f.projects_created)::int as projects_created, sum(f.credits_used)::text as credits_used,
        max(f.last_day_active) as last_day_active,
        jsonb_agg(f.model_to_messages) filter (where f.model_to_messages is not null) as models,
        jsonb_agg(f.gpt_to_messages) filter (where f.gpt_to_messages is not null) as gpts,
        jsonb_agg(f.tool_to_messages) filter (where f.tool_to_messages is not null) as tools,
        jsonb_agg(f.project_to_messages) filter (where f.project_to_messages is not null) as projects
      from user_facts f
      where ${partsFilter(c.parts)}
      group by f.public_id
    ), ranked as (
      select s.public_id, s.first_day, s.last_day, s.messages, s.gpt_messages, s.tool_messages, s.project_messages,
        s.projects_created, s.credits_used, s.last_day_active,
        ${summedMapSql(sql.ref('s.models'))} as models, ${summedMapSql(sql.ref('s.gpts'))} as gpts,
        ${summedMapSql(sql.ref('s.tools'))} as tools, ${summedMapSql(sql.ref('s.projects'))} as projects,
        case when s.messages > 0
          then row_number() over (order by s.messages desc, s.public_id collate "C") end as messages_rank
      from summed s
    ), ${prior}
    select ${IDENTITY}, coalesce(a.public_id, r.public_id) as public_id, r.public_id is not null as has_fact,
      null::boolean as is_active, r.first_day, r.last_day, r.messages, r.messages_rank,
      r.gpt_messages, null::int as gpts_messaged, r.tool_messages, null::int as tools_messaged,
      r.project_messages, null::int as projects_messaged, r.projects_created,
      greatest(r.last_day_active, a.last_day_active, p.day) as last_day_active, r.credits_used,
      r.models, r.gpts, r.tools, r.projects, a.position as sort_position
    from ${accounts} a
    full join ranked r on r.public_id = a.public_id
    left join prior p on p.public_id = coalesce(a.public_id, r.public_id)`);
}

/**
 * Distinct `groups` or `department` values remembered per block; past this many, the memory starts
 * over. 10,000 cost 10 MB more peak memory on the 100k benchmark week (13k distinct group lists)
 * and no less CPU.
 */
const REMEMBERED_CELLS = 1_000;

/** `cell(text)` once per distinct text: a workspace's people share a few group lists and departments. */
function remembered(cell: (text: string) => string): (text: string) => string {
  const cells = new Map<string, string>();
  return (text) => {
    let out = cells.get(text);
    if (out === undefined) {
      if (cells.size >= REMEMBERED_CELLS) cells.clear();
      out = cell(text);
      cells.set(text, out);
    }
    return out;
  };
}

/**
 * How a block's rows become their lines after the common cells: the identity cells made
 * spreadsheet-safe here, then the usage cells (the database's CSV and the map cells written here),
 * then `credits_used` when the file has it. `groups` take the names of the block's snapshot.
 */
export function usersLines(groupNames: ReadonlyMap<string, string>): (row: UsersRow, credits: boolean) => string {
  const groupsCell = remembered((text) => {
    const ids = parseTextArray(text).map((id) => id ?? '');
    return safeCsvCells([pyStrDict(ids.map((id) => [id, groupNames.get(id) ?? ''] as const))]);
  });
  const departmentCell = remembered((text) => {
    const list = JSON.parse(text) as string[] | null;
    return list === null ? '' : safeCsvCells([list.length === 0 ? '[]' : jsonList(list)]);
  });
  return (row, credits) => {
    const identity = safeCsvCells([row.public_id ?? '', row.name ?? '', row.email ?? '', row.role ?? '', row.user_role ?? '']);
    const department = row.department === null ? '' : departmentCell(row.department);
    const groups = row.group_ids === null ? '' : groupsCell(row.group_ids);
    const status = safeCsvCells([row.user_status ?? '', row.created_or_invited_date ?? '']);
    const tail = credits ? `,${safeCsvCells([row.credits_used ?? ''])}` : '';
    return `${identity},${department},${groups},${status},${usageCells(row.usage)}${tail}`;
  };
}

/** The usage cells of a row: with a fact, its map cells written here; a distinct count not stored is its map's number of keys. */
function usageCells(usage: string): string {
  const parts = usage.split(PART);
  if (parts.length === 1) return usage;
  const [head, models, gptMessages, gptsMessaged, gptMap, toolMessages, toolsMessaged, toolMap, projectMessages, projectsMessaged, projectMap, tail] =
    parts as [string, string, string, string, string, string, string, string, string, string, string, string];
  const gpts = countMapCell(gptMap);
  const tools = countMapCell(toolMap);
  const projects = countMapCell(projectMap);
  return (
    `${head},${countMapCell(models).cell},` +
    `${gptMessages},${gptsMessaged || gpts.keys},${gpts.cell},` +
    `${toolMessages},${toolsMessaged || tools.keys},${tools.cell},` +
    `${projectMessages},${projectsMessaged || projects.keys},${projects.cell},${tail}`
  );
}
