/**
 * `weekly-adoption` (docs/design.md §8): the week's active users with their change from the week
 * before and a 12-week trend, messages by kind, the activation rate against the industry median,
 * the groups with the most active users and the fastest-rising ones, and one sentence of what
 * stands out. Group lists always leave out groups under the minimum size (§5 privacy), whoever
 * reads the digest, and every group named has at least that many members.
 */
import type { DigestInput, DigestKind } from '../src/core/digest.ts';
import { formatChange, formatPercent } from '../src/core/format.ts';
import { formatRange } from '../src/core/periods.ts';
import { reply, type Reply, type Row } from '../src/core/reply.ts';
import { activeUsers, benchmarks, groups, messages, overview, type MetricAnswer } from '../src/metrics/api.ts';
import { trendOf } from '../commands/support/charts.ts';
import { changePct, num, plural } from '../commands/support/metric-reply.ts';
import { asPeriod, digestFooter, digestRequest, rangeBefore, weeksEndingWith } from './support/digest-request.ts';

const TREND_WEEKS = 12;
const TOP_GROUPS = 3;
const MESSAGE_KINDS = ['gpt_messages', 'tool_messages', 'project_messages', 'skill_messages', 'app_messages'];

interface GroupChange extends Row {
  group: string;
  members: number;
  active_users: number;
  active_users_before: number | null;
  active_users_change_pct: number | null;
}

function groupChanges(now: MetricAnswer, before: MetricAnswer | null): GroupChange[] {
  const previous = new Map((before?.rows ?? []).map((r) => [String(r.group), Number(r.active_users)]));
  return now.rows.map((r) => {
    const was = previous.get(String(r.group)) ?? null;
    const active = Number(r.active_users);
    return {
      group: String(r.group),
      members: Number(r.members),
      active_users: active,
      active_users_before: was,
      active_users_change_pct: changePct(active, was),
    };
  });
}

/** The fastest-rising groups: a rise from a week with activity, biggest relative change first. */
function rising(changes: readonly GroupChange[]): GroupChange[] {
  return changes
    .filter((g) => g.active_users_change_pct !== null && g.active_users_change_pct > 0)
    .sort((a, b) => (b.active_users_change_pct ?? 0) - (a.active_users_change_pct ?? 0) || a.group.localeCompare(b.group))
    .slice(0, TOP_GROUPS);
}

/** One sentence of what stands out, in order of interest: a 12-week high or low, a big move, a group. */
export function standOut(active: number | null, change: number | null, trend: readonly (number | null)[], risers: readonly GroupChange[]): string {
  // The weeks before this one that have data: a high or a low needs a few of them to mean something.
  const before = trend.slice(0, -1).filter((v): v is number => v !== null);
  if (active !== null && before.length >= 3) {
    const weeks = before.length + 1;
    if (active > Math.max(...before)) return `Active users reached a ${weeks}-week high of ${plural(active, 'person', 'people')}.`;
    if (active < Math.min(...before)) return `Active users fell to a ${weeks}-week low of ${plural(active, 'person', 'people')}.`;
  }
  if (change !== null && Math.abs(change) >= 0.1) {
    return `Active users ${change > 0 ? 'rose' : 'fell'} ${formatPercent(Math.abs(change))} from the week before.`;
  }
  const top = risers[0];
  if (top && top.active_users_change_pct !== null) {
    return `${top.group} rose fastest: ${plural(top.active_users, 'active user', 'active users')}, ${formatChange(top.active_users_change_pct)} on the week before.`;
  }
  return change === null ? 'This is the first week with data to compare.' : 'Active users held steady from the week before.';
}

