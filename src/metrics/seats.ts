/**
 * `users` (seats) and `benchmarks` (docs/design.md §5).
 *
 * Where §5 is silent:
 * - With a group filter, seats, invites and activation count the group's accounts as of P's end;
 *   `seats_purchased` is the workspace setting and has no per-group meaning: null, with a note
 *   (a viewer limited to groups gets no workspace-wide figure, docs/design.md §7).
 * - `wau` averages over the complete Sunday–Saturday weeks inside P's covered part (weeks with
 *   no data are not averaged in as zeros). If any such week cannot be answered exactly from the
 *   imported reports (no weekly report for it), `wau` and `messages_per_wau` are null with the
 *   reason.
 * - The industry is the request's, else the workspace setting, else technology; the medians
 *   shipped are illustrative and every answer says so.
 */
import type { DbOrTx } from '../store/schema.ts';
import { DEFAULT_INDUSTRY, findIndustry, ILLUSTRATIVE_MEDIANS, BENCHMARK_METRICS } from '../core/benchmarks.ts';
import { UsageError } from '../core/errors.ts';
import { completeWeeks, formatRange, type DateRange } from '../core/periods.ts';
import type { BenchmarkOptions, MetricAnswer, MetricRequest, MetricValue } from './types.ts';
import { activityForRanges } from './activity.ts';
import { frame, ratio } from './metric-answer.ts';
import { loadCtx, type Ctx } from './context.ts';
import { resolveRange } from './coverage.ts';
import { NO_DIRECTORY_WARNING, seatsAsOf } from './directory.ts';

export interface WauStats {
  wau: MetricValue;
  messages_per_wau: MetricValue;
  weeks: DateRange[];
}

/** §5 `wau` and `messages_per_wau` over the complete weeks of the covered part. */
export async function wauStats(ctx: Ctx, covered: DateRange | null, warnings: string[]): Promise<WauStats> {
  const weeks = covered === null ? [] : completeWeeks(covered);
  if (weeks.length === 0) {
    warnings.push(
      covered === null
        ? 'No data in this period, so there is no weekly active user figure.'
        : `${formatRange(covered)} holds no complete Sunday–Saturday week with data, so weekly active users and messages per weekly active user are not known.`,
    );
    return { wau: null, messages_per_wau: null, weeks };
  }
  const results = await activityForRanges(ctx, weeks);
  const failed = results.find((r) => r.activity === null);
  if (failed) {
    const reason = failed.resolution.kind === 'untileable' ? failed.resolution.reason : '';
    warnings.push(`Weekly active users and messages per weekly active user are not known: ${reason}`);
    return { wau: null, messages_per_wau: null, weeks };
  }
  let actives = 0;
  let msgs = 0;
  for (const r of results) {
    actives += r.activity!.active_users;
    msgs += r.activity!.messages;
  }
  return { wau: actives / weeks.length, messages_per_wau: ratio(msgs, actives), weeks };
}

function groupSeatsWarning(ctx: Ctx, warnings: string[]): void {
  if (ctx.group) warnings.push('Seats purchased is left out: it is the workspace-wide setting, not a figure of the group.');
}

export async function users(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const res = resolveRange(ctx.src, ctx.range);
  const answer = frame(ctx, res);
  const [seats, act] = await Promise.all([
    seatsAsOf(ctx, ctx.range.end, ctx.group?.ids ?? null),
    activityForRanges(ctx, [ctx.range]),
  ]);
  if (seats === null) answer.warnings.push(NO_DIRECTORY_WARNING);
  const active = act[0]!;
  if (active.resolution.kind === 'untileable') {
    answer.warnings.push(`Active users are not known: ${active.resolution.reason}`);
  }
  if (ctx.settings.seatsPurchased === null && !ctx.group) {
    answer.warnings.push('Seats purchased is not set (an owner or admin can set it with `settings seats:N`).');
  }
  groupSeatsWarning(ctx, answer.warnings);
  answer.values = {
    seats_purchased: ctx.group ? null : ctx.settings.seatsPurchased,
    seats_enabled: seats?.seats_enabled ?? null,
    pending_invites: seats?.pending_invites ?? null,
    activated_users: seats?.activated_users ?? null,
    active_users: active.activity?.active_users ?? null,
  };
  return answer;
}

export async function benchmarks(
  db: DbOrTx,
  req: MetricRequest,
  opts: BenchmarkOptions = {},
): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const industryKey = opts.industry ?? ctx.settings.benchmarkIndustry ?? DEFAULT_INDUSTRY;
  const industry = findIndustry(industryKey);
  if (!industry) {
    throw new UsageError(
      `Unknown benchmark industry "${industryKey}". Known: ${ILLUSTRATIVE_MEDIANS.map((i) => i.key).join(', ')}.`,
    );
  }
  const res = resolveRange(ctx.src, ctx.range);
  const answer = frame(ctx, res);
  const [seats, weekly] = await Promise.all([
    seatsAsOf(ctx, ctx.range.end, ctx.group?.ids ?? null),
    wauStats(ctx, res.covered, answer.warnings),
  ]);
  if (seats === null) answer.warnings.push(NO_DIRECTORY_WARNING);
  const activated = seats?.activated_users ?? null;
  const enabled = seats?.seats_enabled ?? null;
  answer.values = {
    activation_rate: ratio(activated, enabled),
    wau_per_activated_user: ratio(weekly.wau, activated),
    messages_per_wau: weekly.messages_per_wau,
    activated_users: activated,
    seats_enabled: enabled,
    wau: weekly.wau,
  };
  answer.rows = BENCHMARK_METRICS.map((metric) => ({
    metric,
    value: answer.values[metric] ?? null,
    median: industry.medians[metric],
    industry: industry.label,
    illustrative: true,
  }));
  answer.warnings.push(
    `The ${industry.label} medians are illustrative placeholders, not measured industry figures.`,
  );
  return answer;
}
