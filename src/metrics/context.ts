/**
 * What every answer needs to know about the store before it computes anything: the usage source,
 * the days with data, the imported Users reports (for tiling), the directory snapshots (for the
 * "as of" rule), the settings and "last updated". All of it is small (a row per import), read in
 * a handful of indexed queries.
 *
 * Where §5 is silent:
 * - "Last updated" is the newest successful import or ingest of any kind (a `reset` is not one).
 * - Data days: export-fed stores → the earliest `period_start` and the latest `period_end` of
 *   the imported Users reports; event-fed stores → the earliest and latest day with a day fact.
 * - A store whose usage source is not yet recorded falls back to what it holds (Users reports →
 *   exports, day facts → events), else has no usage data at all.
 */
import { sql } from 'kysely';
import type { DbOrTx, ReportGrain } from '../store/schema.ts';
import { getSettings, type WorkspaceSettings } from '../store/settings.ts';
import { intersect, maxDate, minDate, type DateRange } from '../core/periods.ts';
import type { Freshness, MetricRequest } from './types.ts';
import { resolveGroup, type ResolvedGroup } from './groups.ts';
import { UsageError } from '../core/errors.ts';
import { notices } from '../core/wording.ts';

export type UsageSource = 'exports' | 'events';

export interface UsersReport {
  id: number;
  grain: ReportGrain;
  period_start: string;
  period_end: string;
}

export interface Snapshot {
  id: number;
  period_start: string;
  as_of: string;
  /** 'users_report' snapshots carry `last_day_active`; directory CSV imports do not. */
  source?: 'users_report' | 'directory';
}

export interface Source {
  usageSource: UsageSource | null;
  dataFrom: string | null;
  dataThrough: string | null;
  lastUpdated: Date | null;
  /** Export-fed stores: every imported Users report, oldest first. */
  reports: UsersReport[];
  /** Every directory snapshot. */
  snapshots: Snapshot[];
}

/**
 * `today` clamps `dataThrough`: events may run up to a day ahead of the clock (skew between
 * systems), and "data through" tomorrow would be a promise no answer can keep.
 */
export async function loadSource(db: DbOrTx, today?: string): Promise<Source> {
  // One statement (every answer starts here, so round trips count): the small tables as JSON,
  // and the day range of event-fed stores from the per-key totals (one row per day with facts).
  const { rows } = await sql<{
    usage_source: UsageSource | null;
    reports: UsersReport[];
    snapshots: Snapshot[];
    at: Date | string | null;
    day_from: string | null;
    day_through: string | null;
  }>`
    select
      (select usage_source from workspace where id = 1) as usage_source,
      (select coalesce(json_agg(json_build_object('id', id, 'grain', grain, 'period_start', period_start,
          'period_end', period_end) order by period_start, period_end), '[]'::json)
        from reports where kind = 'users') as reports,
      (select coalesce(json_agg(json_build_object('id', id, 'period_start', period_start, 'as_of', as_of,
          'source', source) order by as_of, id), '[]'::json)
        from directory_snapshots) as snapshots,
      (select max(imported_at) from import_log where kind <> 'reset') as at,
      (select min(period_start) from period_totals where grain = 'day') as day_from,
      (select max(period_start) from period_totals where grain = 'day') as day_through`.execute(db);
  const row = rows[0]!;
  const reports = row.reports;
  const snapshots = row.snapshots;
  let usageSource: UsageSource | null = row.usage_source;
  const dayRange = { from: row.day_from, through: row.day_through };
  if (usageSource === null && dayRange.from !== null) usageSource = 'events';
  if (usageSource === null && reports.length > 0) usageSource = 'exports';

  let dataFrom: string | null = null;
  let dataThrough: string | null = null;
  if (usageSource === 'exports') {
    for (const r of reports) {
      dataFrom = dataFrom === null ? r.period_start : minDate(dataFrom, r.period_start);
      dataThrough = dataThrough === null ? r.period_end : maxDate(dataThrough, r.period_end);
    }
  } else if (usageSource === 'events') {
    dataFrom = dayRange.from;
    dataThrough = dayRange.through;
  }
  if (today !== undefined && dataThrough !== null && dataThrough > today) dataThrough = today;
  const at = row.at;
  return {
    usageSource,
    dataFrom,
    dataThrough,
    lastUpdated: at === null ? null : new Date(at as Date | string),
    reports,
    snapshots,
  };
}

export async function freshness(db: DbOrTx, today?: string): Promise<Freshness> {
  const s = await loadSource(db, today);
  return {
    lastUpdated: s.lastUpdated,
    dataThrough: s.dataThrough,
    dataFrom: s.dataFrom,
    usageSource: s.usageSource,
  };
}

/**
 * §5: the directory "as of" a day is the newest snapshot ending on or before it, else the oldest
 * one after it; two ending the same day → the shorter (the later `period_start`); then the later
 * import. Null when the store holds no directory at all.
 */
export function snapshotAsOf(snapshots: readonly Snapshot[], day: string): Snapshot | null {
  let best: Snapshot | null = null;
  for (const s of snapshots) {
    if (s.as_of > day) continue;
    if (
      best === null ||
      s.as_of > best.as_of ||
      (s.as_of === best.as_of && (s.period_start > best.period_start || (s.period_start === best.period_start && s.id > best.id)))
    ) {
      best = s;
    }
  }
  if (best) return best;
  for (const s of snapshots) {
    if (
      best === null ||
      s.as_of < best.as_of ||
      (s.as_of === best.as_of && (s.period_start > best.period_start || (s.period_start === best.period_start && s.id > best.id)))
    ) {
      best = s;
    }
  }
  return best;
}

/** Everything an answer starts from. */
export interface Ctx {
  db: DbOrTx;
  req: MetricRequest;
  /** The period asked, end clipped to today. */
  range: DateRange;
  src: Source;
  settings: WorkspaceSettings;
  group: ResolvedGroup | null;
}

export async function loadCtx(db: DbOrTx, req: MetricRequest): Promise<Ctx> {
  const [src, settings, group] = await Promise.all([
    loadSource(db, req.today),
    getSettings(db),
    req.group ?? (req.groupName !== undefined && req.groupName.trim() !== '' ? resolveGroup(db, req.groupName) : null),
  ]);
  const ctx: Ctx = { db, req, range: { start: req.range.start, end: minDate(req.range.end, req.today) }, src, settings, group };
  if (req.aggregateOnly && group) await refuseSmallGroup(ctx, group);
  return ctx;
}

/**
 * The aggregate form (a channel some of whose readers may not see people) gives no figure of a
 * group under the minimum group size (docs/design.md §5 privacy rule): its `team:` is refused.
 */
async function refuseSmallGroup(ctx: Ctx, group: ResolvedGroup): Promise<void> {
  const snap = snapshotAsOf(ctx.src.snapshots, ctx.range.end);
  const { rows } = await sql<{ n: number }>`
    select count(distinct m.account_key)::int as n from group_members m
    where m.snapshot_id = ${snap?.id ?? -1}::int and m.group_id = any(${sql.val([...group.ids])}::text[])`.execute(ctx.db);
  const n = Number(rows[0]?.n ?? 0);
  if (n < ctx.settings.minGroupSize) throw new UsageError(notices.smallGroupNotInChannel(group.name, n, ctx.settings.minGroupSize));
}

/** The covered part of a range: max(start, oldest data day)..min(end, newest data day). */
export function coveredPart(src: Source, range: DateRange): DateRange | null {
  if (src.dataFrom === null || src.dataThrough === null) return null;
  return intersect(range, { start: src.dataFrom, end: src.dataThrough });
}
