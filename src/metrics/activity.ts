/**
 * Activity over many date slices in one set-based query: each slice is a list of fact parts
 * (export reports that tile it, or a day range) and, with a group filter, the directory snapshot
 * whose membership applies to it. A trend's entries, the period and the previous period are all
 * slices of one query, never one query per entry.
 *
 * Sums need no per-user step: without a group filter they come from the per-key totals, with one
 * from the members' facts. Distinct users of multi-key slices come from the per-user activity
 * bits (src/store/aggregates.ts), never from hashing every fact's text id.
 */
import { sql, type RawBuilder } from 'kysely';
import { addDays, type DateRange } from '../core/periods.ts';
import { snapshotAsOf, type Ctx } from './context.ts';
import { resolveRange, type FactPart, type Resolution } from './coverage.ts';
import { countActiveUsers, keyTotals } from '../store/aggregates.ts';

export interface Slice {
  idx: number;
  parts: FactPart[];
  /** The snapshot whose group membership filters this slice (group filters only). */
  snapshotId: number | null;
}

/** One fact key of a slice: facts of this grain with exactly this `period_start`. */
interface Key {
  grain: string;
  pstart: string;
  idx: number;
  snap: number | null;
}

function keysOf(slices: readonly Slice[]): Key[] {
  const keys: Key[] = [];
  for (const s of slices) {
    for (const p of s.parts) {
      for (let d = p.from; d <= p.to; d = addDays(d, 1)) {
        keys.push({ grain: p.grain, pstart: d, idx: s.idx, snap: s.snapshotId });
      }
    }
  }
  return keys;
}

/** The primary-key ranges of `user_facts f` that hold the slices' keys. */
function factsWindow(slices: readonly Slice[]): RawBuilder<unknown> {
  const byGrain = new Map<string, { min: string; max: string }>();
  for (const s of slices) {
    for (const p of s.parts) {
      const w = byGrain.get(p.grain);
      if (!w) byGrain.set(p.grain, { min: p.from, max: p.to });
      else {
        if (p.from < w.min) w.min = p.from;
        if (p.to > w.max) w.max = p.to;
      }
    }
  }
  const window = [...byGrain].map(
    ([g, w]) => sql`(f.grain = ${g} and f.period_start between ${w.min}::date and ${w.max}::date)`,
  );
  return window.length === 0 ? sql`false` : sql.join(window, sql` or `);
}

/** The members of a group: the accounts listing one of `groupIds` in snapshot `snapshotId`. */
export interface GroupMembers {
  snapshotId: number | null;
  groupIds: readonly string[];
}

/** With a group filter, its members as of P's end (the directory as-of rule of §5). */
export function membersAtEnd(ctx: Ctx): GroupMembers | null {
  if (ctx.group === null) return null;
  return { snapshotId: snapshotAsOf(ctx.src.snapshots, ctx.range.end)?.id ?? null, groupIds: ctx.group.ids };
}

/**
 * `user_facts f` restricted to the parts (and, with group ids, to the members of the group in
 * `snapshotId`), for a query over one slice. The keys are spelled out as constants (a list of
 * report starts, or a day range) so the planner estimates the rows from the column statistics:
 * joined to a VALUES list it guesses a few thousand rows where a 100k workspace has a quarter
 * million, and picks sorts and merge joins that cost seconds.
 */
export function factsIn(parts: readonly FactPart[], members: GroupMembers | null = null): RawBuilder<unknown> {
  return sql`user_facts f where ${factsCondition(parts, members)}`;
}

/** The condition of `factsIn` on `f`, for queries that join other tables before their where. */
export function factsCondition(parts: readonly FactPart[], members: GroupMembers | null = null): RawBuilder<unknown> {
  const byGrain = new Map<string, { days: string[]; ranges: Array<[string, string]> }>();
  for (const p of parts) {
    const g = byGrain.get(p.grain) ?? { days: [], ranges: [] };
    if (p.from === p.to) g.days.push(p.from);
    else g.ranges.push([p.from, p.to]);
    byGrain.set(p.grain, g);
  }
  const terms: RawBuilder<unknown>[] = [];
  for (const [grain, g] of byGrain) {
    if (g.days.length > 0) terms.push(sql`(f.grain = ${grain} and f.period_start = any(${g.days}::date[]))`);
    for (const [from, to] of g.ranges) {
      terms.push(sql`(f.grain = ${grain} and f.period_start between ${from}::date and ${to}::date)`);
    }
  }
  const where = terms.length === 0 ? sql`false` : sql.join(terms, sql` or `);
  const only = members === null ? sql`` : sql` and f.public_id in (${groupMembers(members.snapshotId, members.groupIds)})`;
  return sql`(${where})${only}`;
}

