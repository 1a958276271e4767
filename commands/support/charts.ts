/**
 * The charts a command's answer carries: a MetricAnswer turned into the inputs of the chart
 * builders (src/core/charts/). The builders make the Vega-Lite spec, alt text and text fallback;
 * rendering to PNG happens outside the core.
 */
import {
  buildBenchmarkChart,
  buildFunnelChart,
  buildPowerUsersChart,
  buildSeriesPanelsChart,
  buildStackedBarsChart,
  buildTaskHeatmapChart,
  buildTaskTypesChart,
  buildTopNChart,
  buildTrendChart,
  chartHeading,
  type ChartAttachment,
  type Series,
} from '../../src/core/charts/index.ts';
import { findIndustry } from '../../src/core/benchmarks.ts';
import { formatCount, formatFor, labelFor } from '../../src/core/format.ts';
import { daysIn, describePeriod, formatWeekday, type Period } from '../../src/core/periods.ts';
import {
  POWER_MESSAGES_PER_WEEK,
  POWER_MIN_TOOLS,
  POWER_SHARE_DIVISOR,
  type MetricAnswer,
} from '../../src/metrics/api.ts';

export interface ChartContext {
  readonly period: Period;
  readonly answer: MetricAnswer;
  /** The same question about the previous period, when the command asked it. */
  readonly before: MetricAnswer | null;
  readonly minGroupSize: number | null;
}

export type ChartsFor = (c: ChartContext) => ChartAttachment[];

function heading(c: ChartContext, metric: string) {
  return chartHeading({
    metric,
    period: describePeriod(c.period),
    filter: c.answer.group ? `team: ${c.answer.group.name}` : null,
    partial: c.answer.partial,
  });
}

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function series(answer: MetricAnswer, key: string, name = labelFor(key)): Series {
  return {
    name,
    points: answer.series.map((e) => ({
      period_start: e.period_start,
      value: numberOrNull(e[key]),
      ...(e.partial === true ? { partial: true } : {}),
    })),
  };
}

const GRAIN_WORD = { day: 'day', week: 'week', month: 'month' } as const;

/**
 * The caption of a trend: where the data starts or ends inside the period (the gaps), what a
 * hollow point means, and gaps the reports cannot fill.
 */
export function trendNotes(answer: MetricAnswer): string[] {
  const grain = answer.grain;
  const covered = answer.covered;
  if (!grain || !covered || answer.series.length === 0) return [];
  const notes: string[] = [];
  const gaps: string[] = [];
  if (covered.start > answer.range.start) gaps.push(`no data before ${formatWeekday(covered.start)}`);
  if (covered.end < answer.range.end) gaps.push(`no data yet after ${formatWeekday(covered.end)}`);
  if (gaps.length > 0) notes.push(`Gaps: ${gaps.join('; ')}.`);
  const first = answer.series[0]!;
  const last = answer.series[answer.series.length - 1]!;
  const word = GRAIN_WORD[grain];
  if (last.partial === true) notes.push(`Hollow point, dashed: partial ${word}, data through ${formatWeekday(covered.end)}.`);
  if (first.partial === true && first !== last) notes.push(`First ${word} partial (hollow point): data starts ${formatWeekday(covered.start)}.`);
  const inside = answer.series.filter((e) => e.period_end >= covered.start && e.period_start <= covered.end);
  const keys = Object.keys(first).filter((k) => k !== 'period_start' && k !== 'period_end' && k !== 'partial');
  if (inside.some((e) => keys.length > 0 && keys.every((k) => e[k] === null))) {
    notes.push(`Other gaps: ${word}s the imported reports cannot give exactly.`);
  }
  return notes;
}

/** A trend of one key, with the previous period drawn faint when it was asked. */
export function trendOf(key: string): ChartsFor {
  return (c) => {
    const grain = c.answer.grain;
    if (!grain || c.answer.series.length === 0) return [];
    // Legends are short: "Previous period" rather than "the 12 weeks before".
    const previous = c.before && c.before.series.length > 0 ? series(c.before, key, 'Previous period') : undefined;
    return [
      buildTrendChart({
        ...heading(c, `${labelFor(key)} per ${GRAIN_WORD[grain]}`),
        grain,
        unit: labelFor(key),
        format: formatFor(key) === 'percent' ? 'percent' : 'count',
        series: [series(c.answer, key)],
        notes: trendNotes(c.answer),
        ...(previous ? { previous } : {}),
      }),
    ];
  };
}

/**
 * Several keys over time in panels, each on its own scale (`panels`: the keys of each, top first),
 * so small series stay readable beside big ones; keys the data cannot give (all null) are left
 * out of the legend.
 */
export function panelsOf(panels: readonly { title: string; keys: readonly string[] }[], metric: string, unit: string): ChartsFor {
  return (c) => {
    const grain = c.answer.grain;
    if (!grain || c.answer.series.length === 0) return [];
    return [
      buildSeriesPanelsChart({
        ...heading(c, `${metric} per ${GRAIN_WORD[grain]}`),
        grain,
        unit,
        panels: panels.map((p) => ({ title: p.title, series: p.keys.map((k) => series(c.answer, k)) })),
        notes: trendNotes(c.answer),
      }),
    ];
  };
}

/**
 * The rows' top items by a measure. `ranked`: the rows come in rank order with a tie rule of
 * their own (top-users, power-users: public_id), which the chart keeps.
 */
