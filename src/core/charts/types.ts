/**
 * Inputs and outputs of the chart spec builders (docs/design.md §6: every chart carries alt text and a text
 * fallback). Pure data: the builders turn these into Vega-Lite JSON with the data inline; the
 * renderer (src/render/) turns that into a PNG. Dates are `YYYY-MM-DD` (UTC), ratios are fractions
 * (0.45, not 45), and `null` means "the data cannot say" — it is drawn as a gap, never as 0.
 */

/** A Vega-Lite top-level spec as plain JSON (kept local: the core imports no vega-lite). */
export type VegaLiteSpec = { readonly $schema: string } & { [key: string]: unknown };

export type ChartKind =
  | 'trend'
  | 'multi-series'
  | 'stacked-bars'
  | 'benchmark'
  | 'impact-dimensions'
  | 'answer-distribution'
  | 'task-types'
  | 'task-heatmap'
  | 'top-n'
  | 'power-users'
  | 'series-panels'
  | 'funnel';

/** What a Reply carries for one chart: render `spec` to PNG; `altText` and `fallbackText` stand in for it. */
export interface ChartAttachment {
  kind: ChartKind;
  spec: VegaLiteSpec;
  /** One or two sentences with the key numbers, for screen readers and image alt attributes. */
  altText: string;
  /** A plain-text table (monospace-friendly, no markup) for when the image cannot be shown. */
  fallbackText: string;
}

/**
 * Every chart's heading. `title` names the metric ("Active users per week"); `subtitle` the period
 * and filter ("7 Sep – 29 Nov 2025 · team: Sales"). `chartHeading()` builds both from parts.
 */
export interface ChartHeading {
  title: string;
  subtitle?: string;
}

/** How values print: `count` 12.3k, `percent` 45% (value is a fraction), `decimal` 23.4. */
export type ValueFormat = 'count' | 'percent' | 'decimal';

/**
 * A trend's grain: the period module's Grain (src/core/periods.ts), restated here because this
 * folder imports only its own files; test/charts/core-imports.test.ts checks the two are the same.
 */
export type Grain = 'day' | 'week' | 'month';

export interface SeriesPoint {
  /** First day of the grain's period, `YYYY-MM-DD`. */
  period_start: string;
  /** null: no data for this period (drawn as a gap, never as 0). */
  value: number | null;
  /** Only part of the period has data (a last week with two days): drawn hollow, its segment dashed. */
  partial?: boolean;
}

export interface Series {
  name: string;
  points: SeriesPoint[];
}

/** Trend line: one or more series over time (active users per week), optional previous period. */
export interface TrendChartInput extends ChartHeading {
  grain: Grain;
  /** Y axis title with its unit, e.g. "Active users" or "Messages". */
  unit: string;
  format?: ValueFormat;
  series: Series[];
  /**
   * Caption lines under the subtitle, e.g. "No data yet after Sat 21 Nov 2026" or what a partial
   * last week means.
   */
  notes?: string[];
  /**
   * The previous period (e.g. the 12 weeks before), drawn faint. Weeks and months are matched to
   * the first series' points by position (entry i is drawn over `series[0].points[i]`); days by
   * weekday, the previous period moved by whole weeks (align.ts), and not drawn when no day of it
   * falls on the same weekday as a day drawn — the caption and alt text say which.
   */
  previous?: Series;
}

/** Several series on one time axis (messages by kind). Same shape as a trend, no previous period. */
export type MultiSeriesChartInput = Omit<TrendChartInput, 'previous'>;

/**
 * Several series in panels on one time axis, each panel on its own scale (messages by kind: all
 * messages above, the small kinds below). A series without any value is left out of the legend.
 */
export interface SeriesPanelsInput extends Omit<MultiSeriesChartInput, 'series'> {
  panels: { title: string; series: Series[] }[];
}

/** Horizontal bars, one per category (usually a group), split into stacked segments. */
export interface StackedBarsInput extends ChartHeading {
  /** X axis title with its unit, e.g. "Members". */
  unit: string;
  format?: Exclude<ValueFormat, 'percent'>;
  /** What a bar is, singular and plural, for alt text and captions ("group", "groups"). */
  category?: { one: string; many: string };
  /** Segment names in stack and legend order, e.g. ["Active", "Not active"]. */
  segments: string[];
  bars: { label: string; values: Record<string, number | null> }[];
  /** Bars drawn at most (the largest totals); the rest are named in a caption. Default 15, max 20. */
  maxBars?: number;
}

