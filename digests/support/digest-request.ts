/**
 * What the digest kinds share: the metric request for the period a digest covers (its group, its
 * audience), the period as the chart builders take it, and the Reply's footer.
 */
import type { DigestInput } from '../../src/core/digest.ts';
import { staleHours } from '../../src/core/format.ts';
import { addDays, previousPeriod, utcDate, type DateRange, type Period } from '../../src/core/periods.ts';
import type { ReplyFooter } from '../../src/core/reply.ts';
import type { MetricAnswer, MetricRequest } from '../../src/metrics/api.ts';
import { getSettings } from '../../src/store/settings.ts';

/** The question a digest asks of one range: its group, and the aggregate form for a channel. */
export async function digestRequest(input: DigestInput, range: DateRange): Promise<MetricRequest> {
  const req: MetricRequest = { range, preset: null, today: utcDate(input.clock.now()) };
  if (input.group) {
    const row = await input.db
      .selectFrom('scim_groups')
      .select(['group_id', 'name'])
      .where('group_id', '=', input.group)
      .executeTakeFirst();
    // A group deleted since the subscription was made answers with no members, under its id.
    req.group = { name: row?.name ?? input.group, ids: [input.group] };
  }
  if (input.audience === 'channel') req.aggregateOnly = true;
  return req;
}

/** A covered range as the chart and wording helpers take a period: a custom range, already ended. */
export function asPeriod(range: DateRange): Period {
  return { ...range, preset: null, nominalEnd: range.end, toDate: false };
}

/** The N whole weeks ending with the digest's week (its trend). */
export function weeksEndingWith(week: DateRange, n: number): DateRange {
  return { start: addDays(week.start, -7 * (n - 1)), end: week.end };
}

/** The week before a digest's week: the periods module's previous period of a custom range. */
export function rangeBefore(range: DateRange): DateRange {
  return previousPeriod({ preset: null, ...range });
}

export async function digestFooter(input: DigestInput, answer: MetricAnswer, groupsHidden: number | null): Promise<ReplyFooter> {
  return {
    lastUpdated: answer.lastUpdated,
    dataThrough: answer.dataThrough,
    staleHours: staleHours(answer.lastUpdated, input.clock.now()),
    groupsHidden: groupsHidden && groupsHidden > 0 ? groupsHidden : null,
    minGroupSize: groupsHidden && groupsHidden > 0 ? (await getSettings(input.db)).minGroupSize : null,
  };
}
