/**
 * A funnel of counts, each step a part of the one before (seats purchased → enabled → activated
 * → active, docs/design.md §5): one bar per step, top to bottom, each labelled with its count and
 * its share of the step before. A step the data cannot give (seats purchased when nobody set it)
 * is left out with a caption line, and the next step's share is then of the step before that.
 */
import { barChartHeight, categoryAxisY, endLabelMark, onSameScale, valueAxisX } from './bars.ts';
import {
  chartSubject,
  fallbackDocument,
  finite,
  formatInteger,
  formatPercent,
  formatProse,
  lowerFirst,
  textTable,
} from './format.ts';
import { chartFrame, emptyMessageLayer, PALETTE } from './theme.ts';
import type { ChartAttachment, FunnelInput } from './types.ts';

interface Step {
  label: string;
  value: number;
  /** Share of the step drawn before it, and that step's label; null for the first. */
  share: number | null;
  of: string | null;
}

function stepsOf(input: FunnelInput): { steps: Step[]; missing: { label: string; why: string }[] } {
  const steps: Step[] = [];
  const missing: { label: string; why: string }[] = [];
  for (const s of input.steps) {
    const value = finite(s.value);
    if (value === null) {
      missing.push({ label: s.label, why: s.unknown ?? 'not known' });
      continue;
    }
    const before = steps[steps.length - 1];
    steps.push({
      label: s.label,
      value,
      share: before && before.value > 0 ? value / before.value : null,
      of: before ? before.label : null,
    });
  }
  return { steps, missing };
}

function shareText(s: Step): string {
  return s.share === null || s.of === null ? '' : `${formatPercent(s.share)} of ${lowerFirst(s.of)}`;
}

export function buildFunnelChart(input: FunnelInput): ChartAttachment {
  const { steps, missing } = stepsOf(input);
  const notes = [
    ...missing.map((m) => `${m.label}: ${m.why}, so not drawn.`),
    ...(input.notes ?? []),
  ];
  const rows = steps.map((s) => ({
    label: s.label,
    value: s.value,
    text: [formatProse(s.value), shareText(s)].filter(Boolean).join(' · '),
  }));
  const order = rows.map((r) => r.label);
  const y = categoryAxisY('label', order);
  const x = valueAxisX('value', Math.max(0, ...rows.map((r) => r.value)), input.unit, 'count', {
    categoryLabels: order,
    endLabels: rows.map((r) => r.text),
  });
  const layers: Record<string, unknown>[] = [
    { mark: { type: 'bar', color: PALETTE[0] }, encoding: { y, x } },
    { mark: endLabelMark(), encoding: { y, x: onSameScale(x, 'value'), text: { field: 'text', type: 'nominal' } } },
  ];
  const spec = {
    ...chartFrame(input, { height: barChartHeight(Math.max(rows.length, 3), notes.length * 16) }, notes),
    data: { values: rows },
    layer: rows.length > 0 ? layers : [...layers, emptyMessageLayer()],
  };

  const altText =
    rows.length === 0
      ? `Bar chart of ${chartSubject(input)}: there is no data for this period.`
      : `Funnel of ${chartSubject(input)}: ` +
        steps.map((s) => `${formatProse(s.value)} ${lowerFirst(s.label)}${s.share === null ? '' : ` (${shareText(s)})`}`).join(', then ') +
        `.${missing.map((m) => ` ${m.label}: ${m.why}.`).join('')}`;
  const fallbackText = fallbackDocument(
    input,
    notes,
    textTable(
      ['Step', input.unit, 'Share of the step before'],
      steps.map((s) => [s.label, formatInteger(s.value), s.share === null ? '' : formatPercent(s.share)]),
      { alignRight: [false, true, true] },
    ),
  );
  return { kind: 'funnel', spec, altText, fallbackText };
}
