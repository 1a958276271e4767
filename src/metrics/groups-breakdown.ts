/**
 * `groups` (docs/design.md §5): one row per SCIM group with its members as of P's end, and its active
 * users and messages in P (activity of the group's members as of P's end).
 *
 * Where §5 is silent:
 * - SCIM groups sharing a name (case-insensitively) are one row, as the `team:` filter treats
 *   them; a member of several counts once.
 * - Only groups with at least one member as of P's end are listed; rows are ordered by active
 *   users, then messages (both descending), then name.
 * - Small groups are shown in a private answer (the task-insights minimum applies to task
 *   breakdowns); with `aggregateOnly` (a channel audience) the privacy rule of §5 hides them
 *   and `groups_hidden` counts them.
 * - With `team:`, the single row of that group; with `restrictToGroupIds`, only those groups.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db, DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest } from './types.ts';
import { factsIn, groupArray } from './activity.ts';
import { frame, requireAnswerable } from './metric-answer.ts';
import { loadCtx, snapshotAsOf, type Ctx } from './context.ts';
import { resolveRange, type FactPart } from './coverage.ts';
import { hideSmallGroups } from './privacy.ts';
import { inOneSnapshot, runsSideBySide } from '../store/one-snapshot.ts';

export interface GroupInfo {
  key: string;
  name: string;
  ids: string[];
}

/** SCIM groups by name key (several ids may share one). */
export async function groupCatalog(ctx: Ctx): Promise<Map<string, GroupInfo>> {
  const rows = await ctx.db
    .selectFrom('scim_groups')
    .select(['group_id', 'name', 'name_key'])
    .orderBy('name_key')
    .orderBy('group_id')
    .execute();
  const out = new Map<string, GroupInfo>();
  for (const r of rows) {
    const g = out.get(r.name_key);
    if (g) g.ids.push(r.group_id);
    else out.set(r.name_key, { key: r.name_key, name: r.name, ids: [r.group_id] });
  }
  return out;
}

/** The group ids a breakdown is limited to (team filter ∩ access scope), or null for all. */
export function breakdownIds(ctx: Ctx): string[] | null {
  let ids: string[] | null = ctx.group?.ids ?? null;
  const scope = ctx.req.restrictToGroupIds;
  if (scope !== undefined) ids = ids === null ? [...scope] : ids.filter((i) => scope.includes(i));
  return ids;
}

/** `gm(name_key, account_key)`: every group membership in a snapshot (groups merged by name). */
export function membershipCte(snapshotId: number | null, ids: string[] | null) {
  const only = ids === null ? sql`` : sql`and m.group_id = any(${groupArray(ids)})`;
  return sql`gm as (
    select distinct g.name_key, m.account_key
    from group_members m
    join scim_groups g on g.group_id = m.group_id
    where m.snapshot_id = ${snapshotId ?? -1}::int ${only})`;
}

/**
 * `u(public_id, msgs)`: messages per person over the parts. Not materialized: as a grouped
 * subquery the planner knows `public_id` is unique in it, so it hashes these totals (75k senders
 * over four weeks of the 100k workspace) and probes them with the memberships (207k), rather
 * than hashing the memberships; a materialized CTE hides that and costs a third more. Run
 * through `serially`, so that no parallel worker computes the totals again for itself.
 * With `keys`, only the senders whose key is in that range.
 */
export function userTotalsCte(parts: FactPart[], keys: KeyRange = ALL_KEYS) {
  if (parts.length === 0) return sql`u as (select null::text as public_id, 0::bigint as msgs where false)`;
  return sql`u as (select f.public_id, sum(f.messages) as msgs from ${factsIn(parts)} ${keys.sql(sql`f.public_id`)} group by f.public_id)`;
}

/**
 * A range of account keys, as a condition to append to a `where` (empty for every key). The
 * same operator and collation on both sides of the groups statement put each key in exactly one
 * range, whatever the bound.
 */
