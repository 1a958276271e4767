/**
 * Lines over time: a trend (active users per week, with the previous period faint) and several
 * series on one axis (messages by kind). Null values break the line; a lone point still shows.
 */
import {
  atPeriod,
  axisFormat,
  COUNT_AXIS,
  describeChange,
  distinctLabels,
  fallbackDocument,
  formatPeriodStart,
  formatProse,
  formatValueFull,
  isDay,
  chartSubject,
  proseLabel,
  textTable,
} from './format.ts';
import { chartFrame, emptyMessageLayer, PALETTE, REFERENCE_COLOR } from './theme.ts';
import type {
  ChartAttachment,
  Grain,
  MultiSeriesChartInput,
  Series,
  TrendChartInput,
  ValueFormat,
  VegaLiteSpec,
} from './types.ts';

const HEIGHT = 330;
/** Ticks on the time axis at most, by label style. */
const MAX_TICKS = { short: 7, long: 5 } as const;
const PREVIOUS_STYLE = 'previous';
/**
 * Legend label width by number of entries: two share a row generously; from three on, three per
 * row (wrapping) at 120 px each still fit the 512 px frame.
 */
function legendLabelLimit(entries: number): number {
  return entries <= 2 ? 200 : 120;
}
const CURRENT_STYLE = 'current';

interface Row {
  series: string;
  style: typeof CURRENT_STYLE | typeof PREVIOUS_STYLE;
  period_start: string;
  value: number | null;
}

interface Prepared {
  series: Series[];
  previous: Series | null;
  /** Every period start drawn, sorted. */
  periods: string[];
  rows: Row[];
}

/** Clean names, drop malformed dates, sort points, align the previous series by position. */
function prepare(input: { series: Series[]; previous?: Series | undefined }): Prepared {
  const clean = (s: Series, name: string): Series => ({
    name,
    points: s.points
      .filter((p) => isDay(p.period_start))
      .map((p) => ({ period_start: p.period_start, value: finiteOrNull(p.value) }))
      .sort((a, b) => a.period_start.localeCompare(b.period_start)),
  });
  const allNames = [...input.series.map((s) => s.name), ...(input.previous ? [input.previous.name] : [])];
  const names = distinctLabels(allNames, undefined, legendLabelLimit(allNames.length));
  const series = input.series.map((s, i) => clean(s, names[i] ?? s.name));
  const previous = input.previous ? clean(input.previous, names[names.length - 1] ?? input.previous.name) : null;

  const rows: Row[] = [];
  for (const s of series) {
    for (const p of s.points) rows.push({ series: s.name, style: CURRENT_STYLE, ...p });
  }
  const anchor = series[0]?.points ?? [];
  if (previous) {
    previous.points.forEach((p, i) => {
      const at = anchor[i];
      if (at) rows.push({ series: previous.name, style: PREVIOUS_STYLE, period_start: at.period_start, value: p.value });
    });
  }
  const periods = [...new Set(rows.map((r) => r.period_start))].sort();
  return { series, previous, periods, rows };
}

