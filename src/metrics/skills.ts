/**
 * `skills` (docs/design.md §5): skill messages over P with a weekly trend, and the top skills by messages
 * with their distinct users. Skills exist only in usage events (rolled up into the day facts'
 * `skill_messages` / `skill_to_messages`); an export-fed store answers null with a warning.
 *
 * Where §5 is silent: rows are ordered by messages, then users (both descending), then skill
 * name; the trend is weekly whatever P is (entries clipped to P), as §5's table says.
 */
import type { DbOrTx } from '../store/schema.ts';
import { grainPeriods } from '../core/periods.ts';
import type { MetricAnswer, MetricRequest } from './types.ts';
import { activityForRanges } from './activity.ts';
import { buildSeries, frame, requireAnswerable } from './metric-answer.ts';
import { loadCtx } from './context.ts';
import { resolveRange } from './coverage.ts';
import { mapUsage } from './items.ts';

export async function skills(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  if (ctx.src.usageSource === 'exports') {
    const answer = frame(ctx, resolveRange(ctx.src, ctx.range));
    answer.values = { skill_messages: null };
    answer.warnings.push('Skills come from usage events; Users reports carry no skill usage, so skill messages are not known for this workspace.');
    return answer;
  }
  const weeks = grainPeriods(ctx.range, 'week');
  const [cur, ...points] = await activityForRanges(ctx, [ctx.range, ...weeks], { countUsers: false });
  requireAnswerable(cur!.resolution);
  const answer = frame(ctx, cur!.resolution);
  const res = cur!.resolution;
  const used = await mapUsage(ctx, 'skill_to_messages', res.kind === 'ok' ? res.parts : []);
  answer.values = { skill_messages: cur!.activity?.skill_messages ?? null };
  answer.grain = 'week';
  answer.series = buildSeries(points, (p) => ({ skill_messages: p.skill_messages }), ['skill_messages'], answer.warnings, 'week');
  answer.rows = used
    .sort((a, b) => b.messages - a.messages || b.messagers - a.messagers || (a.id < b.id ? -1 : 1))
    .map((u) => ({ skill: u.id, messages: u.messages, unique_users: u.messagers }));
  return answer;
}
