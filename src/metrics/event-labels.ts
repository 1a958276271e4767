/**
 * What `skills` and `apps` share (docs/design.md §5): a label that exists only in usage events
 * (rolled up into the day facts' `{label}_messages` and `{label}_to_messages`) — its messages over
 * P with a weekly trend, and per label value its messages and distinct users. An export-fed store
 * answers null with a warning in plain words.
 *
 * Where §5 is silent: rows are ordered by messages, then users (both descending), then name; the
 * trend is weekly whatever P is (entries clipped to P).
 */
import type { DbOrTx } from '../store/schema.ts';
import { grainPeriods } from '../core/periods.ts';
import type { MetricAnswer, MetricRequest } from './types.ts';
import { activityForRanges } from './activity.ts';
import { buildSeries, frame, requireAnswerable } from './metric-answer.ts';
import { loadCtx } from './context.ts';
import { resolveRange } from './coverage.ts';
import { mapUsage } from './items.ts';

export interface EventLabel {
  /** The row key and the facts' column prefix: `skill`, `app`. */
  readonly key: 'skill' | 'app';
  /** Said when the store is fed by Users reports, which carry no such usage. */
  readonly exportWarning: string;
}

export async function eventLabelUsage(db: DbOrTx, req: MetricRequest, label: EventLabel): Promise<MetricAnswer> {
  const total = `${label.key}_messages` as const;
  const ctx = await loadCtx(db, req);
  if (ctx.src.usageSource === 'exports') {
    const answer = frame(ctx, resolveRange(ctx.src, ctx.range));
    answer.values = { [total]: null };
    answer.warnings.push(label.exportWarning);
    return answer;
  }
  const weeks = grainPeriods(ctx.range, 'week');
  const [cur, ...points] = await activityForRanges(ctx, [ctx.range, ...weeks], { countUsers: false });
  requireAnswerable(cur!.resolution);
  const answer = frame(ctx, cur!.resolution);
  const res = cur!.resolution;
  const used = await mapUsage(ctx, `${label.key}_to_messages`, res.kind === 'ok' ? res.parts : []);
  answer.values = { [total]: cur!.activity?.[total] ?? null };
  answer.grain = 'week';
  answer.series = buildSeries(points, (p) => ({ [total]: p[total] }), [total], answer.warnings, 'week');
  answer.rows = used
    .sort((a, b) => b.messages - a.messages || b.messagers - a.messagers || (a.id < b.id ? -1 : 1))
    .map((u) => ({ [label.key]: u.id, messages: u.messages, unique_users: u.messagers }));
  return answer;
}
