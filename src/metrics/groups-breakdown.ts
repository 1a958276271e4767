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
import { sql } from 'kysely';
import type { Db, DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest } from './types.ts';
import { factsIn, groupArray } from './activity.ts';
import { frame, requireAnswerable } from './metric-answer.ts';
import { loadCtx, snapshotAsOf, type Ctx } from './context.ts';
import { resolveRange, type FactPart } from './coverage.ts';
import { hideSmallGroups } from './privacy.ts';

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
 */
export function userTotalsCte(parts: FactPart[]) {
  if (parts.length === 0) return sql`u as (select null::text as public_id, 0::bigint as msgs where false)`;
  return sql`u as (select f.public_id, sum(f.messages) as msgs from ${factsIn(parts)} group by f.public_id)`;
}

/**
 * Runs `run` with parallel workers off for its statements (a transaction-local setting;
 * PGlite has no workers). Inside a caller's transaction the setting would outlive the
 * statement, so there the statement runs as it is.
 */
async function serially<T>(db: DbOrTx, run: (db: DbOrTx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return run(db);
  return (db as Db).transaction().execute(async (trx) => {
    await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
    return run(trx);
  });
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
  const [catalog, perId] = await Promise.all([
    groupCatalog(ctx),
    serially(ctx.db, (db) =>
      sql<{ group_id: string; members: number; active_users: number; messages: number }>`
        with ${userTotalsCte(parts)}
        select m.group_id, count(*) as members,
          count(*) filter (where u.msgs > 0) as active_users,
          coalesce(sum(u.msgs), 0) as messages
        from group_members m
        left join u on u.public_id = m.account_key
        where m.snapshot_id = ${snapshotId ?? -1}::int ${only}
        group by m.group_id`.execute(db),
    ),
  ]);
  const keyOf = new Map<string, string>();
  for (const g of catalog.values()) for (const id of g.ids) keyOf.set(id, g.key);
  const byKey = new Map<string, typeof perId.rows>();
  for (const r of perId.rows) {
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
