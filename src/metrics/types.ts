/**
 * The shapes the metrics take and return: a {@link MetricRequest} in, a {@link MetricAnswer} out.
 * Periods, grains and date ranges are the core's (src/core/periods.ts), and a trend entry is the
 * Reply's {@link SeriesEntry}, so an answer's series goes into a Reply as it is.
 */
import type { DateRange, Grain, PresetName } from '../core/periods.ts';
import type { SeriesEntry, Value } from '../core/reply.ts';
import type { RowsPage } from '../core/rows-json.ts';

export interface MetricRequest {
  /**
   * The period asked: pass a preset's natural range (`this-week` = its Sunday..Saturday,
   * `this-month` = the whole calendar month); the end is clipped to `today` here, and the period
   * is then partial.
   */
  range: DateRange;
  /**
   * The preset the period was asked as; null or absent for a custom `from:`/`to:` range. With
   * `range` it is the kind of period whose previous one `*_change_pct` compares with
   * (previousPeriod in src/core/periods.ts): the previous N weeks or N months for a preset, the
   * equal-length range before for a custom range.
   */
  preset?: PresetName | null;
  /** `team:`/`group:` — a SCIM group name, matched case-insensitively (straight/curly quotes alike). */
  groupName?: string;
  /**
   * A group filter already resolved (it wins over `groupName`): a group-scoped viewer asking
   * without `team:` is answered about the union of their groups, as one filter.
   */
  group?: { name: string; ids: string[] };
  /** `by:`; absent → week when the period is whole weeks, month when whole months, else day. */
  grain?: Grain;
  /** Today (UTC) from the injected clock. */
  today: string;
  /**
   * Access scope: a group-limited viewer. Per-group rows and per-person rows are limited to these
   * SCIM group ids; values follow `group`/`groupName` (the caller sets `group` to the viewer's
   * groups when no `team:` was asked). Omitted = all.
   */
  restrictToGroupIds?: string[];
  /**
   * The aggregate form for a channel audience: small groups are hidden in every group breakdown
   * (not only task insights), and per-person rows are left empty.
   */
  aggregateOnly?: boolean;
  /**
   * The previous period of a comparison: only the values it is compared on need be answered.
   * `gpts`/`projects` then give `*_active` alone, without reading the catalog or per-item rows.
   */
  comparedOnly?: boolean;
}

export type MetricValue = Value;

export interface MetricAnswer {
  /** The period asked, end clipped to today. */
  range: DateRange;
  /** max(start, oldest data day)..min(end, newest data day); null when that is empty. */
  covered: DateRange | null;
  /** The period reaches past the newest data day (or past today). */
  partial: boolean;
  /** The grain of `series`, or null when there is no series. */
  grain: Grain | null;
  /** The newest day with usage data. */
  dataThrough: string | null;
  /** When the newest import or ingest happened. */
  lastUpdated: Date | null;
  /** The resolved group filter, if any. */
  group: { name: string; ids: string[] } | null;
  values: Record<string, MetricValue>;
  series: SeriesEntry[];
  rows: Array<Record<string, unknown>>;
  warnings: string[];
  /** How many groups a breakdown left out for privacy (also in `values` where the command lists it). */
  groupsHidden?: number;
  /** When `rows` are the first of more (a limit was asked for): how many rows there are in all. */
  rowsTotal?: number;
  /**
   * The rows after `rows`, page by page, when they were asked to be streamed (TopUsersOptions
   * `stream`), as the JSON answer's text (rows-json.ts): read from the store while they are
   * consumed, so the store must stay open until then.
   */
  moreRows?: AsyncIterable<RowsPage>;
}

export interface Freshness {
  lastUpdated: Date | null;
  dataThrough: string | null;
  /** The oldest day with usage data. */
  dataFrom: string | null;
  usageSource: 'exports' | 'events' | null;
}

/** Options of `topUsers` and `powerUsers`. */
export interface TopUsersOptions {
  /**
   * How many rows to return, best first (default: every sender, or every power user, in the
   * period); `rowsTotal` then says how many there are. Ignored for a group-limited viewer
   * (restrictToGroupIds).
   */
  limit?: number;
  /**
   * Every row (no limit) streamed: `rows` holds the first few (`rowsTotal` says how many there
   * are) and `moreRows` the rest, read page by page as they are consumed, so every sender is never
   * held at once. Ignored with a limit, for a group-limited viewer (restrictToGroupIds) and in the
   * aggregate form.
   */
  stream?: boolean;
  /** How many rows a streamed answer holds in `rows` (default STREAM_FIRST_ROWS in people.ts). */
  streamFirstRows?: number;
  /** Rows per page of `moreRows` (default STREAM_PAGE_ROWS in people.ts). */
  streamPageRows?: number;
}

export interface BenchmarkOptions {
  /** An industry key or label (default: the workspace setting, else technology). */
  industry?: string;
}
