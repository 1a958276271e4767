/** Building MetricAnswers: the common frame, series, change percentages and shared warnings. */
import { UnanswerableError } from '../core/errors.ts';
import { defaultGrain, formatIsoRange, grainPeriods, previousPeriod, type DateRange, type Grain } from '../core/periods.ts';
import type { SeriesEntry } from '../core/reply.ts';
import type { MetricAnswer, MetricValue } from './types.ts';
import type { RangeActivity } from './activity.ts';
import type { Ctx } from './context.ts';
import { coverageWarning, type Resolution } from './coverage.ts';

export function partial(ctx: Ctx): boolean {
  if (ctx.req.range.end > ctx.req.today) return true;
  return ctx.src.dataThrough !== null && ctx.range.end > ctx.src.dataThrough;
}

/** The frame of an answer over `ctx.range` whose covered part resolved as `res`. */
export function frame(ctx: Ctx, res: Resolution | null): MetricAnswer {
  const warnings: string[] = [];
  if (res !== null) {
    const w = coverageWarning(ctx.src, ctx.range, res.covered);
    if (w) warnings.push(w);
  }
  return {
    range: ctx.range,
    covered: res === null ? null : res.covered,
    partial: partial(ctx),
    grain: null,
    dataThrough: ctx.src.dataThrough,
    lastUpdated: ctx.src.lastUpdated,
    group: ctx.group,
    values: {},
    series: [],
    rows: [],
    warnings,
  };
}

/** Throws the explanation when the period itself cannot be answered from the reports. */
export function requireAnswerable(res: Resolution): asserts res is Exclude<Resolution, { kind: 'untileable' }> {
  if (res.kind === 'untileable') throw new UnanswerableError(res.reason);
}

export function ratio(num: number | null, den: number | null): MetricValue {
  if (num === null || den === null || den === 0) return null;
  return num / den;
}

/** The previous period of the same kind as the one asked, for `*_change_pct`. */
export function comparisonRange(ctx: Ctx): DateRange {
  return previousPeriod({ ...ctx.req.range, preset: ctx.req.preset ?? null });
}

/**
 * `*_change_pct` for each key: (this − previous) / previous; null when the previous period has no
 * data, is 0, or cannot be answered, and when this period's value is null.
 */
export function changePcts(
  keys: readonly string[],
  current: Record<string, MetricValue>,
  prev: RangeActivity,
  warnings: string[],
): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = {};
  const res = prev.resolution;
  const prevValues = prev.activity as unknown as Record<string, number | null> | null;
  if (res.kind === 'empty') {
    warnings.push(`No data for the previous period (${formatIsoRange(prev.range)}): no change is shown.`);
  } else if (res.kind === 'untileable') {
    warnings.push(`The previous period (${formatIsoRange(prev.range)}) cannot be compared: ${res.reason}`);
  } else if (res.covered.start !== prev.range.start || res.covered.end !== prev.range.end) {
    warnings.push(
      `The previous period (${formatIsoRange(prev.range)}) has data for ${formatIsoRange(res.covered)} only; changes compare with that part.`,
    );
  }
  for (const k of keys) {
    const cur = current[k] ?? null;
    const before = res.kind === 'ok' && prevValues ? (prevValues[k] ?? null) : null;
    out[`${k}_change_pct`] = cur === null || before === null || before === 0 ? null : (cur - before) / before;
  }
  return out;
}

export interface GrainChoice {
  grain: Grain | null;
  /** Why there is no series, when there is none. */
  note: string | null;
}

const GRAIN_WORDS: Record<Grain, string> = { day: 'daily', week: 'weekly', month: 'monthly' };

/** Whether the store's usage data has this grain. */
export function hasGrain(ctx: Ctx, grain: Grain): boolean {
  if (ctx.src.usageSource !== 'exports') return true;
  return ctx.src.reports.some((r) => r.grain === grain);
}

function lacksGrain(grain: Grain): string {
  return grain === 'day'
    ? 'This store is fed by Users reports (weekly and monthly totals per person), so it has no daily numbers. Ask by:week or by:month.'
    : `This store holds no ${GRAIN_WORDS[grain]} Users reports, so there is no ${GRAIN_WORDS[grain]} trend. Import ${GRAIN_WORDS[grain]} reports, or ask another by:.`;
}

/**
 * The trend grain: `by:` when given (an explanation if the data lacks it), else the default of
 * §5; a default the data lacks gives no series, with a note.
 */
export function chooseGrain(ctx: Ctx, fixed?: Grain): GrainChoice {
  const asked = fixed ?? ctx.req.grain;
  if (asked !== undefined) {
    if (hasGrain(ctx, asked)) return { grain: asked, note: null };
    if (fixed !== undefined) return { grain: null, note: `No weekly trend: ${lacksGrain(asked)}` };
    throw new UnanswerableError(lacksGrain(asked));
  }
  const g = defaultGrain(ctx.range);
  if (hasGrain(ctx, g)) return { grain: g, note: null };
  return { grain: null, note: `No ${GRAIN_WORDS[g]} trend for this period: ${lacksGrain(g)}` };
}

export function seriesRanges(ctx: Ctx, grain: Grain | null): DateRange[] {
  return grain === null ? [] : grainPeriods(ctx.range, grain);
}

/** Series entries from per-range results; untileable entries are null with one warning. */
export function buildSeries(
  entries: readonly RangeActivity[],
  pick: (a: NonNullable<RangeActivity['activity']>) => Record<string, MetricValue>,
  keys: readonly string[],
  warnings: string[],
): SeriesEntry[] {
  const unanswerable: string[] = [];
  const series = entries.map((e) => {
    const base: SeriesEntry = { period_start: e.range.start, period_end: e.range.end };
    if (e.activity === null) {
      unanswerable.push(formatIsoRange(e.range));
      for (const k of keys) base[k] = null;
      return base;
    }
    return { ...base, ...pick(e.activity) };
  });
  if (unanswerable.length > 0) {
    warnings.push(
      `${unanswerable.length === 1 ? 'A trend entry' : `${unanswerable.length} trend entries`} (${unanswerable.join('; ')}) cannot be answered exactly from the imported reports and ${unanswerable.length === 1 ? 'is' : 'are'} shown as null.`,
    );
  }
  return series;
}

export const EVENT_TOOL_WARNING =
  'tool_messages from events counts messages that used a tool, so it is part of messages (Users reports count tool-generated messages separately, often more than messages).';

export const EXPORT_SKILLS_WARNING =
  'Users reports carry no skill or app usage: skill_messages and app_messages are null for this store.';
