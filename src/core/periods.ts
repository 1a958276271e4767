/**
 * Periods (docs/design.md §5 "Periods", §3): presets, custom ranges, the previous period of the same
 * kind, and the default trend grain. Pure: dates are `YYYY-MM-DD` strings in UTC, "today" is
 * passed in. Weeks run Sunday–Saturday.
 */
import { UsageError } from './errors.ts';

export type IsoDate = string;

export interface DateRange {
  readonly start: IsoDate;
  readonly end: IsoDate;
}

export const GRAINS = ['day', 'week', 'month'] as const;
export type Grain = (typeof GRAINS)[number];

export const PRESETS = [
  'this-week',
  'this-month',
  'last-week',
  'last-month',
  'last-4-weeks',
  'last-12-weeks',
  'last-3-months',
  'last-6-months',
  'last-12-months',
] as const;
export type PresetName = (typeof PRESETS)[number];

export function isPreset(word: string): word is PresetName {
  return (PRESETS as readonly string[]).includes(word);
}

/** A period as asked: its end is clipped to today (a `this-…` period is "so far"). */
export interface Period extends DateRange {
  /** null for a custom `from:`/`to:` range. */
  readonly preset: PresetName | null;
  /** The end before clipping to today (the Saturday of this week, the last day of this month). */
  readonly nominalEnd: IsoDate;
  /** The period is still running: its nominal end is after today. */
  readonly toDate: boolean;
}

/** The longest custom range: `to` must fall before `from` + 12 months. */
export const MAX_RANGE_MONTHS = 12;

/** The preset used when a command is asked without a period (docs/design.md §5). */
const LONG_DEFAULT: PresetName = 'last-12-weeks';
const SHORT_DEFAULT: PresetName = 'last-4-weeks';
const LONG_DEFAULT_COMMANDS = new Set(['overview', 'active-users', 'messages', 'skills', 'apps']);

export function defaultPreset(command: string): PresetName {
  return LONG_DEFAULT_COMMANDS.has(command) ? LONG_DEFAULT : SHORT_DEFAULT;
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic on YYYY-MM-DD strings (UTC)

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01. */
export function dayNumber(date: IsoDate): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function fromDayNumber(n: number): IsoDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** The UTC calendar day of an instant. */
export function utcDate(instant: Date): IsoDate {
  return instant.toISOString().slice(0, 10);
}

/** A real calendar date written `YYYY-MM-DD`, else undefined (2026-02-30 is not one). */
export function parseIsoDate(text: string): IsoDate | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return undefined;
  }
  return text;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function startOfWeek(date: IsoDate): IsoDate {
  return addDays(date, -weekday(date));
}

export function endOfWeek(date: IsoDate): IsoDate {
  return addDays(startOfWeek(date), 6);
}

export function startOfMonth(date: IsoDate): IsoDate {
  return `${date.slice(0, 7)}-01`;
}

/** The first day of the month `months` after (or before) the month of `date`. */
export function addMonthsToMonthStart(date: IsoDate, months: number): IsoDate {
  const d = new Date(`${startOfMonth(date)}T00:00:00Z`);
  return utcDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1)));
}

export function endOfMonth(date: IsoDate): IsoDate {
  return addDays(addMonthsToMonthStart(date, 1), -1);
}

