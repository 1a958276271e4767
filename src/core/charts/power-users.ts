/**
 * Power users against the two thresholds they passed (docs/design.md §5): one row per person shown,
 * in rank order; on the left their messages per week with the messages-a-week threshold drawn, on
 * the right the distinct tools they used with the tools threshold drawn. Two panels on one name
 * axis rather than a scatter: names stay readable (people at the same tool count would sit on one
 * another in a scatter) and each number reads against its own rule. The third rule, the top 20% of
 * senders, is a rank, not a value on either axis: the caption says where it falls.
 */
import { barChartHeight, barLimit, categoryAxisY, endLabelHeadroom, endLabelMark } from './bars.ts';
import {
  chartSubject,
  COUNT_AXIS,
  distinctLabels,
  estimateTextWidth,
  fallbackDocument,
  finite,
  formatCompact,
  formatInteger,
  formatProse,
  proseLabel,
  textTable,
} from './format.ts';
import { CHART_PADDING, CHART_WIDTH, FONT_SIZE, LABEL_LIMIT, PALETTE, VEGA_LITE_SCHEMA, MUTED_TEXT_COLOR, chartFrame } from './theme.ts';
import type { ChartAttachment, PowerUsersInput } from './types.ts';

const DEFAULT_LIMIT = 15;
const TOOLS_PANEL_WIDTH = 96;
const PANEL_SPACING = 14;
/** Room for the last tick label of each axis, which may run past its panel's end. */
const WIDTH_MARGIN = 16;
const RULE_COLOR = PALETTE[3];

interface Person {
  label: string;
  name: string;
  per_week: number | null;
  tools: number | null;
}

/** Messages per week over `days` days, to one decimal (the rate the threshold is about). */
export function perWeek(messages: number | null, days: number): number | null {
  if (messages === null || !(days > 0)) return null;
  return Math.round((messages * 7 * 10) / days) / 10;
}

function people(input: PowerUsersInput): { shown: Person[]; total: number } {
  const shown = input.people.slice(0, barLimit(input.limit, DEFAULT_LIMIT));
  const labels = distinctLabels(shown.map((p) => String(p.name ?? '')), undefined, LABEL_LIMIT.axis);
  return {
    shown: shown.map((p, i) => ({
      label: labels[i]!,
      name: String(p.name ?? ''),
      per_week: perWeek(finite(p.messages), input.days),
      tools: finite(p.tools),
    })),
    total: Math.max(input.people.length, input.total ?? 0),
  };
}

/** A dashed rule at the threshold with its label above the plot. */
function thresholdLayers(value: number, label: string, field: string): Record<string, unknown>[] {
  return [
    {
      data: { values: [{ [field]: value }] },
      mark: { type: 'rule', color: RULE_COLOR, strokeDash: [5, 3], strokeWidth: 2 },
      encoding: { x: { field, type: 'quantitative' } },
    },
    {
      data: { values: [{ [field]: value, label }] },
      mark: { type: 'text', color: RULE_COLOR, align: 'center', baseline: 'bottom', dy: -4, fontSize: FONT_SIZE.markText, fontWeight: 'bold' },
      encoding: { x: { field, type: 'quantitative' }, y: { value: 0 }, text: { field: 'label', type: 'nominal' } },
    },
  ];
}

/** "No power users" in the middle of a panel (in pixels: a concatenated view has no fitted width). */
function emptyMessage(width: number, height: number): Record<string, unknown> {
  return {
    data: { values: [{ message: 'No power users in this period' }] },
    mark: { type: 'text', fontSize: FONT_SIZE.empty, color: MUTED_TEXT_COLOR },
    encoding: { x: { value: Math.round(width / 2) }, y: { value: Math.round(height / 2) }, text: { field: 'message', type: 'nominal' } },
  };
}

