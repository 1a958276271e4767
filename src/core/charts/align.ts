/**
 * Lining the previous period up with the current one on a trend. Weeks and months match by
 * position (the n-th week of the previous period under the n-th of this one). Days match by
 * weekday: a Monday is compared with a Monday, so the previous period is moved by whole weeks —
 * by exactly its own distance when that is whole weeks (4 weeks before 4 weeks), else by the
 * whole number of weeks that lines up the most days (last month's days moved 4 weeks). Where no
 * day lines up (a 3-day range against the 3 days before), the previous period is not drawn.
 */
import { formatInteger } from './format.ts';
import type { Grain, SeriesPoint } from './types.ts';

const DAY_MS = 86_400_000;

export interface AlignedPrevious {
  /** Entry i is drawn over the current series' point i; null draws nothing there. */
  values: (number | null)[];
  /** The previous period's day (or period start) each value comes from, null where none. */
  from: (string | null)[];
  /** Days the previous period was moved by (day grain), or null for matching by position. */
  shiftDays: number | null;
  /** The previous period's own distance from the current one, in days (day grain). */
  distanceDays: number | null;
}

function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!) / DAY_MS;
}

function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The previous period's values matched to the current points (see the file comment). */
export function alignPrevious(current: readonly SeriesPoint[], previous: readonly SeriesPoint[], grain: Grain): AlignedPrevious {
  if (grain !== 'day' || current.length === 0 || previous.length === 0) {
    return {
      values: current.map((_, i) => previous[i]?.value ?? null),
      from: current.map((_, i) => previous[i]?.period_start ?? null),
      shiftDays: null,
      distanceDays: null,
    };
  }
  const byDay = new Map(previous.map((p) => [dayNumber(p.period_start), p]));
  const distance = dayNumber(current[0]!.period_start) - dayNumber(previous[0]!.period_start);
  const lined = (shift: number) => current.filter((p) => byDay.get(dayNumber(p.period_start) - shift)?.value != null).length;
  // The whole weeks on either side of the distance; of two, the one lining up more days, then the nearer.
  const weeks = [...new Set([Math.floor(distance / 7), Math.ceil(distance / 7)])].filter((w) => w >= 1);
  const shift = weeks
    .map((w) => w * 7)
    .sort((a, b) => lined(b) - lined(a) || Math.abs(a - distance) - Math.abs(b - distance))[0];
  if (shift === undefined || lined(shift) === 0) {
    return { values: current.map(() => null), from: current.map(() => null), shiftDays: shift ?? null, distanceDays: distance };
  }
  const source = current.map((p) => byDay.get(dayNumber(p.period_start) - shift) ?? null);
  return {
    values: source.map((p) => p?.value ?? null),
    from: source.map((p, i) => (p ? dayString(dayNumber(current[i]!.period_start) - shift) : null)),
    shiftDays: shift,
    distanceDays: distance,
  };
}

/** "1 week" / "4 weeks". */
function weeksWord(days: number): string {
  const weeks = days / 7;
  return `${formatInteger(weeks)} ${weeks === 1 ? 'week' : 'weeks'}`;
}

/**
 * What the chart says about the previous period's line: nothing when it is drawn as it is (weeks,
 * months, or days already whole weeks apart); how it was moved; or why it is left out.
 */
export function alignmentNote(aligned: AlignedPrevious, drawn: boolean): string | null {
  const { shiftDays, distanceDays } = aligned;
  if (shiftDays === null && distanceDays === null) return null;
  if (!drawn) return 'Previous period not drawn: none of its days lines up by weekday.';
  if (shiftDays === distanceDays) return null;
  return `Grey: the same weekday ${weeksWord(shiftDays!)} earlier, so weekdays line up.`;
}

/** The legend name of the previous period's line when it was moved to line up weekdays. */
export function shiftedName(aligned: AlignedPrevious, name: string): string {
  const { shiftDays, distanceDays } = aligned;
  if (shiftDays === null || shiftDays === distanceDays) return name;
  return `${weeksWord(shiftDays)} earlier`;
}
