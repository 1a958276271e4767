/**
 * The metrics layer's public API (docs/design.md §5): what the command modules call. One function per
 * command's `values`/`rows`/`series` of the §5 table, each taking the store first and a
 * {@link MetricRequest}, and returning a {@link MetricAnswer} whose `values` always carries every
 * key of that command's row (null plus a warning when the data cannot give it, never a made-up 0).
 *
 * Errors thrown (src/core/errors.ts):
 * - NotFoundError — unknown group name (message offers the closest names, see suggestGroups);
 * - UnanswerableError — the covered part of the period is not tiled exactly by Users reports of
 *   one grain (export-fed stores) and the command's numbers all depend on it; a grain asked with
 *   `by:` that the data lacks (`by:day` on exports); task insights are off.
 * - UsageError — an unknown benchmark industry.
 * Where only part of an answer cannot be given, that part is null with a warning instead: a
 * trend entry, `users`' active_users, `benchmarks`' wau over an untileable week, a change over an
 * untileable previous period, skills/apps/tasks from Users reports.
 *
 * `values` keys per function (docs/design.md §5): overview — active_users, messages, gpt_messages,
 * tool_messages, project_messages, skill_messages, app_messages and each `*_change_pct`;
 * activeUsers — active_users; messages — the six message keys; groups — groups_hidden; users —
 * seats_purchased, seats_enabled, pending_invites, activated_users, active_users; benchmarks —
 * activation_rate, wau_per_activated_user, messages_per_wau, activated_users, seats_enabled, wau;
 * impact — respondents, participation_rate, share_positive_<dimension> per catalog dimension;
 * tasks — conversations; heatmap — groups_hidden; topUsers — none; powerUsers — power_users,
 * senders; gpts/projects — *_total, *_created, *_active; skills — skill_messages.
 *
 * Conventions: dates are `YYYY-MM-DD` (UTC, inclusive); weeks run Sunday–Saturday; ratios are
 * unrounded fractions. Nothing here reads the clock: `today` comes from the caller.
 */
import type { DbOrTx } from '../store/schema.ts';

export type { DbOrTx };

/** An inclusive UTC date range, `YYYY-MM-DD`. */
export interface DateRange {
  start: string;
  end: string;
}

export type Grain = 'day' | 'week' | 'month';

export interface MetricRequest {
  /**
   * The period asked: pass a preset's natural range (`this-week` = its Sunday..Saturday,
   * `this-month` = the whole calendar month); the end is clipped to `today` here, and the period
   * is then partial. The kind of period (N whole weeks, N whole months, custom) is read from this
   * range to pick the previous period for `*_change_pct`.
   */
  range: DateRange;
  /** `team:`/`group:` — a SCIM group name, matched case-insensitively (straight/curly quotes alike). */
  groupName?: string;
  /** `by:`; absent → week when the period is whole weeks, month when whole months, else day. */
  grain?: Grain;
  /** Today (UTC) from the injected clock. */
  today: string;
  /**
   * Overrides the previous period used for `*_change_pct` (default: inferred from `range`, see
   * previousPeriod()).
   */
  compareTo?: DateRange;
  /**
   * Access scope (docs/design.md §7; coming): a group-limited viewer. Per-group rows and per-person
   * rows are limited to these SCIM group ids; workspace values stay aggregates. Omitted = all.
   */
  restrictToGroupIds?: string[];
  /**
   * The aggregate form for a channel audience (docs/design.md §7): small groups are hidden in every
   * group breakdown (not only task insights), and per-person rows are left empty.
   */
  aggregateOnly?: boolean;
}

export type MetricValue = number | null;

export interface SeriesEntry {
  period_start: string;
  period_end: string;
  [key: string]: string | number | null;
}

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
  /** How many groups a breakdown left out for privacy (also in values where §5 lists it). */
  groupsHidden?: number;
  /** When `rows` are the first of more (a limit was asked for): how many rows there are in all. */
  rowsTotal?: number;
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
}

export interface BenchmarkOptions {
  /** An industry key or label (default: the workspace setting, else technology). */
  industry?: string;
}

export { freshness } from './context.ts';
export { suggestGroups, resolveGroup } from './groups.ts';
export { defaultGrain, previousPeriod, clipToToday } from './dates.ts';
export { overview, activeUsers, messages } from './usage.ts';
export { groups } from './groups-breakdown.ts';
export { users, benchmarks } from './seats.ts';
export { impact } from './impact.ts';
export { tasks, heatmap } from './tasks.ts';
export { topUsers, powerUsers } from './people.ts';
export { gpts, projects } from './items.ts';
export { skills } from './skills.ts';
export { BUILT_IN_IMPACT_CATALOG, IMPACT_DIMENSIONS } from './impact-catalog.ts';