export interface BenchmarkMetric {
  /** Key, e.g. "activation_rate". */
  metric: string;
  /** Readable name, e.g. "Activation rate". */
  label: string;
  value: number | null;
  median: number | null;
  format: ValueFormat;
}

/** This workspace against an industry median, per metric (docs/design.md §5 `benchmarks`). */
export interface BenchmarkChartInput extends ChartHeading {
  /** Industry the medians are for, e.g. "Technology"; null when none is set. */
  industry: string | null;
  /** True while the medians are the shipped illustrative table, not an admin's imported figures. */
  medianIllustrative: boolean;
  metrics: BenchmarkMetric[];
}

/** Share of respondents answering positively, per impact dimension. */
export interface ImpactDimensionsInput extends ChartHeading {
  dimensions: {
    dimension: string;
    /** Readable name; defaults to the key with underscores as spaces. */
    label?: string;
    share_positive: number | null;
    /** The answers the share is over: a dimension of several questions pools its questions' respondents. */
    respondents: number;
  }[];
  respondents?: number;
  participation_rate?: number | null;
}

/** Per question, how the answers split (100% stacked bars). */
export interface AnswerDistributionInput extends ChartHeading {
  questions: {
    question_id: string;
    /** The question as people read it (shortened on the chart, whole in the fallback). */
    text: string;
    /** In the catalog's order (usually least to most positive). */
    answers: { label: string; respondents: number; positive: boolean }[];
  }[];
}

/** Conversations per task type (docs/design.md §5 `tasks` rows). */
export interface TaskTypesInput extends ChartHeading {
  rows: { task_type: string; conversations: number; share: number | null }[];
  /** Bars drawn at most; default 15, max 20. */
  maxBars?: number;
}

/** Task type × group (or × topic) heat map (docs/design.md §5 `heatmap` rows). */
export interface TaskHeatmapInput extends ChartHeading {
  /** Columns are SCIM groups, or topics where the workspace has no SCIM groups. */
  columnKind: 'group' | 'topic';
  rows: { task_type: string; column: string; conversations: number }[];
  /** Groups left out for privacy (docs/design.md §5), noted in the caption. */
  groups_hidden: number;
  /** The workspace's minimum group size, for the caption. */
  minGroupSize?: number;
  /** Columns drawn at most (the busiest); default 10, max 12. */
  maxColumns?: number;
  /** Task types drawn at most (the busiest); default 12, max 15. */
  maxRows?: number;
}

/** Top-N horizontal bars: users, GPTs, projects, skills or apps by a measure. */
export interface TopNInput extends ChartHeading {
  /** Plural noun for what is ranked: "users", "GPTs", "projects", "skills". */
  entity: string;
  /** X axis title with its unit, e.g. "Messages". */
  unit: string;
  format?: ValueFormat;
  /**
   * Best first is not required: the builder sorts by value (nulls last), ties by name — or, with
   * `ranked`, keeps the order given for ties (a ranking with a tie rule of its own, such as
   * top-users' public_id order, docs/design.md §5).
   */
  items: { name: string; value: number | null }[];
  ranked?: boolean;
  /** How many there are in all, when `items` holds only the first of them (best first). */
  total?: number;
  /** Bars drawn; default 10, max 20. */
  limit?: number;
}

/** Power users against the two thresholds of docs/design.md §5: messages per week and distinct tools. */
export interface PowerUsersInput extends ChartHeading {
  /** The power users shown, in rank order (best first); only these are drawn and named. */
  people: { name: string; messages: number | null; tools: number | null }[];
  /** Days of the period the messages are over (its covered part): messages per week = messages × 7 / days. */
  days: number;
  thresholds: { messagesPerWeek: number; tools: number };
  /** How many power users there are in all, when `people` holds only the first of them. */
  total?: number;
  /** Caption lines, e.g. where the top-20% rank rule falls. */
  notes?: string[];
  /** People drawn at most; default 15, max 20. */
  limit?: number;
}

/** Counts in funnel order, each a part of the one before (seats purchased → enabled → activated → active). */
export interface FunnelInput extends ChartHeading {
  /** X axis title with its unit, e.g. "People". */
  unit: string;
  /** Top to bottom; a null value is a step the data cannot give: left out, with a caption line. */
  steps: { label: string; value: number | null; /** Why a null is unknown, for the caption ("not set"). */ unknown?: string }[];
  notes?: string[];
}
