/**
 * Day arithmetic for the generator. A day is an integer: days since 1970-01-01 (UTC). Weeks run
 * Sunday–Saturday (docs/design.md §3), months are calendar months.
 */

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDay(text: string): number {
  const m = ISO_DATE.exec(text);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${text}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = ms / MS_PER_DAY;
  if (formatIsoDay(day) !== text) throw new Error(`not a calendar date: ${text}`);
  return day;
}

export function dayOfDate(date: Date): number {
  return Math.floor(date.getTime() / MS_PER_DAY);
}

export function formatIsoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The Saturday that ends the last complete Sunday–Saturday week before `today`. */
export function lastCompleteWeekEnd(today: number): number {
  return today - dayOfWeek(today) - 1;
}

export interface YearMonth {
  year: number;
  /** 1–12 */
  month: number;
}

export function yearMonthOf(day: number): YearMonth {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
}

export function monthStart(day: number): number {
  const { year, month } = yearMonthOf(day);
  return Date.UTC(year, month - 1, 1) / MS_PER_DAY;
}

export function monthEnd(day: number): number {
  const { year, month } = yearMonthOf(day);
  return Date.UTC(year, month, 1) / MS_PER_DAY - 1;
}

/**
 * Formats days quickly from a precomputed table covering [first, last]; days outside it fall
 * back to Date.
 */
export class DayFormatter {
  private readonly first: number;
  private readonly table: string[];

  constructor(first: number, last: number) {
    this.first = first;
    this.table = [];
    for (let d = first; d <= last; d++) this.table.push(formatIsoDay(d));
  }

  format(day: number): string {
    return this.table[day - this.first] ?? formatIsoDay(day);
  }
}