function finiteOrNull(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** `YYYY-MM-DD` as a Vega-Lite UTC DateTime. */
function dateTime(day: string): Record<string, unknown> {
  const [year, month, date] = day.split('-').map(Number);
  return { year, month, date, utc: true };
}

function spansYears(periods: string[]): boolean {
  return periods.length > 1 && periods[0]!.slice(0, 4) !== periods[periods.length - 1]!.slice(0, 4);
}

/** d3 time format and explicit tick dates (the periods themselves, every k-th), so ticks sit on data. */
function timeAxis(periods: string[], grain: Grain): { format: string; values: string[]; title: string } {
  const long = grain === 'month' || spansYears(periods);
  const format = grain === 'month' ? '%b %Y' : long ? '%-d %b %Y' : '%-d %b';
  const max = long ? MAX_TICKS.long : MAX_TICKS.short;
  const step = Math.max(1, Math.ceil(periods.length / max));
  const values = periods.filter((_, i) => i % step === 0);
  const title = grain === 'week' ? 'Week starting (Sunday)' : grain === 'month' ? 'Month' : 'Day (UTC)';
  return { format, values, title };
}

function timeSeriesSpec(
  input: TrendChartInput | MultiSeriesChartInput,
  prepared: Prepared,
  opts: { alwaysLegend: boolean },
): VegaLiteSpec {
  const format: ValueFormat = input.format ?? 'count';
  const { series, previous, periods, rows } = prepared;
  const names = series.map((s) => s.name);
  const colours: string[] = names.map((_, i) => PALETTE[i % PALETTE.length]!);
  if (previous) {
    names.push(previous.name);
    colours.push(REFERENCE_COLOR);
  }
  const hasValue = rows.some((r) => r.value !== null);
  const axis = timeAxis(periods, input.grain);
  const showLegend = opts.alwaysLegend || names.length > 1;
  const pointSize = periods.length > 40 ? 12 : periods.length > 20 ? 24 : 40;

  const lines = {
    data: { values: rows },
    mark: { type: 'line', point: { filled: true, size: pointSize }, interpolate: 'linear' },
    encoding: {
      x: {
        field: 'period_start',
        type: 'temporal',
        // Without values the data gives no extent: pin the axis to the periods asked.
        scale: hasValue || periods.length === 0 ? { type: 'utc' } : { type: 'utc', domain: [dateTime(periods[0]!), dateTime(periods[periods.length - 1]!)] },
        axis: {
          title: axis.title,
          format: axis.format,
          values: axis.values,
          grid: false,
          labelAngle: 0,
          labelOverlap: true,
          labelFlush: true,
        },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        scale: { zero: true, nice: true, ...(hasValue ? {} : { domain: [0, 1] }) },
        axis: {
          title: input.unit,
          format: axisFormat(format),
          tickCount: 5,
          ...(format === 'count' ? COUNT_AXIS : {}),
        },
      },
      color: {
        field: 'series',
        type: 'nominal',
        sort: null,
        scale: { domain: names, range: colours },
        legend: showLegend
          ? { title: null, symbolType: 'stroke', labelLimit: legendLabelLimit(names.length), ...(names.length >= 3 ? { columns: 3 } : {}) }
          : null,
      },
      strokeDash: {
        field: 'style',
        type: 'nominal',
        scale: { domain: [CURRENT_STYLE, PREVIOUS_STYLE], range: [[1, 0], [6, 4]] },
        legend: null,
      },
      order: { field: 'period_start', type: 'temporal' },
    },
  };

  if (periods.length === 0) {
    // Nothing at all to place on a time axis: the frame and the message only.
    return { ...chartFrame(input, { height: HEIGHT }), layer: [emptyMessageLayer()] };
  }
  return {
    ...chartFrame(input, { height: HEIGHT }),
    layer: hasValue ? [lines] : [lines, emptyMessageLayer()],
  };
}

function describeSeries(s: Series, grain: Grain, format: ValueFormat): string {
  const valid = s.points.filter((p): p is { period_start: string; value: number } => p.value !== null);
  const name = proseLabel(s.name);
  if (valid.length === 0) return `${name}: no data`;
  const first = valid[0]!;
  const last = valid[valid.length - 1]!;
  const at = (p: { period_start: string }) => atPeriod(p.period_start, grain);
  if (valid.length === 1) return `${name}: ${formatProse(last.value, format)} ${at(last)}, the only ${grain} with data`;
  const peak = valid.reduce((a, b) => (b.value > a.value ? b : a));
  const change = describeChange(first.value, last.value);
  const peakText =
    peak !== last && peak !== first ? `, peaking at ${formatProse(peak.value, format)} ${at(peak)}` : '';
  return (
    `${name} went from ${formatProse(first.value, format)} ${at(first)} ` +
    `to ${formatProse(last.value, format)} ${at(last)}${change ? ` (${change})` : ''}${peakText}`
  );
}

function altText(input: TrendChartInput | MultiSeriesChartInput, prepared: Prepared, chartWord: string): string {
  const format = input.format ?? 'count';
  const { series, previous, periods } = prepared;
  const what = `${chartWord} of ${chartSubject(input)}`;
  if (!prepared.rows.some((r) => r.value !== null)) return `${what}: there is no data for this period.`;
  const head = `${what}.`;
  if (series.length > 2) {
    // Several series: the latest period with any value, every series' value in it.
    const latest = [...periods].reverse().find((d) => series.some((s) => s.points.some((p) => p.period_start === d && p.value !== null)));
    const parts = series.map((s) => `${proseLabel(s.name)} ${formatProse(s.points.find((p) => p.period_start === latest)?.value ?? null, format)}`);
    const when = atPeriod(latest!, input.grain);
    return `${head} ${when.charAt(0).toUpperCase()}${when.slice(1)}: ${parts.join(', ')}.`;
  }
  const sentences = series.map((s) => describeSeries(s, input.grain, format));
  let text = `${head} ${sentences.join('; ')}`;
  if (previous) {
    const prevValid = previous.points.filter((p) => p.value !== null);
    const prevLast = prevValid[prevValid.length - 1];
    text += prevLast
      ? `; the previous period, drawn faint, ended at ${formatProse(prevLast.value, format)}`
      : '; the previous period has no data';
  }
  return `${text}.`;
}

function fallbackText(input: TrendChartInput | MultiSeriesChartInput, prepared: Prepared): string {
  const format = input.format ?? 'count';
  const { series, previous, periods } = prepared;
  const firstCol = input.grain === 'week' ? 'Week starting' : input.grain === 'month' ? 'Month' : 'Day';
  const headers = [firstCol, ...series.map((s) => s.name)];
  const anchor = series[0]?.points ?? [];
  if (previous) headers.push(/previous/i.test(previous.name) ? previous.name : `${previous.name} (previous)`);
  const valueAt = (s: Series, d: string) => s.points.find((p) => p.period_start === d)?.value ?? null;
  const rows = periods.map((d) => {
    const cells = [input.grain === 'month' ? formatPeriodStart(d, 'month') : d, ...series.map((s) => formatValueFull(valueAt(s, d), format))];
    if (previous) {
      const i = anchor.findIndex((p) => p.period_start === d);
      cells.push(formatValueFull(i >= 0 ? (previous.points[i]?.value ?? null) : null, format));
    }
    return cells;
  });
  return fallbackDocument(
    input,
    [],
    textTable(headers, rows, { alignRight: headers.map((_, i) => i > 0), maxRows: 60, moreNoun: `${input.grain}s` }),
  );
}

/** Trend line: the first series is the metric; `previous` (optional) is drawn faint and dashed. */
export function buildTrendChart(input: TrendChartInput): ChartAttachment {
  const prepared = prepare(input);
  return {
    kind: 'trend',
    spec: timeSeriesSpec(input, prepared, { alwaysLegend: false }),
    altText: altText(input, prepared, 'Line chart'),
    fallbackText: fallbackText(input, prepared),
  };
}

/** Several series on one time axis, e.g. messages, GPT messages, tool messages per week. */
export function buildMultiSeriesChart(input: MultiSeriesChartInput): ChartAttachment {
  const prepared = prepare({ series: input.series });
  return {
    kind: 'multi-series',
    spec: timeSeriesSpec(input, prepared, { alwaysLegend: true }),
    altText: altText(input, prepared, 'Line chart'),
    fallbackText: fallbackText(input, prepared),
  };
}