/**
 * `date` plus whole months, JavaScript-style: a day the target month lacks rolls over
 * (2024-02-29 + 12 months = 2025-03-01), so a range may run to the day before.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  return utcDate(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate())));
}

/** Days in a range, both ends included. */
export function daysIn(range: DateRange): number {
  return dayNumber(range.end) - dayNumber(range.start) + 1;
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

/** The days two ranges share, or null when they share none. */
export function intersect(a: DateRange, b: DateRange): DateRange | null {
  const start = maxDate(a.start, b.start);
  const end = minDate(a.end, b.end);
  return start <= end ? { start, end } : null;
}

export function sameRange(a: DateRange | null, b: DateRange | null): boolean {
  return a === b || (a !== null && b !== null && a.start === b.start && a.end === b.end);
}

// ---------------------------------------------------------------------------------------------
// Presets and custom ranges

function period(preset: PresetName | null, start: IsoDate, nominalEnd: IsoDate, today: IsoDate): Period {
  const end = minDate(nominalEnd, today);
  return { preset, start, end, nominalEnd, toDate: nominalEnd > today };
}

/** A preset relative to today (UTC). */
export function presetPeriod(preset: PresetName, today: IsoDate): Period {
  const thisWeek = startOfWeek(today);
  const thisMonth = startOfMonth(today);
  switch (preset) {
    case 'this-week':
      return period(preset, thisWeek, addDays(thisWeek, 6), today);
    case 'this-month':
      return period(preset, thisMonth, endOfMonth(today), today);
    case 'last-week':
      return period(preset, addDays(thisWeek, -7), addDays(thisWeek, -1), today);
    case 'last-month':
      return period(preset, addMonthsToMonthStart(today, -1), addDays(thisMonth, -1), today);
    case 'last-4-weeks':
    case 'last-12-weeks': {
      const weeks = preset === 'last-4-weeks' ? 4 : 12;
      return period(preset, addDays(thisWeek, -7 * weeks), addDays(thisWeek, -1), today);
    }
    case 'last-3-months':
    case 'last-6-months':
    case 'last-12-months': {
      const months = Number(preset.split('-')[1]);
      return period(preset, addMonthsToMonthStart(today, -months), addDays(thisMonth, -1), today);
    }
  }
}

/**
 * A custom range `from:`…`to:`. `to` defaults to today; it must not be before `from`, not after
 * today, and before `from` + 12 months.
 */
export function customPeriod(fromText: string, toText: string | undefined, today: IsoDate): Period {
  const from = parseIsoDate(fromText);
  if (!from) throw new UsageError(notADate('from', fromText));
  const to = toText === undefined ? today : parseIsoDate(toText);
  if (!to) throw new UsageError(notADate('to', toText ?? ''));
  if (from > today) {
    throw new UsageError(`from:${from} is after today (${today}); a period cannot start in the future.`);
  }
  if (to > today) {
    throw new UsageError(`to:${to} is after today (${today}); a period cannot end in the future.`);
  }
  if (to < from) throw new UsageError(`to:${to} is before from:${from}; give the earlier date first.`);
  const limit = addMonths(from, MAX_RANGE_MONTHS);
  if (to >= limit) {
    throw new UsageError(
      `from:${from} to:${to} is longer than ${MAX_RANGE_MONTHS} months; the longest range starting ${from} ends ${addDays(limit, -1)}.`,
    );
  }
  return { preset: null, start: from, end: to, nominalEnd: to, toDate: false };
}

function notADate(key: string, text: string): string {
  return `${key}:${text} is not a date; write it as YYYY-MM-DD, e.g. ${key}:2026-01-31.`;
}

/**
 * What the previous period depends on: a period's dates and its kind (the preset it was asked as,
 * null for a custom range). A {@link Period} is one; so is a preset's natural range with its preset.
 */
export type PeriodKind = Pick<Period, 'preset' | 'start' | 'end'>;

/**
 * The period just before, of the same kind (what `*_change_pct` compares with): the previous
 * week, month, N weeks or N months, or the equal-length range before a custom range. A `this-…`
 * period is compared with the whole previous week or month. The kind comes from the preset, not
 * from the dates: a custom range that happens to be whole months is still a custom range.
 */
export function previousPeriod(p: PeriodKind): DateRange {
  switch (p.preset) {
    case 'this-week':
    case 'last-week':
      return { start: addDays(p.start, -7), end: addDays(p.start, -1) };
    case 'last-4-weeks':
      return { start: addDays(p.start, -28), end: addDays(p.start, -1) };
    case 'last-12-weeks':
      return { start: addDays(p.start, -84), end: addDays(p.start, -1) };
    case 'this-month':
    case 'last-month':
      return { start: addMonthsToMonthStart(p.start, -1), end: addDays(p.start, -1) };
    case 'last-3-months':
    case 'last-6-months':
    case 'last-12-months': {
      const months = Number(p.preset.split('-')[1]);
      return { start: addMonthsToMonthStart(p.start, -months), end: addDays(p.start, -1) };
    }
    case null: {
      const length = daysIn(p);
      return { start: addDays(p.start, -length), end: addDays(p.start, -1) };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Trend grain

export function isWholeWeeks(range: DateRange): boolean {
  return weekday(range.start) === 0 && weekday(range.end) === 6 && range.end >= range.start;
}

export function isWholeMonths(range: DateRange): boolean {
  return range.start.endsWith('-01') && range.end === endOfMonth(range.end) && range.end >= range.start;
}

/**
 * The trend grain without `by:` (docs/design.md §5): week when the range is whole Sunday–Saturday weeks,
 * month when it is whole calendar months, else day. Checked in that order (February 2026 is
 * both: it gets weeks).
 */
export function defaultGrain(range: DateRange): Grain {
  if (isWholeWeeks(range)) return 'week';
  if (isWholeMonths(range)) return 'month';
  return 'day';
}

/** The grain's periods overlapping the range, each clipped to it (a trend's series entries). */
export function grainPeriods(range: DateRange, grain: Grain): DateRange[] {
  const out: DateRange[] = [];
  let cursor = range.start;
  while (cursor <= range.end) {
    const natural =
      grain === 'day' ? cursor : grain === 'week' ? endOfWeek(cursor) : endOfMonth(cursor);
    const end = minDate(natural, range.end);
    out.push({ start: cursor, end });
    cursor = addDays(end, 1);
  }
  return out;
}

/** The complete Sunday–Saturday weeks inside a range. */
export function completeWeeks(range: DateRange): DateRange[] {
  return grainPeriods(range, 'week').filter((w) => isWholeWeeks(w) && daysIn(w) === 7);
}

// ---------------------------------------------------------------------------------------------
// Words for people

/** "2026-02-01 – 2026-02-07", "2026-02-01": the dates as written in `--json` (metric warnings). */
export function formatIsoRange(range: DateRange): string {
  return range.start === range.end ? range.start : `${range.start} – ${range.end}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "5 Oct 2026". */
export function formatDay(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Sat 21 Nov 2026": a day named with its weekday, for where the data starts or ends. */
export function formatWeekday(date: IsoDate): string {
  return `${WEEKDAYS[weekday(date)]} ${formatDay(date)}`;
}

/** "5 Oct – 1 Nov 2026", "28 Dec 2025 – 3 Jan 2026", "12 Nov 2026". */
export function formatRange(range: DateRange): string {
  if (range.start === range.end) return formatDay(range.start);
  const [sy, sm] = range.start.split('-');
  const [ey, em] = range.end.split('-');
  const startDay = Number(range.start.slice(8));
  if (sy !== ey) return `${formatDay(range.start)} – ${formatDay(range.end)}`;
  if (sm !== em) return `${startDay} ${MONTHS[Number(sm) - 1]} – ${formatDay(range.end)}`;
  return `${startDay}–${formatDay(range.end)}`;
}

const PRESET_WORDS: Record<PresetName, string> = {
  'this-week': 'this week so far',
  'this-month': 'this month so far',
  'last-week': 'last week',
  'last-month': 'last month',
  'last-4-weeks': 'last 4 weeks',
  'last-12-weeks': 'last 12 weeks',
  'last-3-months': 'last 3 months',
  'last-6-months': 'last 6 months',
  'last-12-months': 'last 12 months',
};

/** "last 4 weeks (5 Oct – 1 Nov 2026)", "1–15 Oct 2026". */
export function describePeriod(p: Period): string {
  const dates = formatRange(p);
  if (p.preset === null) return dates;
  return `${PRESET_WORDS[p.preset]} (${dates})`;
}

/** What the previous period is called in a comparison: "the previous 4 weeks", "last month". */
export function describePrevious(p: Period): string {
  switch (p.preset) {
    case 'this-week':
      return 'all of last week';
    case 'this-month':
      return 'all of last month';
    case 'last-week':
      return 'the week before';
    case 'last-month':
      return 'the month before';
    case 'last-4-weeks':
      return 'the 4 weeks before';
    case 'last-12-weeks':
      return 'the 12 weeks before';
    case 'last-3-months':
      return 'the 3 months before';
    case 'last-6-months':
      return 'the 6 months before';
    case 'last-12-months':
      return 'the 12 months before';
    case null:
      return `the ${daysIn(p)} days before`;
  }
}