async function build(input: DigestInput): Promise<Reply> {
  const week = input.period;
  const req = await digestRequest(input, week);
  const trendRange = weeksEndingWith(week, TREND_WEEKS);
  const groupRequest = { ...req, aggregateOnly: true };
  const [headline, trend, kinds, bench, groupsNow, groupsBefore] = await Promise.all([
    overview(input.db, req),
    activeUsers(input.db, { ...req, range: trendRange, grain: 'week' }),
    messages(input.db, req),
    benchmarks(input.db, req),
    input.group ? Promise.resolve(null) : groups(input.db, groupRequest),
    input.group ? Promise.resolve(null) : groups(input.db, { ...groupRequest, range: rangeBefore(week) }),
  ]);

  const active = headline.covered ? num(headline, 'active_users') : null;
  const activeChange = num(headline, 'active_users_change_pct');
  const changes = groupsNow ? groupChanges(groupsNow, groupsBefore) : [];
  const top = [...changes].sort((a, b) => b.active_users - a.active_users || a.group.localeCompare(b.group)).slice(0, TOP_GROUPS);
  const risers = rising(changes);
  const benchRow = bench.rows.find((r) => r.metric === 'activation_rate');
  const values = {
    active_users: active,
    active_users_change_pct: activeChange,
    messages: headline.covered ? num(headline, 'messages') : null,
    messages_change_pct: num(headline, 'messages_change_pct'),
    ...Object.fromEntries(MESSAGE_KINDS.map((k) => [k, kinds.covered ? num(kinds, k) : null])),
    activation_rate: num(bench, 'activation_rate'),
    activation_rate_median: typeof benchRow?.median === 'number' ? benchRow.median : null,
  };

  const summary: string[] = [];
  if (headline.covered === null) {
    summary.push(`No usage data for ${formatRange(week)}${headline.dataThrough ? `: the data runs through ${headline.dataThrough}` : ''}.`);
  } else {
    summary.push(standOut(active, activeChange, trend.series.map((e) => (typeof e.active_users === 'number' ? e.active_users : null)), risers));
    if (values.activation_rate !== null && values.activation_rate_median !== null) {
      const industry = benchRow?.industry ? ` ${String(benchRow.industry)}` : '';
      const illustrative = benchRow?.illustrative === true ? ' (an illustrative figure)' : '';
      summary.push(
        `Activation rate ${formatPercent(values.activation_rate)} against a${industry} median of ${formatPercent(values.activation_rate_median)}${illustrative}.`,
      );
    }
    if (top.length > 0) summary.push(`Most active groups: ${top.map((g) => `${g.group} (${g.active_users.toLocaleString('en-US')})`).join(', ')}.`);
    if (risers.length > 0) {
      summary.push(`Rising fastest: ${risers.map((g) => `${g.group} (${formatChange(g.active_users_change_pct ?? 0)})`).join(', ')}.`);
    }
  }

  const charts = trend.covered
    ? trendOf('active_users')({ period: asPeriod(trendRange), answer: trend, before: null, minGroupSize: null })
    : [];
  return reply({
    command: 'weekly-adoption',
    title: 'Weekly adoption',
    subtitle: [formatRange(week), headline.group ? `team: ${headline.group.name}` : null].filter(Boolean).join(' · '),
    summary,
    period: { start: week.start, end: week.end, grain: 'week', partial: headline.partial },
    filters: { group: headline.group?.name ?? null },
    values,
    valueKeys: ['active_users', 'messages', ...MESSAGE_KINDS, 'activation_rate'],
    comparison: {
      label: `the week before (${formatRange(rangeBefore(week))})`,
      changes: { active_users: activeChange, messages: values.messages_change_pct },
    },
    series: trend.series,
    seriesKeys: ['active_users'],
    rows: top.map((g) => ({ ...g, list: 'top' })).concat(risers.map((g) => ({ ...g, list: 'rising' }))),
    charts,
    warnings: [...new Set([...headline.warnings, ...kinds.warnings, ...bench.warnings])],
    footer: await digestFooter(input, headline, groupsNow?.groupsHidden ?? null),
  });
}

export const digest: DigestKind = {
  name: 'weekly-adoption',
  summary: 'Active users with their change and 12-week trend, messages by kind, activation against the median, top and rising groups',
  build,
};
