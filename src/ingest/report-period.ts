/**
 * A report's period, from the common columns (docs/design.md §4.1): the cadence says the grain, and the
 * dates must fit it — weeks run Sunday to Saturday, months are calendar months, a partial period
 * starts where its full one does and ends before it.
 */
import { addDays, endOfMonth, weekday } from '../core/periods.ts';
import type { ReportGrain } from '../store/schema.ts';
import type { RowReader } from './cells.ts';
import { quoteCell } from './cells.ts';

export const CADENCES = ['Weekly', 'Monthly', 'Partial Weekly', 'Partial Monthly', 'Date Range'] as const;
export type Cadence = (typeof CADENCES)[number];

export function grainOf(cadence: Cadence): ReportGrain {
  if (cadence === 'Weekly' || cadence === 'Partial Weekly') return 'week';
  if (cadence === 'Monthly' || cadence === 'Partial Monthly') return 'month';
  return 'range';
}

export interface ReportPeriod {
  readonly cadence: Cadence;
  readonly grain: ReportGrain;
  readonly start: string;
  readonly end: string;
  readonly accountId: string;
}

/** Reads and checks the common columns of the first data row; null when they are invalid. */
export function readPeriod(row: RowReader): ReportPeriod | null {
  const cadenceText = row.raw('cadence');
  let cadence: Cadence | null = null;
  if (cadenceText === '') row.problem('cadence', `is blank; it must be one of ${CADENCES.join(', ')}`);
  else if (!(CADENCES as readonly string[]).includes(cadenceText)) {
    const near = CADENCES.find((c) => c.toLowerCase() === cadenceText.trim().toLowerCase());
    row.problem(
      'cadence',
      `${quoteCell(cadenceText)} is not a cadence: one of ${CADENCES.join(', ')}` +
        (near ? ` (cadences are case-sensitive: ${near})` : ''),
    );
  } else cadence = cadenceText as Cadence;
  const start = row.date('period_start', true);
  const end = row.date('period_end', true);
  const accountId = row.required('account_id', 'the workspace account id');
  if (accountId !== null && /\s/.test(accountId)) {
    row.problem('account_id', `${quoteCell(accountId)} holds spaces; a workspace account id does not`);
  }
  if (start === null || end === null) return null;
  if (end < start) {
    row.problem('period_end', `${end} is before period_start ${start}`);
    return null;
  }
  if (cadence === null || accountId === null) return null;
  const problem = periodProblem(cadence, start, end);
  if (problem) {
    row.problem(problem.column, problem.message);
    return null;
  }
  return { cadence, grain: grainOf(cadence), start, end, accountId };
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** What is wrong with the dates of a cadence's period, if anything (start ≤ end is given). */
export function periodProblem(
  cadence: Cadence,
  start: string,
  end: string,
): { column: 'period_start' | 'period_end'; message: string } | undefined {
  if (cadence === 'Weekly' || cadence === 'Partial Weekly') {
    if (weekday(start) !== 0) {
      return {
        column: 'period_start',
        message: `a ${cadence} report starts on a Sunday (weeks run Sunday–Saturday); ${start} is a ${DAYS[weekday(start)]}`,
      };
    }
    const saturday = addDays(start, 6);
    if (cadence === 'Weekly' && end !== saturday) {
      return { column: 'period_end', message: `a Weekly report starting ${start} ends on Saturday ${saturday}, not ${end}` };
    }
    if (cadence === 'Partial Weekly' && end >= saturday) {
      return {
        column: 'period_end',
        message: `a Partial Weekly report ends before the week's Saturday ${saturday}; ${end} ${end === saturday ? 'completes the week (that is a Weekly report)' : 'is past the week'}`,
      };
    }
    return undefined;
  }
  if (cadence === 'Monthly' || cadence === 'Partial Monthly') {
    if (!start.endsWith('-01')) {
      return { column: 'period_start', message: `a ${cadence} report starts on the 1st of a month, not ${start}` };
    }
    const last = endOfMonth(start);
    if (cadence === 'Monthly' && end !== last) {
      return { column: 'period_end', message: `a Monthly report starting ${start} ends on ${last}, not ${end}` };
    }
    if (cadence === 'Partial Monthly' && end >= last) {
      return {
        column: 'period_end',
        message: `a Partial Monthly report ends before the month's last day ${last}; ${end} ${end === last ? 'completes the month (that is a Monthly report)' : 'is past the month'}`,
      };
    }
    return undefined;
  }
  return undefined;
}

/** Checks that a later row's common columns repeat the first row's. */
export function checkSamePeriod(row: RowReader, period: ReportPeriod, firstLine: number): void {
  const expected: Record<string, string> = {
    cadence: period.cadence,
    period_start: period.start,
    period_end: period.end,
    account_id: period.accountId,
  };
  for (const column in expected) {
    const v = row.raw(column);
    if (v !== expected[column]) {
      row.problem(
        column,
        `${quoteCell(v)} differs from line ${firstLine} (${quoteCell(expected[column]!)}); every row of a report has the same ${column}`,
      );
    }
  }
}

/** A date cell that must fall inside the report's period. */
export function checkInPeriod(row: RowReader, column: string, date: string | null, period: ReportPeriod): void {
  if (date === null) return;
  if (date < period.start || date > period.end) {
    row.problem(column, `${date} is outside the report's period ${period.start}..${period.end}`);
  }
}

