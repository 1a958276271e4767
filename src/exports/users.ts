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
import { jsonList, pyStrDict } from '../core/csv.ts';
import type { FactPart } from '../metrics/coverage.ts';
import { keyCountSql, pyCountDictSql, summedMapSql } from './sql-cells.ts';

/** One row as the queries give it: identity from the snapshot, usage from the facts (null: none). */
export interface UsersRow {
  public_id: string | null;
  name: string | null;
  email: string | null;
  role: string | null;
  user_role: string | null;
  department: string[] | null;
  group_ids: string[] | null;
  user_status: string | null;
  created_or_invited_date: string | null;
  has_fact: boolean;
  is_active: boolean | null;
  first_day: string | null;
  last_day: string | null;
  messages: number | null;
  messages_rank: number | null;
  gpt_messages: number | null;
  gpts_messaged: number | null;
  tool_messages: number | null;
  tools_messaged: number | null;
  project_messages: number | null;
  projects_messaged: number | null;
  projects_created: number | null;
  last_day_active: string | null;
  credits_used: string | null;
  /** The maps as their cells (Python dict literals written by the database; '' when empty). */
  models_cell: string;
  gpts_cell: string;
  tools_cell: string;
  projects_cell: string;
  /** How many keys each map has: the distinct counts of a computed block. */
  gpt_keys: number;
  tool_keys: number;
  project_keys: number;
}

/**
 * The map cells of four jsonb maps named `<alias>.<column>`, and their key counts where the
 * distinct counts are not stored (computed blocks).
 */
function mapCells(alias: string, columns: { models: string; gpts: string; tools: string; projects: string }, keys: boolean): RawBuilder<unknown> {
  const ref = (c: string) => sql.ref(`${alias}.${c}`);
  const count = (c: string) => (keys ? keyCountSql(ref(c)) : sql`0`);
  return sql`${pyCountDictSql(ref(columns.models))} as models_cell, ${pyCountDictSql(ref(columns.gpts))} as gpts_cell,
    ${pyCountDictSql(ref(columns.tools))} as tools_cell, ${pyCountDictSql(ref(columns.projects))} as projects_cell,
    ${count(columns.gpts)} as gpt_keys, ${count(columns.tools)} as tool_keys, ${count(columns.projects)} as project_keys`;
}

const IDENTITY = sql`a.public_id as account_public_id, a.name, a.email, a.role, a.user_role, a.department, a.group_ids,
  a.user_status, a.created_or_invited_date`;

/** The rows of an imported Users report, in its file's order. */
export function importedUsersQuery(grain: string, periodStart: string, snapshotId: number): RawBuilder<UsersRow> {
  return sql<UsersRow>`
    select ${IDENTITY}, coalesce(a.public_id, f.public_id) as public_id, f.public_id is not null as has_fact,
      f.is_active, f.first_day_active_in_period as first_day, f.last_day_active_in_period as last_day,
      f.messages, f.messages_rank, f.gpt_messages, f.gpts_messaged, f.tool_messages, f.tools_messaged,
      f.project_messages, f.projects_messaged, f.projects_created, a.last_day_active,
      f.credits_used::text as credits_used,
      ${mapCells('f', { models: 'model_to_messages', gpts: 'gpt_to_messages', tools: 'tool_to_messages', projects: 'project_to_messages' }, false)}
    from directory_accounts a
    left join user_facts f on f.grain = ${grain} and f.period_start = ${periodStart} and f.public_id = a.public_id
    where a.snapshot_id = ${snapshotId}
    order by a.position`;
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
  return sql<UsersRow>`
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
      ${mapCells('r', { models: 'models', gpts: 'gpts', tools: 'tools', projects: 'projects' }, true)}
    from ${accounts} a
    full join ranked r on r.public_id = a.public_id
    left join prior p on p.public_id = coalesce(a.public_id, r.public_id)
    order by a.position nulls last, coalesce(a.public_id, r.public_id) collate "C"`;
}

const count = (n: number | null) => (n === null ? '' : String(n));

/** An inactive account's usage cells: zero counts, blank days, rank and maps. */
const INACTIVE = ['0', '', '', '0', '', '', '0', '0', '', '0', '0', '', '0', '0', '', '0'];
const PENDING = INACTIVE.map(() => '');

/**
 * The cells of one row after the common columns. Computed rows carry no distinct counts (the
 * summed maps' keys give them).
 */
export function usersCells(row: UsersRow, groupNames: ReadonlyMap<string, string>, credits: boolean): string[] {
  const groups = (row.group_ids ?? []).map((id) => [id, groupNames.get(id) ?? ''] as const);
  const identity = [
    row.public_id ?? '',
    row.name ?? '',
    row.email ?? '',
    row.role ?? '',
    row.user_role ?? '',
    row.department === null ? '' : row.department.length === 0 ? '[]' : jsonList(row.department),
    pyStrDict(groups),
    row.user_status ?? '',
    row.created_or_invited_date ?? '',
  ];
  let usage: string[];
  if (!row.has_fact) {
    usage = row.user_status === 'pending' ? [...PENDING, ''] : [...INACTIVE, row.last_day_active ?? ''];
  } else {
    const messages = row.messages ?? 0;
    usage = [
      (row.is_active ?? messages > 0) ? '1' : '0',
      row.first_day ?? '',
      row.last_day ?? '',
      String(messages),
      count(row.messages_rank),
      row.models_cell,
      count(row.gpt_messages),
      String(row.gpts_messaged ?? row.gpt_keys),
      row.gpts_cell,
      count(row.tool_messages),
      String(row.tools_messaged ?? row.tool_keys),
      row.tools_cell,
      count(row.project_messages),
      String(row.projects_messaged ?? row.project_keys),
      row.projects_cell,
      count(row.projects_created),
      row.last_day_active ?? '',
    ];
  }
  if (credits) usage.push(row.has_fact ? (row.credits_used ?? '') : '');
  return [...identity, ...usage];
}