export function groupArray(ids: readonly string[]): RawBuilder<unknown> {
  return ids.length === 0 ? sql`'{}'::text[]` : sql`array[${sql.join(ids.map((i) => sql`${i}::text`))}]`;
}

export interface Activity {
  active_users: number;
  messages: number;
  gpt_messages: number;
  tool_messages: number;
  project_messages: number;
  projects_created: number;
  /** null when the source does not report them (Users reports). */
  skill_messages: number | null;
  app_messages: number | null;
}

export function zeroActivity(exportsFed: boolean): Activity {
  return {
    active_users: 0,
    messages: 0,
    gpt_messages: 0,
    tool_messages: 0,
    project_messages: 0,
    projects_created: 0,
    skill_messages: exportsFed ? null : 0,
    app_messages: exportsFed ? null : 0,
  };
}

interface ActivityRow {
  idx: number;
  active_users: number;
  messages: number;
  gpt_messages: number;
  tool_messages: number;
  project_messages: number;
  projects_created: number;
  skill_messages: number | null;
  app_messages: number | null;
}

export interface ActivityOptions {
  /** false: skip counting distinct users (active_users of multi-key slices is then NaN). */
  countUsers?: boolean;
  /**
   * How a group's members meet their facts (the same numbers either way): chosen by size when
   * absent; tests give it to compare the two.
   */
  groupJoin?: 'lookup' | 'hash';
}

/** Activity per slice (slices without a row had no activity). */
export async function activityBySlice(
  ctx: Ctx,
  slices: readonly Slice[],
  groupIds: readonly string[] | null,
  opts: ActivityOptions = {},
): Promise<Map<number, Activity>> {
  const out = new Map<number, Activity>();
  const exportsFed = ctx.src.usageSource === 'exports';
  for (const s of slices) out.set(s.idx, zeroActivity(exportsFed));
  const live = slices.filter((s) => s.parts.length > 0);
  if (live.length === 0) return out;
  // Sums are additive: they are read once per fact key (a report, or a day) and membership
  // snapshot, then added up per slice here, so keys shared by several slices (the period and its
  // trend entries) are read once. A slice of a single key holds one fact row per user, so its
  // active users are its rows with messages; other slices count distinct users in SQL.
  const keyIds = new Map<string, number>();
  const keySlices: Slice[] = [];
  const sliceKeys = new Map<number, number[]>();
  for (const s of live) {
    const ids: number[] = [];
    for (const p of s.parts) {
      for (let d = p.from; d <= p.to; d = addDays(d, 1)) {
        const k = `${p.grain}|${d}|${s.snapshotId}`;
        let id = keyIds.get(k);
        if (id === undefined) {
          id = keySlices.length;
          keyIds.set(k, id);
          keySlices.push({ idx: id, parts: [{ grain: p.grain, from: d, to: d }], snapshotId: s.snapshotId });
        }
        ids.push(id);
      }
    }
    sliceKeys.set(s.idx, ids);
  }
  const multi = opts.countUsers === false ? [] : live.filter((s) => sliceKeys.get(s.idx)!.length > 1);
  const [sums, distinct] = await Promise.all([
    groupIds === null ? totalsByKey(ctx, keySlices) : groupSums(ctx, keySlices, groupIds, opts.groupJoin),
    // Distinct users of a multi-key slice from the activity bits: one row per user and block of
    // periods, so no per-fact hashing; one statement per slice, side by side on a pool.
    Promise.all(
      multi.map(async (m) => ({
        idx: m.idx,
        n: await countActiveUsers(ctx.db, keysOf([m]), groupIds === null ? null : groupMembers(m.snapshotId, groupIds)),
      })),
    ).then((rows) => ({ rows })),
  ]);
  const byKey = new Map(sums.rows.map((r) => [r.idx, r]));
  const distinctBy = new Map(distinct.rows.map((r) => [r.idx, Number(r.n)]));
  const rows: ActivityRow[] = live.map((s) => {
    const total: ActivityRow = {
      idx: s.idx, active_users: 0, messages: 0, gpt_messages: 0, tool_messages: 0,
      project_messages: 0, projects_created: 0, skill_messages: 0, app_messages: 0,
    };
    for (const id of sliceKeys.get(s.idx)!) {
      const r = byKey.get(id);
      if (!r) continue;
      total.active_users += Number(r.active_users);
      total.messages += Number(r.messages);
      total.gpt_messages += Number(r.gpt_messages);
      total.tool_messages += Number(r.tool_messages);
      total.project_messages += Number(r.project_messages);
      total.projects_created += Number(r.projects_created);
      total.skill_messages! += Number(r.skill_messages);
      total.app_messages! += Number(r.app_messages);
    }
    if (sliceKeys.get(s.idx)!.length > 1) {
      total.active_users = opts.countUsers === false ? Number.NaN : (distinctBy.get(s.idx) ?? 0);
    }
    return total;
  });
  for (const r of rows) {
    out.set(r.idx, {
      active_users: Number(r.active_users),
      messages: Number(r.messages),
      gpt_messages: Number(r.gpt_messages),
      tool_messages: Number(r.tool_messages),
      project_messages: Number(r.project_messages),
      projects_created: Number(r.projects_created),
      skill_messages: exportsFed ? null : Number(r.skill_messages),
      app_messages: exportsFed ? null : Number(r.app_messages),
    });
  }
  return out;
}

