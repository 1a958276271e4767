/**
 * `apps` (docs/design.md §5): app messages over P with a weekly trend, and per app its messages and
 * distinct users. Apps exist only in usage events (rolled up into the day facts' `app_messages` /
 * `app_to_messages`); an export-fed store answers null with a warning, as `skills` does.
 *
 * Where §5 is silent: rows are ordered by messages, then users (both descending), then app name;
 * the trend is weekly whatever P is (entries clipped to P).
 */
import type { DbOrTx } from '../store/schema.ts';
import { grainPeriods } from '../core/periods.ts';
import type { MetricAnswer, MetricRequest } from './types.ts';
import { activityForRanges } from './activity.ts';
import { buildSeries, frame, requireAnswerable } from './metric-answer.ts';
import { loadCtx } from './context.ts';
import { resolveRange } from './coverage.ts';
import { mapUsage } from './items.ts';

export const EXPORT_APPS_WARNING =
  'Apps come from usage events; Users reports carry no app usage, so app messages are not known for this workspace.';

export async function apps(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  if (ctx.src.usageSource === 'exports') {
    const answer = frame(ctx, resolveRange(ctx.src, ctx.range));
    answer.values = { app_messages: null };
    answer.warnings.push(EXPORT_APPS_WARNING);
    return answer;
  }
  const weeks = grainPeriods(ctx.range, 'week');
  const [cur, ...points] = await activityForRanges(ctx, [ctx.range, ...weeks], { countUsers: false });
  requireAnswerable(cur!.resolution);
  const answer = frame(ctx, cur!.resolution);
  const res = cur!.resolution;
  const used = await mapUsage(ctx, 'app_to_messages', res.kind === 'ok' ? res.parts : []);
  answer.values = { app_messages: cur!.activity?.app_messages ?? null };
  answer.grain = 'week';
  answer.series = buildSeries(points, (p) => ({ app_messages: p.app_messages }), ['app_messages'], answer.warnings, 'week');
  answer.rows = used
    .sort((a, b) => b.messages - a.messages || b.messagers - a.messagers || (a.id < b.id ? -1 : 1))
    .map((u) => ({ app: u.id, messages: u.messages, unique_users: u.messagers }));
  return answer;
}