function panel(
  field: 'per_week' | 'tools',
  opts: { width: number; height: number; max: number; title: string; threshold: number; label: string; order: string[]; names: boolean; empty?: boolean },
): Record<string, unknown> {
  const domainMax = Math.max(opts.max, opts.threshold) * endLabelHeadroom(['999'], opts.width) * 1.05;
  const x = {
    field,
    type: 'quantitative',
    scale: { domain: [0, domainMax], nice: false, zero: true },
    axis: { title: opts.title, tickCount: field === 'tools' ? 3 : 4, grid: true, format: field === 'tools' ? 'd' : '.3~s', ...COUNT_AXIS },
  };
  const y = opts.names
    ? categoryAxisY('label', opts.order)
    : { ...categoryAxisY('label', opts.order), axis: null };
  return {
    width: Math.round(opts.width),
    height: opts.height,
    layer: [
      { mark: { type: 'bar', color: PALETTE[0] }, encoding: { y, x } },
      {
        transform: [{ filter: `datum.${field} != null` }],
        mark: endLabelMark(),
        encoding: { y, x: { field, type: 'quantitative' }, text: { field: `${field}_text`, type: 'nominal' } },
      },
      ...thresholdLayers(opts.threshold, opts.label, field),
      ...(opts.empty ? [emptyMessage(opts.width, opts.height)] : []),
    ],
  };
}

export function buildPowerUsersChart(input: PowerUsersInput): ChartAttachment {
  const { shown, total } = people(input);
  const { messagesPerWeek, tools } = input.thresholds;
  const notes = [
    ...(total > shown.length ? [`Top ${shown.length} of ${formatInteger(total)} power users`] : []),
    ...(input.notes ?? []),
  ];
  const rows = shown.map((p) => ({
    ...p,
    per_week_text: p.per_week === null ? '' : formatCompact(Math.round(p.per_week)),
    tools_text: p.tools === null ? '' : formatInteger(p.tools),
  }));
  const order = rows.map((r) => r.label);
  // Names are cut at LABEL_LIMIT.axis when drawn; estimates run short for emoji and CJK, so a margin.
  const labelsPx = Math.min(LABEL_LIMIT.axis, 1.2 * Math.max(0, ...order.map((t) => estimateTextWidth(t))));
  const messagesWidth = CHART_WIDTH - 2 * CHART_PADDING - labelsPx - 12 - PANEL_SPACING - TOOLS_PANEL_WIDTH - WIDTH_MARGIN;
  const frame = chartFrame(input, { height: barChartHeight(rows.length, notes.length * 16 + 16) }, notes);
  const { width: _width, height, autosize: _autosize, ...rest } = frame;
  const innerHeight = Math.max(60, Number(height) - 118 - notes.length * 16 - 16);
  const spec = {
    ...rest,
    $schema: VEGA_LITE_SCHEMA,
    // Two panels side by side: Vega-Lite fits only single views, so each panel has its own width.
    autosize: { type: 'pad' },
    data: { values: rows },
    spacing: PANEL_SPACING,
    resolve: { scale: { y: 'shared' } },
    hconcat: [
      panel('per_week', {
        width: messagesWidth,
        height: innerHeight,
        max: Math.max(0, ...rows.map((r) => r.per_week ?? 0)),
        title: 'Messages per week',
        threshold: messagesPerWeek,
        label: `${formatInteger(messagesPerWeek)} a week`,
        order,
        names: true,
        empty: rows.length === 0,
      }),
      panel('tools', {
        width: TOOLS_PANEL_WIDTH,
        height: innerHeight,
        max: Math.max(0, ...rows.map((r) => r.tools ?? 0)),
        title: 'Distinct tools',
        threshold: tools,
        label: `${formatInteger(tools)} tools`,
        order,
        names: false,
      }),
    ],
  };

  const first = shown[0];
  const altText =
    shown.length === 0
      ? `Bar chart of ${chartSubject(input)}: there are no power users in this period.`
      : `Bar chart of ${chartSubject(input)}: ${shown.length === total ? `all ${total}` : `the top ${shown.length} of ${formatInteger(total)}`} ` +
        `power users' messages per week against the ${formatInteger(messagesPerWeek)}-a-week threshold and their distinct tools against ` +
        `the ${formatInteger(tools)}-tool threshold. The first, ${proseLabel(first!.name)}, averages ${formatProse(first!.per_week, 'decimal')} ` +
        `messages a week with ${formatProse(first!.tools)} tools.`;
  const fallbackText = fallbackDocument(
    input,
    notes,
    textTable(
      ['#', 'Person', 'Messages per week', 'Tools'],
      shown.map((p, i) => [String(i + 1), p.name, formatProse(p.per_week, 'decimal'), formatProse(p.tools)]),
      { alignRight: [true, false, true, true], maxRows: 20, moreNoun: 'power users' },
    ),
  );
  return { kind: 'power-users', spec, altText, fallbackText };
}
