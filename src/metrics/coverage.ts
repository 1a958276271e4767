/**
 * The covering rule of docs/design.md §5: a range is answered over its covered part; an event-fed store
 * answers any covered part from its day facts; an export-fed store only where imported Users
 * reports of one grain tile the covered part exactly (weekly reports for Sunday–Saturday ranges,
 * monthly ones for calendar months, Date Range reports for their own ranges). Never an
 * approximation.
 *
 * Where §5 is silent:
 * - When several grains tile the same part (February 2026 is four weeks and one month), the one
 *   with the fewest reports wins, then week, month, range in that order. Consistent reports give
 *   the same numbers either way (active users are counted distinct across the tiles).
 * - A Partial Weekly / Partial Monthly report tiles the part it covers, like any other report.
 */
import { addDays, formatDay, formatRange, formatWeekday, isWholeMonths, isWholeWeeks, sameRange, type DateRange } from '../core/periods.ts';
import type { FactGrain, ReportGrain } from '../store/schema.ts';
import { coveredPart, type Source, type UsersReport } from './context.ts';

/** User facts of one grain whose `period_start` lies in [from, to]. */
export interface FactPart {
  grain: FactGrain;
  from: string;
  to: string;
}

export type Resolution =
  /** Nothing of the range is inside the data: unknown, not zero (the data's bounds say why). */
  | { kind: 'empty'; covered: null; dataFrom: string | null; dataThrough: string | null }
  | { kind: 'ok'; covered: DateRange; parts: FactPart[] }
  | { kind: 'untileable'; covered: DateRange; reason: string };

const GRAIN_ORDER: ReportGrain[] = ['week', 'month', 'range'];

function chain(reports: readonly UsersReport[], grain: ReportGrain, covered: DateRange): UsersReport[] | string {
  const byStart = new Map<string, UsersReport>();
  for (const r of reports) if (r.grain === grain) byStart.set(r.period_start, r);
  const out: UsersReport[] = [];
  let cursor = covered.start;
  while (cursor <= covered.end) {
    const r = byStart.get(cursor);
    if (!r) return cursor;
    if (r.period_end > covered.end) return cursor;
    out.push(r);
    cursor = addDays(r.period_end, 1);
  }
  return out;
}

const GRAIN_WORDS: Record<ReportGrain, string> = { week: 'weekly', month: 'monthly', range: 'date range' };

function untileableReason(reports: readonly UsersReport[], covered: DateRange): string {
  const what = `The imported Users reports cannot give ${formatRange(covered)} exactly`;
  const have = GRAIN_ORDER.filter((g) => reports.some((r) => r.grain === g)).map((g) => GRAIN_WORDS[g]);
  if (isWholeWeeks(covered) && reports.some((r) => r.grain === 'week')) {
    const missing = chain(reports, 'week', covered) as string;
    return `${what}: the weekly report for the week starting ${formatDay(missing)} has not been imported.`;
  }
  if (isWholeMonths(covered) && reports.some((r) => r.grain === 'month')) {
    const missing = chain(reports, 'month', covered) as string;
    return `${what}: the monthly report for ${monthName(missing)} has not been imported.`;
  }
  return (
    `${what}: this store holds ${have.join(' and ')} reports, and no run of them starts on ${formatDay(covered.start)} and ends on ${formatDay(covered.end)}. ` +
    'Ask for whole Sunday–Saturday weeks (e.g. last-4-weeks) or whole calendar months (e.g. last-month), ' +
    'or import a Users report for exactly this range; numbers are never estimated from overlapping reports.'
  );
}

/** How the facts answer `range` (see the header). */
export function resolveRange(src: Source, range: DateRange): Resolution {
  const covered = coveredPart(src, range);
  if (covered === null) return { kind: 'empty', covered: null, dataFrom: src.dataFrom, dataThrough: src.dataThrough };
  if (src.usageSource === 'events') {
    return { kind: 'ok', covered, parts: [{ grain: 'day', from: covered.start, to: covered.end }] };
  }
  let best: UsersReport[] | null = null;
  for (const grain of GRAIN_ORDER) {
    const c = chain(src.reports, grain, covered);
    if (typeof c !== 'string' && (best === null || c.length < best.length)) best = c;
  }
  if (best === null) return { kind: 'untileable', covered, reason: untileableReason(src.reports, covered) };
  return {
    kind: 'ok',
    covered,
    parts: best.map((r) => ({ grain: r.grain, from: r.period_start, to: r.period_start })),
  };
}

/** "Nov 2026". */
function monthName(day: string): string {
  return formatDay(day).replace(/^\d+ /, '');
}

/**
 * What data exists, for a range (or the stretch of trend entries) wholly outside it: "No data yet
 * for 22–25 Nov 2026: the data runs through Sat 21 Nov 2026."
 */
export function noDataWarning(bounds: { dataFrom: string | null; dataThrough: string | null }, range: DateRange): string {
  if (bounds.dataFrom === null || bounds.dataThrough === null) return 'No usage data has been imported yet.';
  if (range.start > bounds.dataThrough) {
    return `No data yet for ${formatRange(range)}: the data runs through ${formatWeekday(bounds.dataThrough)}.`;
  }
  return `No data for ${formatRange(range)}: the data starts ${formatWeekday(bounds.dataFrom)}.`;
}

/** The warning for an answer whose covered part differs from the period asked (§5). */
export function coverageWarning(src: Source, range: DateRange, covered: DateRange | null): string | null {
  if (covered === null) return noDataWarning(src, range);
  if (sameRange(covered, range)) return null;
  const parts: string[] = [];
  if (covered.start > range.start) parts.push(`starts ${formatWeekday(covered.start)}`);
  if (covered.end < range.end) parts.push(`runs through ${formatWeekday(covered.end)}`);
  return `Numbers cover ${formatRange(covered)} only, not all of ${formatRange(range)}: the data ${parts.join(' and ')}.`;
}
