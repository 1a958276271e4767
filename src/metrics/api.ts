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
 * senders; gpts/projects — *_total, *_created, *_active; skills — skill_messages; apps —
 * app_messages.
 *
 * Conventions: dates are `YYYY-MM-DD` (UTC, inclusive); weeks run Sunday–Saturday; ratios are
 * unrounded fractions. Nothing here reads the clock: `today` comes from the caller.
 *
 * This is the entry point for callers outside src/metrics; the files inside import from the file
 * that defines what they use (the shared types are in ./types.ts).
 */
export type * from './types.ts';
export { freshness } from './context.ts';
export { suggestGroups, resolveGroup } from './groups.ts';
export { overview, activeUsers, messages } from './usage.ts';
export { groups } from './groups-breakdown.ts';
export { users, benchmarks } from './seats.ts';
export { impact } from './impact.ts';
export { tasks, heatmap } from './tasks.ts';
export { topUsers, powerUsers, POWER_MESSAGES_PER_WEEK, POWER_MIN_TOOLS, POWER_SHARE_DIVISOR } from './people.ts';
export { gpts, projects } from './items.ts';
export { skills } from './skills.ts';
export { apps } from './apps.ts';
export { BUILT_IN_IMPACT_CATALOG, IMPACT_DIMENSIONS } from './impact-catalog.ts';