interface KeyRange {
  sql(column: RawBuilder<unknown>): RawBuilder<unknown>;
}

const ALL_KEYS: KeyRange = { sql: () => sql`` };

function keysBelow(bound: string): KeyRange {
  return { sql: (column) => sql`and ${column} < ${bound}::text` };
}

function keysFrom(bound: string): KeyRange {
  return { sql: (column) => sql`and ${column} >= ${bound}::text` };
}

/**
 * The middle of the account keys in the statistics of `group_members`: its histogram's bounds,
 * or in a small store where every key is one of the most common values, those; null when the
 * table has not been analyzed yet. Only a split point: a stale or skewed one makes the halves
 * uneven, never the counts wrong.
 */
async function middleAccountKey(db: DbOrTx): Promise<string | null> {
  const { rows } = await sql<{ key: string | null }>`
    select b.keys[cardinality(b.keys) / 2 + 1] as key
    from (select array(select k from unnest(coalesce(histogram_bounds, most_common_vals)::text::text[]) k order by k) as keys
      from pg_stats
      where schemaname = current_schema() and tablename = 'group_members' and attname = 'account_key') b`.execute(db);
  return rows[0]?.key ?? null;
}

/**
 * Runs `run` with parallel workers off for its statements (a transaction-local setting;
 * PGlite has no workers). Inside a caller's transaction the setting would outlive the
 * statement, so there the statement runs as it is.
 */