/** Sums per fact key from the per-key totals (no group filter: every user counts). */
async function totalsByKey(ctx: Ctx, keySlices: readonly Slice[]): Promise<{ rows: ActivityRow[] }> {
  const keys = keysOf(keySlices);
  const idOf = new Map(keys.map((k) => [`${k.grain}|${k.pstart}`, k.idx]));
  const totals = await keyTotals(ctx.db, keys);
  return {
    rows: totals.map((t) => ({ ...t, idx: idOf.get(`${t.grain}|${t.period_start}`)! })),
  };
}

/** Sums per fact key and membership snapshot over the group's members' facts. */
async function groupSums(
  ctx: Ctx,
  keySlices: readonly Slice[],
  groupIds: readonly string[],
  join: 'lookup' | 'hash' | undefined,
): Promise<{ rows: ActivityRow[] }> {
  const keys = keysOf(keySlices);
  const rows = keys.map((k) => sql`(${k.grain}::text, ${k.pstart}::date, ${k.idx}::int, ${k.snap ?? -1}::int)`);
  const snaps = [...new Set(keys.map((k) => k.snap ?? -1))];
  const distinct = groupIds.length > 1 ? sql`distinct ` : sql``;
  // Two ways to meet the members with their facts, chosen by size (both exact): look each member
  // up by the facts' primary key, once per key (members × keys index probes: a team in a large
  // workspace), or read every fact of the keys and keep the members' (a hash of the members: many
  // small keys, as day facts are). The sizes come from the summaries, in two index-only reads.
  const [members, facts] = await Promise.all([
    sql<{ snapshot_id: number; n: number }>`
      select gm.snapshot_id, count(${distinct}gm.account_key) as n from group_members gm
      where gm.snapshot_id in (${sql.join(snaps.map((id) => sql`${id}::int`))}) and gm.group_id = any(${groupArray(groupIds)})
      group by gm.snapshot_id`.execute(ctx.db),
    sql<{ n: number }>`
      select coalesce(sum(t.fact_rows), 0) as n from period_totals t
      where (t.grain, t.period_start) in (values ${sql.join(keys.map((k) => sql`(${k.grain}::text, ${k.pstart}::date)`))})`.execute(ctx.db),
  ]);
  const perSnap = new Map(members.rows.map((r) => [Number(r.snapshot_id), Number(r.n)]));
  const probes = keys.reduce((n, k) => n + (perSnap.get(k.snap ?? -1) ?? 0), 0);
  const byMembers = join === undefined ? probes * PROBE_COST < Number(facts.rows[0]?.n ?? 0) : join === 'lookup';
  const from = byMembers
    ? // offset 0 keeps each lookup a lookup (the planner may not flatten it into a hash join
      // over every fact and membership)
      sql`m
    cross join lateral (
      select ${distinct}gm.account_key from group_members gm
      where gm.snapshot_id = m.snap and gm.group_id = any(${groupArray(groupIds)}) offset 0) mem
    cross join lateral (
      select ${sql.join(SUMMED.map((c) => sql.ref(`f.${c}`)))} from user_facts f
      where f.grain = m.grain and f.period_start = m.pstart and f.public_id = mem.account_key offset 0) f`
    : sql`ff f
    join m on m.grain = f.grain and m.pstart = f.period_start
    join mem on mem.snapshot_id = m.snap and mem.account_key = f.public_id`;
  // Both sides materialized, so they are met by hashing (an estimate of the keys' VALUES list
  // cannot talk the planner into probing an index once per fact).
  const mem = byMembers
    ? sql``
    : sql`, mem as materialized (
      select ${distinct}gm.snapshot_id, gm.account_key from group_members gm
      where gm.snapshot_id in (${sql.join(snaps.map((id) => sql`${id}::int`))}) and gm.group_id = any(${groupArray(groupIds)})),
    ff as materialized (
      select f.grain, f.period_start, f.public_id, ${sql.join(SUMMED.map((c) => sql.ref(`f.${c}`)))}
      from user_facts f where ${factsWindow(keySlices)})`;
  return sql<ActivityRow>`
    with m(grain, pstart, idx, snap) as (values ${sql.join(rows)})${mem}
    select m.idx,
      count(*) filter (where f.messages > 0) as active_users,
      coalesce(sum(f.messages), 0) as messages,
      coalesce(sum(f.gpt_messages), 0) as gpt_messages,
      coalesce(sum(f.tool_messages), 0) as tool_messages,
      coalesce(sum(f.project_messages), 0) as project_messages,
      coalesce(sum(f.projects_created), 0) as projects_created,
      coalesce(sum(f.skill_messages), 0) as skill_messages,
      coalesce(sum(f.app_messages), 0) as app_messages
    from ${from}
    group by m.idx`.execute(ctx.db);
}

