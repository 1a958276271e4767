/**
 * Stacked horizontal bars by group: one bar per category (group), split into segments (e.g.
 * active / not active members). The largest totals are drawn; the rest are counted in a caption.
 */
import { barChartHeight, barLimit, categoryAxisY, endLabelMark, valueAxisX, onSameScale } from './bars.ts';
import {
  chartSubject,
  distinctLabels,
  fallbackDocument,
  finite,
  formatInteger,
  formatProse,
  formatValue,
  formatValueFull,
  proseLabel,
  textTable,
} from './format.ts';
import { chartFrame, emptyMessageLayer, LABEL_LIMIT, PALETTE } from './theme.ts';
import type { ChartAttachment, StackedBarsInput } from './types.ts';

const DEFAULT_BARS = 15;

export function buildStackedBarsChart(input: StackedBarsInput): ChartAttachment {
  const format = input.format ?? 'count';
  const category = input.category ?? { one: 'group', many: 'groups' };
  const segmentNames = distinctLabels(input.segments, 30, LABEL_LIMIT.legend);
  const segments = input.segments.map((key, i) => ({ key, name: segmentNames[i]! }));

  const bars = input.bars
    .map((bar) => {
      const values = segments.map((s) => finite(bar.values[s.key]));
      const total = values.some((v) => v !== null) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : null;
      return { name: String(bar.label ?? ''), values, total };
    })
    .sort((a, b) => (b.total ?? -1) - (a.total ?? -1) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const shown = bars.slice(0, barLimit(input.maxBars, DEFAULT_BARS));
  const labels = distinctLabels(shown.map((b) => b.name), undefined, LABEL_LIMIT.axis);
  const notes =
    bars.length > shown.length ? [`Showing the ${shown.length} largest of ${formatInteger(bars.length)} ${category.many}`] : [];

  // A segment without data is left out, never drawn as a 0-wide bar.
  const segmentRows = shown
    .flatMap((bar, i) => segments.map((s, j) => ({ bar: labels[i]!, segment: s.name, order: j, value: bar.values[j] ?? null })))
    .filter((r) => r.value !== null);
  const totalRows = shown.map((bar, i) => ({ bar: labels[i]!, total: bar.total ?? 0, text: formatValue(bar.total, format) }));
  const max = Math.max(0, ...shown.map((b) => b.total ?? 0));
  const hasValue = shown.some((b) => b.total !== null && b.total > 0);
  const y = categoryAxisY('bar', labels);
  const x = valueAxisX('value', max, input.unit, format, { categoryLabels: labels, endLabels: totalRows.map((r) => r.text) }, { stack: 'zero' });

  const layers: Record<string, unknown>[] = [
    {
      data: { values: segmentRows },
      mark: { type: 'bar', stroke: '#FFFFFF', strokeWidth: 1, cornerRadiusEnd: 0 },
      encoding: {
        y,
        x,
        color: {
          field: 'segment',
          type: 'nominal',
          scale: { domain: segments.map((s) => s.name), range: segments.map((_, i) => PALETTE[i % PALETTE.length]!) },
          legend: { title: null, symbolType: 'square' },
        },
        order: { field: 'order', type: 'quantitative' },
      },
    },
    {
      data: { values: totalRows },
      mark: endLabelMark(),
      encoding: { y, x: onSameScale(x, 'total'), text: { field: 'text', type: 'nominal' } },
    },
  ];
  const spec = {
    ...chartFrame(input, { height: barChartHeight(shown.length, 28 + notes.length * 16) }, notes),
    layer: hasValue ? layers : [...layers, emptyMessageLayer()],
  };

  const described = shown.filter((b) => b.total !== null).slice(0, 3);
  const altText = hasValue
    ? `Stacked bar chart of ${chartSubject(input)}, ${shown.length} ${shown.length === 1 ? category.one : category.many}` +
      `${bars.length > shown.length ? ` of ${formatInteger(bars.length)}` : ''}. Largest: ` +
      described
        .map(
          (b) =>
            `${proseLabel(b.name)} ${formatProse(b.total, format)} (` +
            segments.map((s, j) => `${s.name.toLowerCase()} ${formatProse(b.values[j] ?? null, format)}`).join(', ') +
            ')',
        )
        .join('; ') +
      '.'
    : `Stacked bar chart of ${chartSubject(input)}: there is no data for this period.`;

  const headers = [cap(category.one), ...segments.map((s) => s.name), 'Total'];
  const fallbackText = fallbackDocument(
    input,
    notes,
    textTable(
      headers,
      bars.map((b) => [b.name, ...b.values.map((v) => formatValueFull(v, format)), formatValueFull(b.total, format)]),
      { alignRight: headers.map((_, i) => i > 0), maxRows: 25, moreNoun: category.many },
    ),
  );
  return { kind: 'stacked-bars', spec, altText, fallbackText };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
