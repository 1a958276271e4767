/**
 * What an export covers (docs/design.md §7 "Exports"): the report type, the range and its blocks.
 * A preset implies its grain — `last-week` one week, `last-month` one month, `last-N-weeks` /
 * `last-N-months` one block per week or month, `this-week` / `this-month` one unfinished block;
 * `from`/`to` with a cadence gives one block per week or month and must line up with it; `from`/`to`
 * alone gives one Date Range block. GPT, Project and Impact exports are one Date Range block.
 * Pure: today is passed in.
 */
import { UsageError } from '../core/errors.ts';
import {
  addDays,
  addMonthsToMonthStart,
  customPeriod,
  endOfMonth,
  endOfWeek,
  minDate,
  presetPeriod,
  startOfMonth,
  startOfWeek,
  type IsoDate,
  type PresetName,
} from '../core/periods.ts';

export const EXPORT_TYPES = ['users', 'gpts', 'projects', 'impact'] as const;
export type ExportType = (typeof EXPORT_TYPES)[number];
export const CADENCES = ['weekly', 'monthly'] as const;
export type Cadence = (typeof CADENCES)[number];

export function isExportType(word: string): word is ExportType {
  return (EXPORT_TYPES as readonly string[]).includes(word);
}

export function isCadence(word: string): word is Cadence {
  return (CADENCES as readonly string[]).includes(word);
}

/** One period of the file: a week, a month or a date range, its rows under one cadence. */
export interface ExportBlock {
  readonly grain: 'week' | 'month' | 'range';
  readonly start: IsoDate;
  /** The natural end (a week's Saturday, a month's last day); may be after today. */
  readonly end: IsoDate;
}

export interface ExportPlan {
  readonly type: ExportType;
  readonly start: IsoDate;
  /** Clipped to today. */
  readonly end: IsoDate;
  readonly blocks: readonly ExportBlock[];
}

export interface ExportRequest {
  readonly type: ExportType;
  readonly preset?: PresetName;
  readonly from?: IsoDate;
  readonly to?: IsoDate;
  readonly cadence?: Cadence;
}

/** The preset an export without a period covers. */
export const DEFAULT_EXPORT_PRESET: PresetName = 'last-week';

const PRESET_GRAIN: Record<PresetName, 'week' | 'month'> = {
  'this-week': 'week',
  'last-week': 'week',
  'last-4-weeks': 'week',
  'last-12-weeks': 'week',
  'this-month': 'month',
  'last-month': 'month',
  'last-3-months': 'month',
  'last-6-months': 'month',
  'last-12-months': 'month',
};

function blocksOf(grain: 'week' | 'month', start: IsoDate, end: IsoDate): ExportBlock[] {
  const out: ExportBlock[] = [];
  for (let s = start; s <= end; s = grain === 'week' ? addDays(s, 7) : addMonthsToMonthStart(s, 1)) {
    out.push({ grain, start: s, end: grain === 'week' ? endOfWeek(s) : endOfMonth(s) });
  }
  return out;
}

/**
 * The plan of an export. Throws UsageError (exit 1, no file) for a range over 12 months, ending
 * after today, starting after its end, or not lined up with its cadence (naming the nearest one
 * that is); a cadence on a GPT, Project or Impact export is the caller's to refuse (exit 2).
 */
export function planExport(request: ExportRequest, today: IsoDate): ExportPlan {
  const { type } = request;
  if (request.from !== undefined || request.to !== undefined) {
    if (request.from === undefined) throw new UsageError('A range needs its start: give from as well as to.');
    const range = customPeriod(request.from, request.to, today);
    if (type !== 'users' || request.cadence === undefined) {
      return { type, start: range.start, end: range.end, blocks: [{ grain: 'range', start: range.start, end: range.end }] };
    }
    const grain = request.cadence === 'weekly' ? 'week' : 'month';
    const alignedStart = grain === 'week' ? startOfWeek(range.start) : startOfMonth(range.start);
    const naturalEnd = grain === 'week' ? endOfWeek(range.end) : endOfMonth(range.end);
    // The last block may be the unfinished current one, ending today.
    const endsWell = range.end === naturalEnd || (naturalEnd > today && range.end === today);
    if (alignedStart !== range.start || !endsWell) {
      const nearestEnd = naturalEnd > today ? today : naturalEnd;
      const unit = grain === 'week' ? 'whole Sunday–Saturday weeks' : 'whole calendar months';
      throw new UsageError(
        `${range.start} to ${range.end} does not line up with the ${request.cadence} cadence (${unit}); ` +
          `the nearest range that does is ${alignedStart} to ${nearestEnd}.`,
      );
    }
    return { type, start: range.start, end: range.end, blocks: blocksOf(grain, range.start, range.end) };
  }
  const preset = request.preset ?? DEFAULT_EXPORT_PRESET;
  const period = presetPeriod(preset, today);
  const end = minDate(period.nominalEnd, today);
  if (type !== 'users') {
    return { type, start: period.start, end, blocks: [{ grain: 'range', start: period.start, end }] };
  }
  return { type, start: period.start, end, blocks: blocksOf(PRESET_GRAIN[preset], period.start, end) };
}

/** The file name an export is offered under: `users-2025-10-26-to-2025-11-01.csv`. */
export function exportFileName(plan: Pick<ExportPlan, 'type' | 'start' | 'end'>): string {
  return `${plan.type}-${plan.start}-to-${plan.end}.csv`;
}