/** What one index probe costs against reading one fact of a key range and hashing it (measured). */
const PROBE_COST = 4;

const SUMMED = ['messages', 'gpt_messages', 'tool_messages', 'project_messages', 'projects_created', 'skill_messages', 'app_messages'] as const;

/**
 * The account keys of a group's members in a snapshot (a subquery; an account in several of the
 * ids may appear more than once, which `in (…)` does not mind).
 */
export function groupMembers(snapshotId: number | null, groupIds: readonly string[]): RawBuilder<unknown> {
  return sql`select gm.account_key from group_members gm
    where gm.snapshot_id = ${snapshotId ?? -1}::int and gm.group_id = any(${groupArray(groupIds)})`;
}

export interface RangeActivity {
  range: DateRange;
  resolution: Resolution;
  /**
   * null when the range is unknown: wholly outside the data (`resolution.kind` 'empty', never a
   * made-up 0) or not given exactly by the imported reports ('untileable').
   */
  activity: Activity | null;
}

/**
 * Each range computed as if asked alone: its own covered part, its own tiling, and with a group
 * filter the membership as of its own end.
 */
export async function activityForRanges(
  ctx: Ctx,
  ranges: readonly DateRange[],
  opts: ActivityOptions = {},
): Promise<RangeActivity[]> {
  const groupIds = ctx.group?.ids ?? null;
  const resolutions = ranges.map((r) => resolveRange(ctx.src, r));
  const slices: Slice[] = [];
  resolutions.forEach((res, idx) => {
    if (res.kind !== 'ok') return;
    slices.push({ idx, parts: res.parts, snapshotId: sliceSnapshot(ctx, ranges[idx]!) });
  });
  const byIdx = await activityBySlice(ctx, slices, groupIds, opts);
  const exportsFed = ctx.src.usageSource === 'exports';
  return ranges.map((range, idx) => {
    const resolution = resolutions[idx]!;
    // A covered slice nobody was active in has no row: a real 0.
    const activity = resolution.kind === 'ok' ? (byIdx.get(idx) ?? zeroActivity(exportsFed)) : null;
    return { range, resolution, activity };
  });
}

/** The snapshot whose membership applies to a range ending on `range.end`. */
export function sliceSnapshot(ctx: Ctx, range: DateRange): number | null {
  if (ctx.group === null) return null;
  return snapshotAsOf(ctx.src.snapshots, range.end)?.id ?? null;
}
