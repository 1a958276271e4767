/** Top-N horizontal bars: the busiest users, GPTs, projects or skills. */
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
  lowerFirst,
  proseLabel,
  subtitleClause,
  textTable,
} from './format.ts';
import { chartFrame, emptyMessageLayer, LABEL_LIMIT, PALETTE } from './theme.ts';
import type { ChartAttachment, TopNInput } from './types.ts';

const DEFAULT_LIMIT = 10;

interface Ranked {
  name: string;
  label: string;
  value: number | null;
}

function rank(input: TopNInput): { shown: Ranked[]; total: number } {
  // Array.prototype.sort is stable: with `ranked`, equal values keep the order they came in.
  const tie = (a: { name: string }, b: { name: string }) => (input.ranked ? 0 : cmp(a.name, b.name));
  const items = input.items
    .map((item) => ({ name: String(item.name ?? ''), value: finite(item.value) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) return a.value === null ? (b.value === null ? tie(a, b) : 1) : -1;
      return b.value - a.value || tie(a, b);
    });
  const shown = items.slice(0, barLimit(input.limit, DEFAULT_LIMIT));
  const labels = distinctLabels(shown.map((i) => i.name), undefined, LABEL_LIMIT.axis);
  return { shown: shown.map((item, i) => ({ ...item, label: labels[i]! })), total: Math.max(items.length, input.total ?? 0) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function buildTopNChart(input: TopNInput): ChartAttachment {
  const format = input.format ?? 'count';
  const { shown, total } = rank(input);
  const notes = total > shown.length ? [`Top ${shown.length} of ${formatInteger(total)} ${input.entity}`] : [];
  const rows = shown.map((item) => ({
    name: item.label,
    value: item.value,
    text: formatValue(item.value, format),
  }));
  const max = Math.max(0, ...shown.map((i) => i.value ?? 0));
  const hasValue = shown.some((i) => i.value !== null);
  const y = categoryAxisY('name', rows.map((r) => r.name));
  const x = valueAxisX('value', max, input.unit, format, { categoryLabels: rows.map((r) => r.name), endLabels: rows.map((r) => r.text) });
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'bar', color: PALETTE[0] },
      encoding: { y, x },
    },
    {
      mark: endLabelMark(),
      encoding: { y, x: onSameScale(x, 'value_or_zero'), text: { field: 'text', type: 'nominal' } },
    },
  ];
  const spec = {
    ...chartFrame(input, { height: barChartHeight(rows.length, notes.length * 16) }, notes),
    data: { values: rows.map((r) => ({ ...r, value_or_zero: r.value ?? 0 })) },
    layer: hasValue ? layers : [...layers, emptyMessageLayer()],
  };

  const top = shown.filter((i) => i.value !== null).slice(0, 3);
  const altText = hasValue
    ? `Bar chart of the top ${shown.length} ${input.entity} by ${lowerFirst(input.unit)}${subtitleClause(input)}: ` +
      `${top.map((i) => `${proseLabel(i.name)} ${formatProse(i.value, format)}`).join(', ')}` +
      `${shown.length > top.length ? ', …' : ''}.`
    : `Bar chart of ${chartSubject(input)}: there is no data for this period.`;
  const fallbackText = fallbackDocument(
    input,
    notes,
    textTable(
      ['#', input.entity.charAt(0).toUpperCase() + input.entity.slice(1), input.unit],
      shown.map((item, i) => [String(i + 1), item.name, formatValueFull(item.value, format)]),
      { alignRight: [true, false, true], maxRows: 20, moreNoun: input.entity },
    ),
  );
  return { kind: 'top-n', spec, altText, fallbackText };
}
