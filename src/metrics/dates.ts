/**
 * UTC calendar arithmetic on `YYYY-MM-DD` strings: weeks run Sunday–Saturday (docs/design.md §3), months
 * are calendar months. Pure functions, no clock.
 *
 * Where §5 is silent:
 * - The previous period is inferred from the range as asked (before clipping to today): N whole
 *   Sunday–Saturday weeks → the N weeks before; N whole calendar months → the N months before;
 *   anything else → the equal-length range ending the day before. So `this-week` (passed as its
 *   whole Sunday–Saturday week) compares with the whole previous week, as §5 says.
 */
import type { DateRange, Grain } from './api.ts';

const DAY_MS = 86_400_000;

function toMs(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

function fromMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return fromMs(toMs(day) + n * DAY_MS);
}

/** Days from a to b (b − a). */
export function diffDays(a: string, b: string): number {
  return Math.round((toMs(b) - toMs(a)) / DAY_MS);
}

/** Inclusive length of a range in days. */
export function lengthDays(r: DateRange): number {
  return diffDays(r.start, r.end) + 1;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: string): number {
  return new Date(toMs(day)).getUTCDay();
}

export function weekStart(day: string): string {
  return addDays(day, -weekday(day));
}

export function monthStart(day: string): string {
  return `${day.slice(0, 8)}01`;
}

export function monthEnd(day: string): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return fromMs(Date.UTC(y, m, 0));
}

/** The first day of the month `n` months after the month of `day` (n may be negative). */
export function addMonths(day: string, n: number): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1 + n;
  return fromMs(Date.UTC(y, m, 1));
}

export function minDay(a: string, b: string): string {
  return a <= b ? a : b;
}

export function maxDay(a: string, b: string): string {
  return a >= b ? a : b;
}

export function isWholeWeeks(r: DateRange): boolean {
  return r.start <= r.end && weekday(r.start) === 0 && weekday(r.end) === 6;
}

export function isWholeMonths(r: DateRange): boolean {
  return r.start <= r.end && r.start.endsWith('-01') && monthEnd(r.end) === r.end;
}

/** The range asked, its end clipped to today. */
export function clipToToday(range: DateRange, today: string): DateRange {
  return { start: range.start, end: minDay(range.end, today) };
}

/** §5: week when P is whole Sunday–Saturday weeks, month when whole calendar months, else day. */
export function defaultGrain(range: DateRange): Grain {
  if (isWholeWeeks(range)) return 'week';
  if (isWholeMonths(range)) return 'month';
  return 'day';
}

/** §5: the period just before, of the same kind (see the header for how the kind is read). */
export function previousPeriod(range: DateRange): DateRange {
  if (isWholeWeeks(range)) {
    const n = lengthDays(range);
    return { start: addDays(range.start, -n), end: addDays(range.start, -1) };
  }
  if (isWholeMonths(range)) {
    const months =
      (Number(range.end.slice(0, 4)) - Number(range.start.slice(0, 4))) * 12 +
      Number(range.end.slice(5, 7)) -
      Number(range.start.slice(5, 7)) +
      1;
    return { start: addMonths(range.start, -months), end: addDays(range.start, -1) };
  }
  const n = lengthDays(range);
  return { start: addDays(range.start, -n), end: addDays(range.start, -1) };
}

/** The grain's periods overlapping `range`, clipped to it, oldest first. */
export function grainPeriods(range: DateRange, grain: Grain): DateRange[] {
  const out: DateRange[] = [];
  let cursor = range.start;
  while (cursor <= range.end) {
    const natEnd =
      grain === 'day' ? cursor : grain === 'week' ? addDays(weekStart(cursor), 6) : monthEnd(cursor);
    const end = minDay(natEnd, range.end);
    out.push({ start: cursor, end });
    cursor = addDays(end, 1);
  }
  return out;
}

/** The complete Sunday–Saturday weeks inside a range. */
export function completeWeeks(range: DateRange): DateRange[] {
  return grainPeriods(range, 'week').filter((w) => isWholeWeeks(w) && lengthDays(w) === 7);
}

export function intersect(a: DateRange, b: DateRange): DateRange | null {
  const start = maxDay(a.start, b.start);
  const end = minDay(a.end, b.end);
  return start <= end ? { start, end } : null;
}

export function sameRange(a: DateRange | null, b: DateRange | null): boolean {
  return a === b || (a !== null && b !== null && a.start === b.start && a.end === b.end);
}

export function formatRange(r: DateRange): string {
  return r.start === r.end ? r.start : `${r.start} – ${r.end}`;
}
