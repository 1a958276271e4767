/**
 * `weekly-impact` (docs/design.md §8): the impact survey over the digest's week — share positive
 * per dimension with its change from the week before, participation and the number of responses.
 * When fewer people answered than the minimum group size, it says so and shows no shares, so a
 * handful of answers never reads as a verdict, nor points at the few who gave them.
 */
import type { DigestInput, DigestKind } from '../src/core/digest.ts';
import { formatPercent } from '../src/core/format.ts';
import { formatRange } from '../src/core/periods.ts';
import { reply, type Reply } from '../src/core/reply.ts';
import { IMPACT_DIMENSIONS, impact } from '../src/metrics/api.ts';
import { getSettings } from '../src/store/settings.ts';
import { impactCharts } from '../commands/impact.ts';
import { changePct, num, plural, words } from '../commands/support/metric-reply.ts';
import { asPeriod, digestFooter, digestRequest, rangeBefore } from './support/digest-request.ts';

const SHARE_KEYS = IMPACT_DIMENSIONS.map((d) => `share_positive_${d}`);

async function build(input: DigestInput): Promise<Reply> {
  const week = input.period;
  const req = await digestRequest(input, week);
  const [now, before, settings] = await Promise.all([
    impact(input.db, req),
    impact(input.db, { ...req, range: rangeBefore(week) }),
    getSettings(input.db),
  ]);
  const respondents = num(now, 'respondents') ?? 0;
  const enough = respondents >= settings.minGroupSize;
  const enoughBefore = (num(before, 'respondents') ?? 0) >= settings.minGroupSize;
  const share = (key: string) => (enough ? num(now, key) : null);
  const values = {
    respondents,
    participation_rate: num(now, 'participation_rate'),
    ...Object.fromEntries(SHARE_KEYS.map((k) => [k, share(k)])),
  };

  const summary: string[] = [];
  if (respondents === 0) {
    summary.push(`Nobody answered the impact survey in ${formatRange(week)}.`);
  } else if (!enough) {
    summary.push(
      `${plural(respondents, 'person', 'people')} answered the impact survey, fewer than the minimum group size of ${settings.minGroupSize}: no shares are shown.`,
    );
  } else {
    const ranked = SHARE_KEYS.map((k) => ({ key: k, value: num(now, k) }))
      .filter((s): s is { key: string; value: number } => s.value !== null)
      .sort((a, b) => b.value - a.value);
    summary.push(`${plural(respondents, 'person', 'people')} answered the impact survey (${formatPercent(values.participation_rate ?? 0)} of enabled seats).`);
    const best = ranked[0];
    if (best) summary.push(`Most positive: ${words(best.key.replace('share_positive_', ''))}, ${formatPercent(best.value)}.`);
  }
  const charts = enough ? impactCharts({ period: asPeriod(week), answer: now, before: null, minGroupSize: null }).slice(0, 1) : [];
  return reply({
    command: 'weekly-impact',
    title: 'Weekly impact',
    subtitle: [formatRange(week), now.group ? `team: ${now.group.name}` : null].filter(Boolean).join(' · '),
    summary,
    period: { start: week.start, end: week.end, grain: null, partial: now.partial },
    filters: { group: now.group?.name ?? null },
    values,
    valueKeys: ['respondents', 'participation_rate', ...(enough ? SHARE_KEYS : [])],
    comparison: enough
      ? {
          label: `the week before (${formatRange(rangeBefore(week))})`,
          changes: Object.fromEntries(SHARE_KEYS.map((k) => [k, enoughBefore ? changePct(num(now, k), num(before, k)) : null])),
        }
      : null,
    charts,
    // The impact metric names the newest survey window when this week holds few answers.
    warnings: now.warnings,
    footer: await digestFooter(input, now, null),
  });
}

export const digest: DigestKind = {
  name: 'weekly-impact',
  summary: 'Share of positive impact answers per dimension with its change, participation, responses',
  build,
};
