/**
 * Activity over many date slices in one set-based query: each slice is a list of fact parts
 * (export reports that tile it, or a day range) and, with a group filter, the directory snapshot
 * whose membership applies to it. A trend's entries, the period and the previous period are all
 * slices of one query, never one query per entry.
 *
 * Users are grouped per (slice, public_id) before counting, which is the `SELECT DISTINCT` shape
 * DESIGN §10 asks for instead of `count(DISTINCT …)`.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DateRange } from './api.ts';
import { snapshotAsOf, type Ctx } from './context.ts';
import { resolveRange, type FactPart, type Resolution } from './coverage.ts';

export interface Slice {
  idx: number;
  parts: FactPart[];
  /** The snapshot whose group membership filters this slice (group filters only). */
  snapshotId: number | null;
}

/** `s(idx, grain, pfrom, pto, snap)` as a VALUES list, one row per part. */
export function slicesValues(slices: readonly Slice[]): RawBuilder<unknown> {
  const rows = slices.flatMap((s) =>
    s.parts.map(
      (p) => sql`(${s.idx}::int, ${p.grain}::text, ${p.from}::date, ${p.to}::date, ${s.snapshotId}::int)`,
    ),
  );
  return sql`s(idx, grain, pfrom, pto, snap) as (values ${sql.join(rows)})`;
}

/** `user_facts f` joined to the slices (and, with group ids, to the slice's group members). */
export function factsJoin(groupIds: readonly string[] | null): RawBuilder<unknown> {
  const facts = sql`s join user_facts f on f.grain = s.grain and f.period_start between s.pfrom and s.pto`;
  if (groupIds === null) return facts;
  return sql`${facts} join directory_accounts da on da.snapshot_id = s.snap and da.account_key = f.public_id and da.group_ids && ${groupArray(groupIds)}`;
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

/** Activity per slice (slices without a row had no activity). */
export async function activityBySlice(
  ctx: Ctx,
  slices: readonly Slice[],
  groupIds: readonly string[] | null,
): Promise<Map<number, Activity>> {
  const out = new Map<number, Activity>();
  const exportsFed = ctx.src.usageSource === 'exports';
  for (const s of slices) out.set(s.idx, zeroActivity(exportsFed));
  const live = slices.filter((s) => s.parts.length > 0);
  if (live.length === 0) return out;
  const { rows } = await sql<ActivityRow>`
    with ${slicesValues(live)}
    select idx,
      count(*) filter (where m > 0) as active_users,
      coalesce(sum(m), 0) as messages,
      coalesce(sum(g), 0) as gpt_messages,
      coalesce(sum(t), 0) as tool_messages,
      coalesce(sum(p), 0) as project_messages,
      coalesce(sum(pc), 0) as projects_created,
      coalesce(sum(sk), 0) as skill_messages,
      coalesce(sum(ap), 0) as app_messages
    from (
      select s.idx, f.public_id, sum(f.messages) as m, sum(f.gpt_messages) as g,
        sum(f.tool_messages) as t, sum(f.project_messages) as p, sum(f.projects_created) as pc,
        sum(f.skill_messages) as sk, sum(f.app_messages) as ap
      from ${factsJoin(groupIds)}
      group by s.idx, f.public_id
    ) u
    group by idx`.execute(ctx.db);
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

export interface RangeActivity {
  range: DateRange;
  resolution: Resolution;
  /** null when the range cannot be answered (untileable). */
  activity: Activity | null;
}

/**
 * Each range computed as if asked alone: its own covered part, its own tiling, and with a group
 * filter the membership as of its own end.
 */
export async function activityForRanges(ctx: Ctx, ranges: readonly DateRange[]): Promise<RangeActivity[]> {
  const groupIds = ctx.group?.ids ?? null;
  const resolutions = ranges.map((r) => resolveRange(ctx.src, r));
  const slices: Slice[] = [];
  resolutions.forEach((res, idx) => {
    if (res.kind !== 'ok') return;
    slices.push({ idx, parts: res.parts, snapshotId: sliceSnapshot(ctx, ranges[idx]!) });
  });
  const byIdx = await activityBySlice(ctx, slices, groupIds);
  const exportsFed = ctx.src.usageSource === 'exports';
  return ranges.map((range, idx) => {
    const resolution = resolutions[idx]!;
    const activity =
      resolution.kind === 'untileable'
        ? null
        : resolution.kind === 'empty'
          ? zeroActivity(exportsFed)
          : byIdx.get(idx)!;
    return { range, resolution, activity };
  });
}

/** The snapshot whose membership applies to a range ending on `range.end`. */
export function sliceSnapshot(ctx: Ctx, range: DateRange): number | null {
  if (ctx.group === null) return null;
  return snapshotAsOf(ctx.src.snapshots, range.end)?.id ?? null;
}
