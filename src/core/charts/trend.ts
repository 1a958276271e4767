/**
 * Lines over time: a trend (active users per week, with the previous period faint) and several
 * series on one axis (messages by kind). A null value is a period without data: the line breaks
 * there (Vega-Lite's default for paths) and the previous period is not drawn over it either; a
 * lone point still shows. A partial period (a last week with two days of data) is a hollow point
 * joined by a dashed segment, so it does not read as a collapse.
 */
import {
  atPeriod,
  axisFormat,
  chartSubject,
  COUNT_AXIS,
  describeChange,
  distinctLabels,
  fallbackDocument,
  finite,
  formatPeriodStart,
  formatProse,
  formatValueFull,
  isDay,
  proseLabel,
  textTable,
} from './format.ts';
import { alignPrevious, alignmentNote, shiftedName } from './align.ts';
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
const PARTIAL_STYLE = 'partial';

interface Row {
  series: string;
  style: typeof CURRENT_STYLE | typeof PREVIOUS_STYLE | typeof PARTIAL_STYLE;
  /** Which path the row belongs to: a series' solid line, one dashed partial segment, the previous period. */
  segment: string;
  period_start: string;
  value: number | null;
  /** The point of a partial period (drawn hollow). */
  partial: boolean;
  /** A copy of a neighbour that only anchors a dashed segment (its point is drawn by its own row). */
  anchor: boolean;
  /** Daily previous period: the day whose value is drawn here (the same weekday, whole weeks earlier). */
  compared_day?: string | null;
}

export interface Prepared {
  series: Series[];
  /** The previous period lined up with the first series: entry i is drawn at its point i. */
  previous: Series | null;
  /** Every period start drawn, sorted. */
  periods: string[];
  rows: Row[];
  /** Caption lines the builder adds (how the previous period was lined up, or why it is left out). */
  notes: string[];
}

/**
 * Clean names, drop malformed dates, sort points, line the previous series up with the first
 * (align.ts: by position, by weekday for days). A period the current series has no data for gets
 * no previous-period point either: a comparison is only drawn where there is something to compare.
 */
export function prepare(input: { series: Series[]; previous?: Series | undefined; grain: Grain }): Prepared {
  const clean = (s: Series, name: string): Series => ({
    name,
    points: s.points
      .filter((p) => isDay(p.period_start))
      .map((p) => ({
        period_start: p.period_start,
        value: finite(p.value),
        ...(p.partial === true && finite(p.value) !== null ? { partial: true } : {}),
      }))
      .sort((a, b) => a.period_start.localeCompare(b.period_start)),
  });
  const rawSeries = input.series.map((s) => clean(s, s.name));
  const anchor = rawSeries[0]?.points ?? [];
  const notes: string[] = [];
  let previous: Series | null = null;
  let from: (string | null)[] = [];
  if (input.previous) {
    const raw = clean(input.previous, input.previous.name);
    const aligned = alignPrevious(anchor, raw.points, input.grain);
    const values = aligned.values.map((v, i) => (anchor[i]?.value === null ? null : v));
    // A previous period without any data is not drawn (nor named in the legend), and needs no note.
    const drawn = values.some((v) => v !== null);
    const lined = aligned.values.some((v) => v !== null);
    const note = raw.points.some((p) => p.value !== null) && (drawn || !lined) ? alignmentNote(aligned, lined) : null;
    if (note) notes.push(note);
    if (drawn) {
      previous = {
        name: shiftedName(aligned, raw.name),
        points: anchor.map((p, i) => ({ period_start: p.period_start, value: values[i] ?? null })),
      };
      from = aligned.from.map((d, i) => (values[i] === null ? null : d));
    }
  }
  const allNames = [...rawSeries.map((s) => s.name), ...(previous ? [previous.name] : [])];
  const names = distinctLabels(allNames, undefined, legendLabelLimit(allNames.length));
  const series = rawSeries.map((s, i) => ({ ...s, name: names[i] ?? s.name }));
  if (previous) previous = { ...previous, name: names[names.length - 1] ?? previous.name };

  const rows: Row[] = [];
  for (const s of series) rows.push(...seriesRows(s));
  if (previous) {
    previous.points.forEach((p, i) => {
      rows.push({
        series: previous!.name,
        style: PREVIOUS_STYLE,
        segment: 'previous',
        period_start: p.period_start,
        value: p.value,
        partial: false,
        anchor: false,
        ...(input.grain === 'day' ? { compared_day: from[i] ?? null } : {}),
      });
    });
  }
  const periods = [...new Set(rows.map((r) => r.period_start))].sort();
  return { series, previous, periods, rows, notes };
}

