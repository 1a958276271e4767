/**
 * The three digest kinds built from a small event-fed workspace, on both backends. Every expected
 * figure is worked out by hand below from the fixture.
 *
 * Twelve enabled people p01…p12, all in Sales (12 members); Ops holds p01…p09 (9) and Tiny p08…p10
 * (3), both under the minimum group size of 10. Hiding Tiny (3) alone would leave it recoverable,
 * so Ops (9) goes too (3 + 9 ≥ 10) and Sales stays.
 *   W1 Sun 15 – Sat 21 Nov 2026: p01…p06 send 10 messages each → 6 active, 60 messages.
 *   W2 Sun 22 – Sat 28 Nov 2026: p01 120 (Search 5, Canvas 3, Data Analysis 2), p02 100 (Search 1,
 *     Canvas 1, Image Gen 1), p03 90 (Search 2, Canvas 2), p04…p10 5 each → 10 active, 345 messages.
 *   Power users in W2: 10 senders → the top ceil(0.2 × 10) = 2 by messages (p01, p02), both ≥ 75
 *   messages in the 7 days and ≥ 3 distinct tools → 2 power users. p03 (rank 3) is outside the top 20%.
 *   Impact: W1 10 answers to `productivity` (p01…p05 agree, p06…p10 disagree → 50% positive);
 *   W2 11 answers (p01…p08 agree, p09…p11 disagree → 8/11); Sat 5 Dec: 3 answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import type { DigestInput } from '../../src/core/digest.ts';
import { silentLogger } from '../../src/log.ts';
import { recordChoice } from '../../src/store/digest-opt-ins.ts';
import { DIGESTS, findDigest } from '../../digests/index.ts';
import { wouldName } from '../../digests/power-users.ts';
import { createSubscription } from '../../src/store/digest-subscriptions.ts';
import { runDue } from '../../src/delivery/digest-runs.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { StoreFixture, type Account, type Act } from '../metrics/fixtures.ts';

const W1 = { start: '2026-11-15', end: '2026-11-21' };
const W2 = { start: '2026-11-22', end: '2026-11-28' };
const W3 = { start: '2026-11-29', end: '2026-12-05' };
const id = (n: number) => `p${String(n).padStart(2, '0')}`;

const accounts: Account[] = Array.from({ length: 12 }, (_, i) => {
  const n = i + 1;
  const groups = ['g-sales'];
  if (n <= 9) groups.push('g-ops');
  if (n >= 8 && n <= 10) groups.push('g-tiny');
  // p12 never sends a message and owns the account: a reader who may see people.
  return { id: `user-${id(n)}`, email: `${id(n)}@example.com`, name: `Person, ${id(n).toUpperCase()}`, status: 'enabled', groups, ...(n === 12 ? { userRole: 'account-owner' } : {}) };
});

const acts: Act[] = [
  ...Array.from({ length: 6 }, (_, i) => ({ u: `user-${id(i + 1)}`, d: '2026-11-16', n: 10, conv: `c-w1-${i}` })),
  { u: 'user-p01', d: '2026-11-23', n: 120, conv: 'c-p01', tool: { Search: 5, Canvas: 3, 'Data Analysis': 2 } },
  { u: 'user-p02', d: '2026-11-23', n: 100, conv: 'c-p02', tool: { Search: 1, Canvas: 1, 'Image Gen': 1 } },
  { u: 'user-p03', d: '2026-11-24', n: 90, conv: 'c-p03', tool: { Search: 2, Canvas: 2 } },
  ...Array.from({ length: 7 }, (_, i) => ({ u: `user-${id(i + 4)}`, d: '2026-11-25', n: 5, conv: `c-w2-${i}` })),
];

const answers = (day: string, from: number, agree: number, disagree: number): Array<[string, string, string, string]> =>
  Array.from({ length: agree + disagree }, (_, i) => [day, `${id(from + i)}@example.com`, 'productivity', i < agree ? 'agree' : 'disagree']);

describe.each(backends())('digests on %s', (backend) => {
  let store: TestStore;
  const input = (period: { start: string; end: string }, audience: DigestInput['audience'] = 'private'): DigestInput => ({
    db: store.db,
    clock: fixedClock(new Date('2026-12-07T09:00:00Z')),
    logger: silentLogger(),
    period,
    audience,
  });

  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
    const f = new StoreFixture(store.db);
    await f.workspace('events');
    await f.settings({ minGroupSize: 10 });
    await f.groups([
      ['g-sales', 'Sales'],
      ['g-ops', 'Ops'],
      ['g-tiny', 'Tiny'],
    ]);
    await f.directory('2026-11-14', accounts);
    await f.events(acts);
    await f.impact(
      [...answers('2026-11-17', 1, 5, 5), ...answers('2026-11-24', 1, 8, 3), ...answers('2026-12-05', 1, 2, 1)],
      { start: '2026-11-15', end: '2026-12-05' },
    );
  });
  afterAll(async () => {
    await store?.close();
  });

  it('lists the three kinds', () => {
    expect(DIGESTS.map((d) => d.name)).toEqual(['weekly-adoption', 'weekly-impact', 'power-users']);
    expect(findDigest(' Weekly-Adoption')?.name).toBe('weekly-adoption');
  });

  it('weekly-adoption: the week, its change, the 12-week trend, activation and groups above the minimum size', async () => {
    const r = await findDigest('weekly-adoption')!.build(input(W2, 'channel'));
    expect(r.error).toBeNull();
    expect(r.values).toMatchObject({
      active_users: 10,
      active_users_change_pct: (10 - 6) / 6,
      messages: 345,
      messages_change_pct: (345 - 60) / 60,
      gpt_messages: 0,
      activation_rate: 10 / 12, // 10 of 12 enabled accounts have sent a message by 28 Nov
    });
    // 12 weeks ending with W2: 10 weeks before the data (no data, not 0), then 6 and 10.
    expect(r.series).toHaveLength(12);
    expect(r.series.slice(0, 10).every((e) => e.active_users === null)).toBe(true);
    expect(r.series.slice(10).map((e) => e.active_users)).toEqual([6, 10]);
    expect(r.series[11]).toMatchObject({ period_start: '2026-11-22', period_end: '2026-11-28' });
    // Only Sales is named: Ops (9) and Tiny (3) are under the minimum size.
    expect(r.rows).toEqual([
      expect.objectContaining({ group: 'Sales', list: 'top', active_users: 10, active_users_before: 6 }),
      expect.objectContaining({ group: 'Sales', list: 'rising', active_users_change_pct: (10 - 6) / 6 }),
    ]);
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/Ops|Tiny|@example\.com/);
    expect(r.summary[0]).toBe('Active users rose 66.7% from the week before.');
    expect(r.footer?.groupsHidden).toBe(2);
    expect(r.charts.map((c) => c.kind)).toEqual(['trend']);
  });

  it('weekly-adoption of a week with no data says so', async () => {
    const r = await findDigest('weekly-adoption')!.build(input({ start: '2026-10-04', end: '2026-10-10' }));
    expect(r.error).toBeNull();
    expect(r.values.active_users).toBeNull();
    expect(r.summary[0]).toMatch(/^No usage data for 4–10 Oct 2026/);
  });

  it('weekly-impact: shares per dimension with their change, participation and responses', async () => {
    const r = await findDigest('weekly-impact')!.build(input(W2, 'channel'));
    expect(r.values).toMatchObject({
      respondents: 11,
      participation_rate: 11 / 12,
      share_positive_productivity: 8 / 11,
      share_positive_time_saved: null, // nobody answered it
    });
    expect(r.comparison?.changes.share_positive_productivity).toBeCloseTo((8 / 11 - 0.5) / 0.5, 12);
    expect(r.charts.map((c) => c.kind)).toEqual(['impact-dimensions']);
  });

  it('weekly-impact with fewer answers than the minimum group size shows no shares', async () => {
    const r = await findDigest('weekly-impact')!.build(input(W3, 'channel'));
    expect(r.values.respondents).toBe(3);
    expect(r.values.share_positive_productivity).toBeNull();
    expect(r.summary[0]).toBe('3 people answered the impact survey, fewer than the minimum group size of 10: no shares are shown.');
    expect(r.charts).toEqual([]);
    expect(r.comparison).toBeNull();
  });

  it('power-users: names everyone privately; in a channel only those who agreed, and counts the rest', async () => {
    const privately = await findDigest('power-users')!.build(input(W2, 'private'));
    expect(privately.values).toMatchObject({ power_users: 2, senders: 10, named: 2 });
    expect(privately.rows).toEqual([
      { name: 'P01 Person', messages: 120, tools: 3 },
      { name: 'P02 Person', messages: 100, tools: 3 },
    ]);

    expect(await wouldName(input(W2, 'channel'))).toEqual([
      { name: 'Person, P01', email: 'p01@example.com' },
      { name: 'Person, P02', email: 'p02@example.com' },
    ]);
    const before = await findDigest('power-users')!.build(input(W2, 'channel'));
    expect(before.rows).toEqual([]);
    expect(before.summary[0]).toBe("A shout-out to this period's 2 power users!");
    expect(JSON.stringify(before)).not.toMatch(/P0\d|@example\.com/);

    await recordChoice(store.db, 'P02@Example.com', 'in', new Date('2026-12-01T10:00:00Z'));
    await recordChoice(store.db, 'p01@example.com', 'out', new Date('2026-12-01T10:00:00Z'));
    expect(await wouldName(input(W2, 'channel'))).toEqual([]);
    const after = await findDigest('power-users')!.build(input(W2, 'channel'));
    expect(after.rows).toEqual([{ name: 'P02 Person', messages: 100, tools: 3 }]);
    expect(after.summary[0]).toBe("A shout-out to this period's 2 power users, led by P02 Person!");
    expect(after.table?.total).toBe(2);
    expect(JSON.stringify(after)).not.toMatch(/P01|p01@/);
  });
});

describe.each(backends())('the audience of a digest run on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
    const f = new StoreFixture(store.db);
    await f.workspace('events');
    await f.settings({ minGroupSize: 10 });
    await f.groups([['g-sales', 'Sales'], ['g-ops', 'Ops'], ['g-tiny', 'Tiny']]);
    await f.directory('2026-11-14', accounts);
    await f.events(acts);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('names every power user where every reader may see people, and only those who agreed elsewhere', async () => {
    const posted: Record<string, unknown[]> = {};
    const readers: Record<string, string[]> = { COWNERS: ['p12@example.com'], CMIXED: ['p12@example.com', 'p11@example.com'] };
    const poster = {
      platform: 'slack' as const,
      async postToTarget(target: { conversationId: string }, reply: { rows: readonly unknown[] }) {
        posted[target.conversationId] = [...reply.rows];
      },
      readersOf: async (target: { conversationId: string }) => readers[target.conversationId] ?? [],
    };
    for (const target of Object.keys(readers)) {
      await createSubscription(store.db, { kind: 'power-users', platform: 'slack', target, schedule: { day: 1, minute: 540, timeZone: 'UTC', every: 'week' }, groupId: null, createdBy: 'operator' }, new Date('2026-11-20T00:00:00Z'));
    }
    // Monday 30 Nov 09:00 UTC: the week of 22–28 Nov.
    const summary = await runDue({ db: store.db, clock: fixedClock(new Date('2026-11-30T09:00:30Z')), logger: silentLogger(), digests: DIGESTS, posters: { slack: poster } });
    expect(summary.posted).toBe(2);
    expect(posted.COWNERS).toEqual([
      { name: 'P01 Person', messages: 120, tools: 3 },
      { name: 'P02 Person', messages: 100, tools: 3 },
    ]);
    expect(posted.CMIXED).toEqual([]);
  });
});

describe('what stands out', () => {
  it('a high or low against at least three earlier weeks, else a big move, else a rising group, else steady', async () => {
    const { standOut } = await import('../../digests/weekly-adoption.ts');
    expect(standOut(12, 0.2, [null, 5, 9, 11, 12], [])).toBe('Active users reached a 4-week high of 12 people.');
    expect(standOut(4, -0.5, [5, 9, 11, 4], [])).toBe('Active users fell to a 4-week low of 4 people.');
    // Equal to an earlier week is neither a high nor a low.
    expect(standOut(11, 0.05, [5, 11, 9, 11], [])).toBe('Active users held steady from the week before.');
    expect(standOut(9, -0.18, [5, 11, 9], [])).toBe('Active users fell 18% from the week before.');
    const riser = { group: 'Sales', members: 20, active_users: 12, active_users_before: 10, active_users_change_pct: 0.2 };
    expect(standOut(9, 0.02, [null, 9], [riser])).toBe('Sales rose fastest: 12 active users, ▲ 20% on the week before.');
    expect(standOut(9, null, [9], [])).toBe('This is the first week with data to compare.');
  });
});