export function topOf(entity: string, nameKeys: readonly string[], valueKey: string, metric: string, ranked = false): ChartsFor {
  return (c) => {
    if (c.answer.rows.length === 0) return [];
    const items = c.answer.rows.map((r) => ({ name: personName(r, nameKeys), value: numberOrNull(r[valueKey]) }));
    return [buildTopNChart({ ...heading(c, metric), entity, unit: labelFor(valueKey), items, ranked, total: c.answer.rowsTotal })];
  };
}

/** A person's name in a chart: name, else email, else user id (rows carry what the caller may see). */
function personName(r: Record<string, unknown>, keys: readonly string[] = ['name', 'email', 'public_id']): string {
  // A loop, not map and find: called per row (2,000 GPTs), on the server's event loop.
  for (const k of keys) {
    const v = r[k];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return '(unnamed)';
}

/**
 * Power users against the two thresholds (docs/design.md §5): only the rows shown (a chat
 * message's first ones; none in the aggregate form, so no chart there either).
 */
export const powerUsersChart: ChartsFor = (c) => {
  if (c.answer.rows.length === 0 || !c.answer.covered) return [];
  const senders = numberOrNull(c.answer.values.senders);
  const total = c.answer.rowsTotal ?? numberOrNull(c.answer.values.power_users) ?? c.answer.rows.length;
  const notes =
    senders !== null && senders > 0
      ? [`All in the top 20% of senders by messages: the first ${formatCount(Math.ceil(senders / POWER_SHARE_DIVISOR))} of ${formatCount(senders)}.`]
      : [];
  return [
    buildPowerUsersChart({
      ...heading(c, 'Power users: messages and tools'),
      people: c.answer.rows.map((r) => ({ name: personName(r), messages: numberOrNull(r.messages), tools: numberOrNull(r.tools_messaged) })),
      days: daysIn(c.answer.covered),
      thresholds: { messagesPerWeek: POWER_MESSAGES_PER_WEEK, tools: POWER_MIN_TOOLS },
      total,
      notes,
    }),
  ];
};

/**
 * Seats purchased → enabled → activated → active (docs/design.md §5), as of the period's end. Seats
 * purchased is a workspace figure: a group's funnel starts at its enabled seats.
 */
export const seatsFunnelChart: ChartsFor = (c) => {
  const keys = ['seats_purchased', 'seats_enabled', 'activated_users', 'active_users'] as const;
  const purchased = c.answer.group
    ? { value: null, unknown: 'a workspace figure, not a team one' }
    : { value: numberOrNull(c.answer.values.seats_purchased), unknown: 'not set (settings seats:N)' };
  const steps = keys.map((k) =>
    k === 'seats_purchased' ? { label: labelFor(k), ...purchased } : { label: labelFor(k), value: numberOrNull(c.answer.values[k]) },
  );
  if (steps.every((s) => s.value === null)) return [];
  return [buildFunnelChart({ ...heading(c, 'From seats to active users'), unit: 'Seats and people', steps })];
};

export const groupsChart: ChartsFor = (c) => {
  if (c.answer.rows.length === 0) return [];
  return [
    buildStackedBarsChart({
      ...heading(c, 'Active members per group'),
      unit: 'Members',
      category: { one: 'group', many: 'groups' },
      segments: ['Active', 'Not active'],
      bars: c.answer.rows.map((r) => {
        const members = numberOrNull(r.members);
        const active = numberOrNull(r.active_users);
        return {
          label: String(r.group ?? ''),
          values: {
            Active: active,
            'Not active': members !== null && active !== null ? Math.max(0, members - active) : null,
          },
        };
      }),
    }),
  ];
};

export const benchmarkChart: ChartsFor = (c) => {
  if (c.answer.rows.length === 0) return [];
  const industryKey = c.answer.rows.find((r) => typeof r.industry === 'string')?.industry as string | undefined;
  return [
    buildBenchmarkChart({
      ...heading(c, 'Benchmarks'),
      industry: industryKey ? (findIndustry(industryKey)?.label ?? industryKey) : null,
      // Only the shipped illustrative medians exist so far (src/core/benchmarks.ts).
      medianIllustrative: true,
      metrics: c.answer.rows.map((r) => {
        const metric = String(r.metric);
        return {
          metric,
          label: labelFor(metric),
          value: numberOrNull(r.value),
          median: numberOrNull(r.median),
          format: formatFor(metric) === 'percent' ? 'percent' : 'decimal',
        };
      }),
    }),
  ];
};

export const taskTypesChart: ChartsFor = (c) => {
  if (c.answer.rows.length === 0) return [];
  return [
    buildTaskTypesChart({
      ...heading(c, 'Conversations per task type'),
      rows: c.answer.rows.map((r) => ({
        task_type: String(r.task_type ?? '').replace(/_/g, ' '),
        conversations: numberOrNull(r.conversations) ?? 0,
        share: numberOrNull(r.share),
      })),
    }),
  ];
};

export const heatmapChart: ChartsFor = (c) => {
  if (c.answer.rows.length === 0) return [];
  const columnKind = c.answer.rows.some((r) => r.column_kind === 'topic') ? 'topic' : 'group';
  return [
    buildTaskHeatmapChart({
      ...heading(c, columnKind === 'topic' ? 'Task types by topic' : 'Task types by group'),
      columnKind,
      rows: c.answer.rows.map((r) => ({
        task_type: String(r.task_type ?? '').replace(/_/g, ' '),
        column: String(r.column ?? ''),
        conversations: numberOrNull(r.conversations) ?? 0,
      })),
      groups_hidden: c.answer.groupsHidden ?? 0,
      ...(c.minGroupSize ? { minGroupSize: c.minGroupSize } : {}),
    }),
  ];
};
