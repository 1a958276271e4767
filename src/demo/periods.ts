/**
 * Report periods of the window: one per Sunday–Saturday week, one per complete calendar month
 * inside it, and the month still running at the window's end as `Partial Monthly`. A month that
 * began before the window has no report (its first days have no data).
 */
import { formatIsoDay, monthEnd, monthStart } from './dates.ts';

export type Cadence = 'Weekly' | 'Monthly' | 'Partial Monthly';

export interface Period {
  cadence: Cadence;
  /** Day numbers, inclusive. */
  start: number;
  end: number;
}

/** The period ending on `day`: its weekly one (a Saturday) and/or its monthly one. */
export function periodsEndingOn(day: number, windowStart: number, windowEnd: number): { week?: Period; month?: Period } {
  const out: { week?: Period; month?: Period } = {};
  if ((day - windowStart) % 7 === 6) out.week = { cadence: 'Weekly', start: day - 6, end: day };
  const ms = monthStart(day);
  if (ms >= windowStart) {
    if (day === monthEnd(day)) out.month = { cadence: 'Monthly', start: ms, end: day };
    else if (day === windowEnd) out.month = { cadence: 'Partial Monthly', start: ms, end: day };
  }
  return out;
}


/** The leading CSV cells every report row starts with: `cadence,period_start,period_end,account_id,`. */
export function commonCells(period: Period, accountId: string): string {
  return `${period.cadence},${formatIsoDay(period.start)},${formatIsoDay(period.end)},${accountId},`;
}

export const COMMON_COLUMNS = ['cadence', 'period_start', 'period_end', 'account_id'] as const;

/** `users-weekly-2025-10-26_2025-11-01.csv` */
export function reportFileName(kind: string, period: Period): string {
  const cadence = period.cadence.toLowerCase().replace(' ', '-');
  return `${kind}/${kind}-${cadence}-${formatIsoDay(period.start)}_${formatIsoDay(period.end)}.csv`;
}
