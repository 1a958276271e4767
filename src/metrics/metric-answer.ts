/** Building MetricAnswers: the common frame, series, change percentages and shared warnings. */
import { UnanswerableError } from '../core/errors.ts';
import { defaultGrain, formatRange, grainPeriods, previousPeriod, sameRange, type DateRange, type Grain } from '../core/periods.ts';
import type { SeriesEntry } from '../core/reply.ts';
import type { MetricAnswer, MetricValue } from './types.ts';
import type { RangeActivity } from './activity.ts';
import type { Ctx } from './context.ts';
import { coverageWarning, noDataWarning, type Resolution } from './coverage.ts';

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
    warnings.push(`No data for the previous period (${formatRange(prev.range)}): no change is shown.`);
  } else if (res.kind === 'untileable') {
    warnings.push(`The previous period (${formatRange(prev.range)}) cannot be compared: ${res.reason}`);
  } else if (res.covered.start !== prev.range.start || res.covered.end !== prev.range.end) {
    warnings.push(
      `The previous period (${formatRange(prev.range)}) has data for ${formatRange(res.covered)} only; changes compare with that part.`,
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

/** A sentence continued after a colon: "This store …" → "this store …". */
function midSentence(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? `${text[0]!.toLowerCase()}${text.slice(1)}` : text;
}

/**
 * The trend grain: `by:` when given (an explanation if the data lacks it), else the default of
 * §5; a default the data lacks gives no series, with a note.
 */
export function chooseGrain(ctx: Ctx, fixed?: Grain): GrainChoice {
  const asked = fixed ?? ctx.req.grain;
  if (asked !== undefined) {
    if (hasGrain(ctx, asked)) return { grain: asked, note: null };
    if (fixed !== undefined) return { grain: null, note: `No weekly trend: ${midSentence(lacksGrain(asked))}` };
    throw new UnanswerableError(lacksGrain(asked));
  }
  const g = defaultGrain(ctx.range);
  if (hasGrain(ctx, g)) return { grain: g, note: null };
  return { grain: null, note: `No ${GRAIN_WORDS[g]} trend for this period: ${midSentence(lacksGrain(g))}` };
}

export function seriesRanges(ctx: Ctx, grain: Grain | null): DateRange[] {
  return grain === null ? [] : grainPeriods(ctx.range, grain);
}

/** "3 weeks", "1 day": how many trend entries, in words. */
function entryCount(n: number, grain: Grain | null): string {
  const noun = grain ?? 'period';
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Series entries from per-range results (docs/design.md §5):
 * - an entry wholly outside the data is null, never 0, with one warning per side saying what data
 *   exists ("No data yet for 22–28 Nov 2026: the data runs through Sat 21 Nov 2026.");
 * - an entry the reports cannot give exactly is null, with one warning;
 * - an entry only partly inside the data (a week with two days of data) is marked `partial: true`.
 * A covered entry nobody was active in is a real 0.
 */
export function buildSeries(
  entries: readonly RangeActivity[],
  pick: (a: NonNullable<RangeActivity['activity']>) => Record<string, MetricValue>,
  keys: readonly string[],
  warnings: string[],
  grain: Grain | null = null,
): SeriesEntry[] {
  const unanswerable: string[] = [];
  const before: DateRange[] = [];
  const after: DateRange[] = [];
  let bounds: { dataFrom: string | null; dataThrough: string | null } | null = null;
  const series = entries.map((e) => {
    const base: SeriesEntry = { period_start: e.range.start, period_end: e.range.end };
    const res = e.resolution;
    if (e.activity === null || res.kind !== 'ok') {
      if (res.kind === 'empty') {
        bounds = res;
        if (res.dataThrough !== null && e.range.start > res.dataThrough) after.push(e.range);
        else before.push(e.range);
      } else unanswerable.push(formatRange(e.range));
      for (const k of keys) base[k] = null;
      return base;
    }
    const out: SeriesEntry = { ...base, ...pick(e.activity) };
    if (!sameRange(res.covered, e.range)) out.partial = true;
    return out;
  });
  const span = (rs: DateRange[]): DateRange => ({ start: rs[0]!.start, end: rs[rs.length - 1]!.end });
  const stretch = (rs: DateRange[]) => {
    const w = noDataWarning(bounds!, span(rs));
    return rs.length > 1 ? w.replace(/^(No data(?: yet)? for [^:]+)/, `$1 (${entryCount(rs.length, grain)})`) : w;
  };
  for (const side of [before, after]) {
    if (side.length > 0) warnings.push(stretch(side));
  }
  if (unanswerable.length > 0) {
    warnings.push(
      `The imported Users reports cannot give ${unanswerable.length === 1 ? 'this trend entry' : `these ${unanswerable.length} trend entries`} exactly, so ${unanswerable.length === 1 ? 'it is' : 'they are'} shown as no data: ${unanswerable.join('; ')}.`,
    );
  }
  return series;
}

export const EVENT_TOOL_WARNING =
  'Tool messages from usage events count messages that used a tool, so they are part of all messages (Users reports count tool-generated messages separately, often more than all messages).';

export const EXPORT_SKILLS_WARNING =
  'Users reports carry no skill or app usage, so skill messages and app messages are not known for this workspace.';
