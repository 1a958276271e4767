/**
 * This workspace against the industry median, one row per metric. Metrics have different units
 * (a rate, a ratio, messages per user), so each row is scaled to its own larger value and the
 * numbers are printed at the bar ends; there is no shared value axis to misread.
 * Illustrative medians (the shipped table) are labelled as such on the chart, in the alt text and
 * in the fallback (docs/design.md §5: never present a made-up number as a real industry figure).
 */
import { barChartHeight, endLabelHeadroom, plotWidthBeside } from './bars.ts';
import {
  chartSubject,
  cleanLabel,
  distinctLabels,
  fallbackDocument,
  finite,
  formatProse,
  formatValue,
  lowerFirst,
  subtitleClause,
  textTable,
} from './format.ts';
import { chartFrame, emptyMessageLayer, FONT_SIZE, LABEL_LIMIT, PALETTE, REFERENCE_COLOR } from './theme.ts';
import type { BenchmarkChartInput, ChartAttachment } from './types.ts';

const WORKSPACE = 'This workspace';
const MAX_METRICS = 8;

function medianName(input: BenchmarkChartInput): string {
  const industry = input.industry ? cleanLabel(input.industry, 30) : null;
  const base = industry ? `${industry} median` : 'Industry median';
  return input.medianIllustrative ? `${base} (illustrative)` : base;
}

export function buildBenchmarkChart(input: BenchmarkChartInput): ChartAttachment {
  const metrics = input.metrics.slice(0, MAX_METRICS);
  const labels = distinctLabels(metrics.map((m) => m.label), 32, LABEL_LIMIT.axis);
  const median = medianName(input);
  const showMedian = input.industry !== null || metrics.some((m) => finite(m.median) !== null);
  const notes: string[] = [];
  if (input.medianIllustrative) notes.push('Industry medians are illustrative, not measured figures');
  if (!showMedian) notes.push('No benchmark industry is set, so no median is shown');

  const rows = metrics.flatMap((m, i) => {
    const value = finite(m.value);
    const med = finite(m.median);
    const scale = Math.max(Math.abs(value ?? 0), Math.abs(med ?? 0));
    const row = (series: string, v: number | null) => ({
      metric: labels[i]!,
      series,
      // Each metric is drawn relative to its own larger number; the label carries the value.
      length: v === null || scale === 0 ? 0 : Math.max(0, v) / scale,
      text: formatValue(v, m.format),
    });
    return showMedian ? [row(WORKSPACE, value), row(median, med)] : [row(WORKSPACE, value)];
  });
  const hasValue = metrics.some((m) => finite(m.value) !== null || finite(m.median) !== null);
  const y = {
    field: 'metric',
    type: 'nominal',
    sort: labels,
    scale: { paddingInner: 0.3, paddingOuter: 0.1 },
    axis: { title: null, labelLimit: LABEL_LIMIT.axis, labelFontSize: FONT_SIZE.label },
  };
  const yOffset = { field: 'series', type: 'nominal', sort: [WORKSPACE, median], scale: { paddingInner: 0.1 } };
  const headroom = endLabelHeadroom(rows.map((r) => r.text), plotWidthBeside(labels));
  const x = { field: 'length', type: 'quantitative', scale: { domain: [0, headroom], nice: false }, axis: null };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'bar' },
      encoding: {
        y,
        yOffset,
        x,
        color: {
          field: 'series',
          type: 'nominal',
          scale: { domain: showMedian ? [WORKSPACE, median] : [WORKSPACE], range: [PALETTE[0], REFERENCE_COLOR] },
          legend: { title: null, symbolType: 'square', labelLimit: 260 },
        },
      },
    },
    {
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: FONT_SIZE.markText },
      encoding: { y, yOffset, x, text: { field: 'text', type: 'nominal' } },
    },
  ];
  const spec = {
    ...chartFrame(input, { height: barChartHeight(metrics.length * (showMedian ? 1.9 : 1), 20 + notes.length * 16) }, notes),
    data: { values: rows },
    layer: hasValue ? layers : [...layers, emptyMessageLayer()],
  };

  const comparisons = metrics.map((m) => {
    const name = lowerFirst(cleanLabel(m.label, 40));
    return showMedian
      ? `${name} ${formatProse(finite(m.value), m.format)} against ${formatProse(finite(m.median), m.format)}`
      : `${name} ${formatProse(finite(m.value), m.format)}`;
  });
  const against = showMedian
    ? ` with the ${input.medianIllustrative ? 'illustrative ' : ''}${input.industry ? `${cleanLabel(input.industry, 30)} ` : ''}industry median`
    : '';
  const altText = hasValue
    ? `Bar chart comparing this workspace${against}${subtitleClause(input)}: ${comparisons.join('; ')}.`
    : `Bar chart of ${chartSubject(input)}: there is no data for this period.`;
  const headers = showMedian ? ['Metric', 'This workspace', median] : ['Metric', 'This workspace'];
  const fallbackText = fallbackDocument(
    input,
    notes,
    textTable(
      headers,
      metrics.map((m) => {
        const cells = [m.label, formatValue(finite(m.value), m.format)];
        if (showMedian) cells.push(formatValue(finite(m.median), m.format));
        return cells;
      }),
      { alignRight: headers.map((_, i) => i > 0) },
    ),
  );
  return { kind: 'benchmark', spec, altText, fallbackText };
}