/**
 * One series' rows: whole periods on the solid line; each partial period on a dashed segment of
 * its own, from its nearest neighbour with data (a copy of that neighbour, marked `anchor`).
 */
function seriesRows(s: Series): Row[] {
  const rows: Row[] = [];
  const base = { series: s.name, anchor: false };
  s.points.forEach((p, i) => {
    if (!p.partial) {
      rows.push({ ...base, style: CURRENT_STYLE, segment: 'line', period_start: p.period_start, value: p.value, partial: false });
      return;
    }
    const segment = `partial-${i}`;
    rows.push({ ...base, style: PARTIAL_STYLE, segment, period_start: p.period_start, value: p.value, partial: true });
    const before = s.points[i - 1];
    const after = s.points[i + 1];
    const neighbour = before && before.value !== null && !before.partial ? before : after && after.value !== null && !after.partial ? after : null;
    if (neighbour) {
      rows.push({ ...base, style: PARTIAL_STYLE, segment, period_start: neighbour.period_start, value: neighbour.value, partial: false, anchor: true });
    }
  });
  return rows;
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

export function timeSeriesSpec(
  input: TrendChartInput | MultiSeriesChartInput,
  prepared: Prepared,
  opts: { alwaysLegend: boolean; firstColour?: number },
): VegaLiteSpec {
  const format: ValueFormat = input.format ?? 'count';
  const { series, previous, periods, rows } = prepared;
  const names = series.map((s) => s.name);
  const colours: string[] = names.map((_, i) => PALETTE[(i + (opts.firstColour ?? 0)) % PALETTE.length]!);
  if (previous) {
    names.push(previous.name);
    colours.push(REFERENCE_COLOR);
  }
  const hasValue = rows.some((r) => r.value !== null);
  const axis = timeAxis(periods, input.grain);
  const showLegend = opts.alwaysLegend || names.length > 1;
  const pointSize = periods.length > 40 ? 12 : periods.length > 20 ? 24 : 40;

  const x = {
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
  };
  const y = {
    field: 'value',
    type: 'quantitative',
    scale: { zero: true, nice: true, ...(hasValue ? {} : { domain: [0, 1] }) },
    axis: {
      title: input.unit,
      format: axisFormat(format),
      tickCount: 5,
      ...(format === 'count' ? COUNT_AXIS : {}),
    },
  };
  const color = {
    field: 'series',
    type: 'nominal',
    sort: null,
    scale: { domain: names, range: colours },
    legend: showLegend
      ? { title: null, symbolType: 'stroke', labelLimit: legendLabelLimit(names.length), ...(names.length >= 3 ? { columns: 3 } : {}) }
      : null,
  };
  const lines = {
    mark: { type: 'line', interpolate: 'linear' },
    encoding: {
      x,
      y,
      color,
      strokeDash: {
        field: 'style',
        type: 'nominal',
        scale: { domain: [CURRENT_STYLE, PREVIOUS_STYLE, PARTIAL_STYLE], range: [[1, 0], [6, 4], [2, 3]] },
        legend: null,
      },
      // One path per series and segment: a partial period's dashed segment is its own path.
      detail: { field: 'segment', type: 'nominal' },
      order: { field: 'period_start', type: 'temporal' },
    },
  };
  // Points without data are left out (a gap, not a point at 0); anchors are drawn by their own row.
  const points = {
    transform: [{ filter: 'datum.value != null && !datum.anchor && !datum.partial' }],
    mark: { type: 'point', filled: true, opacity: 1, size: pointSize },
    encoding: { x, y, color },
  };
  const partialPoints = {
    transform: [{ filter: 'datum.value != null && datum.partial' }],
    mark: { type: 'point', filled: false, fill: '#FFFFFF', opacity: 1, strokeWidth: 2, size: pointSize * 1.6 },
    encoding: { x, y, color },
  };
  const plot = rows.some((r) => r.partial) ? [lines, points, partialPoints] : [lines, points];

  const notes = [...(input.notes ?? []), ...prepared.notes];
  if (periods.length === 0) {
    // Nothing at all to place on a time axis: the frame and the message only.
    return { ...chartFrame(input, { height: HEIGHT }, notes), layer: [emptyMessageLayer()] };
  }
  return {
    ...chartFrame(input, { height: HEIGHT }, notes),
    // The rows are shared by the line and point layers; the empty message brings its own.
    data: { values: rows },
    layer: hasValue ? plot : [...plot, emptyMessageLayer()],
  };
}

function describeSeries(s: Series, grain: Grain, format: ValueFormat): string {
  const valid = s.points.filter((p): p is { period_start: string; value: number; partial?: boolean } => p.value !== null);
  const name = proseLabel(s.name);
  if (valid.length === 0) return `${name}: no data`;
  const first = valid[0]!;
  const last = valid[valid.length - 1]!;
  const at = (p: { period_start: string }) => atPeriod(p.period_start, grain);
  if (valid.length === 1) {
    return `${name}: ${formatProse(last.value, format)} ${at(last)}${last.partial ? ` (partial)` : ''}, the only ${grain} with data`;
  }
  const peak = valid.reduce((a, b) => (b.value > a.value ? b : a));
  const change = describeChange(first.value, last.value);
  const peakText =
    peak !== last && peak !== first ? `, peaking at ${formatProse(peak.value, format)} ${at(peak)}` : '';
  return (
    `${name} went from ${formatProse(first.value, format)} ${at(first)} ` +
    `to ${formatProse(last.value, format)} ${at(last)}${last.partial ? `, a partial ${grain}` : ''}${change ? ` (${change})` : ''}${peakText}`
  );
}

export function altText(input: TrendChartInput | MultiSeriesChartInput, prepared: Prepared, chartWord: string): string {
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
  return [`${text}.`, ...prepared.notes].join(' ');
}

export function fallbackText(input: TrendChartInput | MultiSeriesChartInput, prepared: Prepared): string {
  const format = input.format ?? 'count';
  const { series, previous, periods } = prepared;
  const firstCol = input.grain === 'week' ? 'Week starting' : input.grain === 'month' ? 'Month' : 'Day';
  const headers = [firstCol, ...series.map((s) => s.name)];
  const anchor = series[0]?.points ?? [];
  if (previous) headers.push(/previous/i.test(previous.name) ? previous.name : `${previous.name} (previous)`);
  const cellAt = (s: Series, d: string) => {
    const p = s.points.find((q) => q.period_start === d);
    const text = formatValueFull(p?.value ?? null, format);
    return p?.partial ? `${text} (partial)` : text;
  };
  const rows = periods.map((d) => {
    const cells = [input.grain === 'month' ? formatPeriodStart(d, 'month') : d, ...series.map((s) => cellAt(s, d))];
    if (previous) {
      const i = anchor.findIndex((p) => p.period_start === d);
      cells.push(formatValueFull(i >= 0 ? (previous.points[i]?.value ?? null) : null, format));
    }
    return cells;
  });
  return fallbackDocument(
    input,
    [...(input.notes ?? []), ...prepared.notes],
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
  const prepared = prepare({ series: input.series, grain: input.grain });
  return {
    kind: 'multi-series',
    spec: timeSeriesSpec(input, prepared, { alwaysLegend: true }),
    altText: altText(input, prepared, 'Line chart'),
    fallbackText: fallbackText(input, prepared),
  };
}