async function serially<T>(db: DbOrTx, run: (db: DbOrTx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return run(db);
  return (db as Db).transaction().execute(async (trx) => {
    await noParallelWorkers(trx);
    return run(trx);
  });
}

async function noParallelWorkers(trx: DbOrTx): Promise<void> {
  await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
}

interface PerGroupRow {
  group_id: string;
  members: number;
  active_users: number;
  messages: number;
}

/** Rows of the same group (from the key halves) added up, one per group. */
function addPerGroup(rows: PerGroupRow[]): PerGroupRow[] {
  const out = new Map<string, PerGroupRow>();
  for (const r of rows) {
    const sum = out.get(r.group_id) ?? { group_id: r.group_id, members: 0, active_users: 0, messages: 0 };
    // counts may come from the driver as strings
    sum.members += Number(r.members);
    sum.active_users += Number(r.active_users);
    sum.messages += Number(r.messages);
    out.set(r.group_id, sum);
  }
  return [...out.values()];
}

interface GroupActivityRow {
  key: string;
  members: number;
  active_users: number;
  messages: number;
}

/**
 * Members, active members and their messages per group name key, from `group_members` (one row
 * per account and group of a snapshot, migration 0013). A name held by one SCIM group is counted
 * per id; names shared by several ids (rare) are counted over their distinct members.
 */
async function groupActivity(
  ctx: Ctx,
  parts: FactPart[],
  snapshotId: number | null,
  ids: string[] | null,
): Promise<{ catalog: Map<string, GroupInfo>; rows: GroupActivityRow[] }> {
  const only = ids === null ? sql`` : sql`and m.group_id = any(${groupArray(ids)})`;
  const perGroup = async (db: DbOrTx, keys: KeyRange) =>
    (
      await sql<PerGroupRow>`
        with ${userTotalsCte(parts, keys)}
        select m.group_id, count(*) as members,
          count(*) filter (where u.msgs > 0) as active_users,
          coalesce(sum(u.msgs), 0) as messages
        from group_members m
        left join u on u.public_id = m.account_key
        where m.snapshot_id = ${snapshotId ?? -1}::int ${only} ${keys.sql(sql`m.account_key`)}
        group by m.group_id`.execute(db)
    ).rows;
  const whole = () => serially(ctx.db, (db) => perGroup(db, ALL_KEYS));
  // The statement in two halves by account key, run side by side: summing P's facts per sender
  // (243k rows into 75k over four weeks of the 100k workspace) and joining the totals with the
  // memberships (207k) is its whole cost, and both split cleanly by key, so each half does half
  // the work on a core of its own, for no more CPU in all (backend CPU 100 + 105 ms against
  // 225 ms whole: the halves' hashes are smaller). PostgreSQL's own parallel plan cannot share
  // the totals: each worker would sum them again. The halves read one snapshot (one-snapshot.ts),
  // so they add up one state of the data, as the one statement did; should the second start too
  // late to share it (a busy pool), the statement runs whole. On one connection (a caller's
  // transaction, the embedded store) nothing runs side by side: the statement runs whole.
  const halves = async (): Promise<PerGroupRow[]> => {
    const db = ctx.db as Db;
    const middle = ctx.db.isTransaction || !runsSideBySide(db) ? null : await middleAccountKey(db);
    if (middle === null) return whole();
    const sides = await inOneSnapshot(
      db,
      [(trx) => perGroup(trx, keysBelow(middle)), (trx) => perGroup(trx, keysFrom(middle))],
      noParallelWorkers,
    );
    return sides === null ? whole() : addPerGroup(sides.flat());
  };
  const [catalog, perId] = await Promise.all([groupCatalog(ctx), halves()]);
  const keyOf = new Map<string, string>();
  for (const g of catalog.values()) for (const id of g.ids) keyOf.set(id, g.key);
  const byKey = new Map<string, PerGroupRow[]>();
  for (const r of perId) {
    const key = keyOf.get(r.group_id);
    if (key === undefined) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const rows: GroupActivityRow[] = [];
  const shared: string[] = [];
  for (const [key, list] of byKey) {
    if (list.length === 1) rows.push({ key, members: list[0]!.members, active_users: list[0]!.active_users, messages: list[0]!.messages });
    else shared.push(...list.map((r) => r.group_id));
  }
  if (shared.length > 0) {
    const { rows: merged } = await serially(ctx.db, (db) =>
      sql<GroupActivityRow>`
        with ${userTotalsCte(parts)}, ${membershipCte(snapshotId, shared)}
        select gm.name_key as key, count(*) as members,
          count(*) filter (where u.msgs > 0) as active_users,
          coalesce(sum(u.msgs), 0) as messages
        from gm left join u on u.public_id = gm.account_key
        group by gm.name_key`.execute(db),
    );
    rows.push(...merged);
  }
  return { catalog, rows };
}

export async function groups(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const res = resolveRange(ctx.src, ctx.range);
  requireAnswerable(res);
  const answer = frame(ctx, res);
  const snap = snapshotAsOf(ctx.src.snapshots, ctx.range.end);
  const ids = breakdownIds(ctx);
  const parts = res.kind === 'ok' ? res.parts : [];
  const { catalog, rows } = await groupActivity(ctx, parts, snap?.id ?? null, ids);
  let list = rows.map((r) => ({
    key: r.key,
    name: catalog.get(r.key)?.name ?? r.key,
    members: Number(r.members),
    active_users: Number(r.active_users),
    messages: Number(r.messages),
  }));
  let hidden = 0;
  if (req.aggregateOnly) {
    const split = hideSmallGroups(list, ctx.settings.minGroupSize);
    list = split.shown;
    hidden = split.hidden.length;
    if (hidden > 0) {
      answer.warnings.push(
        `${hidden} group${hidden === 1 ? '' : 's'} with fewer than ${ctx.settings.minGroupSize} members ${hidden === 1 ? 'is' : 'are'} left out for privacy.`,
      );
    }
  }
  list.sort(
    (a, b) =>
      b.active_users - a.active_users || b.messages - a.messages || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  if (snap === null) answer.warnings.push('No directory has been imported, so there are no groups to break down by.');
  answer.rows = list.map((g) => ({ group: g.name, members: g.members, active_users: g.active_users, messages: g.messages }));
  answer.values = { groups_hidden: hidden };
  answer.groupsHidden = hidden;
  return answer;
}
