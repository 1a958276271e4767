/**
 * `overview`, `active-users`, `messages` (docs/design.md §5): activity counts over the period, the
 * previous period and the trend entries, all in one query.
 *
 * Where §5 is silent:
 * - `overview`'s weekly series is absent (with a warning) when the store has no weekly data.
 * - `*_change_pct` compares with the previous period over its own covered part; a previous
 *   period only partly covered by data is compared as is, with a warning saying so.
 */
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest, MetricValue } from './types.ts';
import { activityForRanges, type Activity } from './activity.ts';
import {
  EVENT_TOOL_WARNING,
  EXPORT_SKILLS_WARNING,
  buildSeries,
  changePcts,
  chooseGrain,
  comparisonRange,
  frame,
  requireAnswerable,
  seriesRanges,
} from './metric-answer.ts';
import { loadCtx, type Ctx } from './context.ts';

export const MESSAGE_KEYS = [
  'messages',
  'gpt_messages',
  'tool_messages',
  'project_messages',
  'skill_messages',
  'app_messages',
] as const;

function messageValues(a: Activity | null): Record<string, MetricValue> {
  if (a === null) return Object.fromEntries(MESSAGE_KEYS.map((k) => [k, null]));
  return {
    messages: a.messages,
    gpt_messages: a.gpt_messages,
    tool_messages: a.tool_messages,
    project_messages: a.project_messages,
    skill_messages: a.skill_messages,
    app_messages: a.app_messages,
  };
}

function sourceWarnings(ctx: Ctx, warnings: string[], showsTools: boolean): void {
  if (ctx.src.usageSource === 'exports') warnings.push(EXPORT_SKILLS_WARNING);
  if (ctx.src.usageSource === 'events' && showsTools) warnings.push(EVENT_TOOL_WARNING);
}

export async function overview(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const choice = chooseGrain(ctx, 'week');
  const entries = seriesRanges(ctx, choice.grain);
  const [cur, prev, ...points] = await activityForRanges(ctx, [ctx.range, comparisonRange(ctx), ...entries]);
  requireAnswerable(cur!.resolution);
  const answer = frame(ctx, cur!.resolution);
  if (choice.note) answer.warnings.push(choice.note);
  // A period wholly outside the data is unknown (null), not 0 (§5).
  const a = cur!.activity;
  const values: Record<string, MetricValue> = { active_users: a?.active_users ?? null, ...messageValues(a) };
  const keys = ['active_users', ...MESSAGE_KEYS];
  answer.values = { ...values, ...changePcts(keys, values, prev!, answer.warnings) };
  answer.grain = choice.grain;
  answer.series = buildSeries(
    points,
    (p) => ({ active_users: p.active_users, messages: p.messages }),
    ['active_users', 'messages'],
    answer.warnings,
    choice.grain,
  );
  sourceWarnings(ctx, answer.warnings, true);
  return answer;
}

export async function activeUsers(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const choice = chooseGrain(ctx);
  const [cur, ...points] = await activityForRanges(ctx, [ctx.range, ...seriesRanges(ctx, choice.grain)]);
  requireAnswerable(cur!.resolution);
  const answer = frame(ctx, cur!.resolution);
  if (choice.note) answer.warnings.push(choice.note);
  answer.values = { active_users: cur!.activity?.active_users ?? null };
  answer.grain = choice.grain;
  answer.series = buildSeries(points, (p) => ({ active_users: p.active_users }), ['active_users'], answer.warnings, choice.grain);
  return answer;
}

export async function messages(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const choice = chooseGrain(ctx);
  const [cur, ...points] = await activityForRanges(ctx, [ctx.range, ...seriesRanges(ctx, choice.grain)], {
    countUsers: false,
  });
  requireAnswerable(cur!.resolution);
  const answer = frame(ctx, cur!.resolution);
  if (choice.note) answer.warnings.push(choice.note);
  answer.values = messageValues(cur!.activity);
  answer.grain = choice.grain;
  answer.series = buildSeries(points, messageValues, MESSAGE_KEYS, answer.warnings, choice.grain);
  sourceWarnings(ctx, answer.warnings, true);
  return answer;
}
