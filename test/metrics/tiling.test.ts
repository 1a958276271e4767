/**
 * Export-fed stores answer a range only where reports of one grain tile it exactly (docs/design.md §5):
 * weekly reports for Sunday–Saturday ranges, monthly ones for calendar months.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeUsers, messages, overview, type MetricRequest } from '../../src/metrics/api.ts';
import { UnanswerableError } from '../../src/core/errors.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { StoreFixture, type Account, type Act } from './fixtures.ts';

const TODAY = '2026-04-15';
const req = (start: string, end: string, extra: Partial<MetricRequest> = {}): MetricRequest => ({
  range: { start, end },
  today: TODAY,
  ...extra,
});

const people: Account[] = [
  { id: 'user-ann', email: 'ann@example.com', status: 'enabled' },
  { id: 'user-bob', email: 'bob@example.com', status: 'enabled' },
];
/** ann sends 1 message every Monday of Jan–Mar 2026, bob 5 every Wednesday of February. */
const ACTS: Act[] = [];
for (let d = new Date('2026-01-05T00:00:00Z'); d <= new Date('2026-03-30T00:00:00Z'); d.setUTCDate(d.getUTCDate() + 7)) {
  ACTS.push({ u: 'user-ann', d: d.toISOString().slice(0, 10), n: 1, conv: `a-${d.getTime()}` });
}
for (const d of ['2026-02-04', '2026-02-11', '2026-02-18', '2026-02-25']) ACTS.push({ u: 'user-bob', d, n: 5, conv: `b-${d}` });

describe.each(backends())('tiling on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  describe('monthly reports only (Jan–Mar 2026)', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace('exports');
      for (const [start, end] of [['2026-01-01', '2026-01-31'], ['2026-02-01', '2026-02-28'], ['2026-03-01', '2026-03-31']]) {
        await f.usersReport({ grain: 'month', start: start!, end: end!, accounts: people, acts: ACTS });
      }
    });

    it('answers calendar months, with a monthly trend', async () => {
      const a = await messages(store.db, req('2026-01-01', '2026-03-31'));
      // ann: Mondays Jan 5 … Mar 30 = 13; bob 4 × 5 = 20.
      expect(a.values.messages).toBe(33);
      expect(a.grain).toBe('month');
      // January: 4 Mondays; February: 4 + 20; March: 5 Mondays.
      expect(a.series.map((s) => [s.period_start, s.messages])).toEqual([
        ['2026-01-01', 4],
        ['2026-02-01', 24],
        ['2026-03-01', 5],
      ]);
      // February is also four whole weeks: the default trend would be weekly, which the data lacks.
      const feb = await activeUsers(store.db, req('2026-02-01', '2026-02-28'));
      expect(feb.values.active_users).toBe(2);
      expect(feb.series).toEqual([]);
      expect(feb.warnings.some((w) => /no weekly Users reports/.test(w))).toBe(true);
    });

    it('explains a week, and a weekly trend, it cannot give', async () => {
      const err = await activeUsers(store.db, req('2026-02-01', '2026-02-07')).catch((e) => e);
      expect(err).toBeInstanceOf(UnanswerableError);
      expect(err.message).toMatch(/monthly reports, and no run of them starts on 1 Feb 2026 and ends on 7 Feb 2026/);
      await expect(activeUsers(store.db, req('2026-01-01', '2026-03-31', { grain: 'week' }))).rejects.toThrow(
        /no weekly Users reports/,
      );
    });
  });

  describe('weekly reports with a gap, and a monthly February', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace('exports');
      // Weeks of February 2026 except Feb 15–21.
      for (const [start, end] of [['2026-02-01', '2026-02-07'], ['2026-02-08', '2026-02-14'], ['2026-02-22', '2026-02-28']]) {
        await f.usersReport({ grain: 'week', start: start!, end: end!, accounts: people, acts: ACTS });
      }
      await f.usersReport({ grain: 'month', start: '2026-02-01', end: '2026-02-28', accounts: people, acts: ACTS });
    });

    it('February comes from the monthly report; the missing week is a null entry', async () => {
      const a = await messages(store.db, req('2026-02-01', '2026-02-28'));
      // ann 4 Mondays + bob 20.
      expect(a.values.messages).toBe(24);
      expect(a.series.map((s) => [s.period_start, s.messages])).toEqual([
        ['2026-02-01', 1 + 5],
        ['2026-02-08', 1 + 5],
        ['2026-02-15', null],
        ['2026-02-22', 1 + 5],
      ]);
      expect(a.warnings.some((w) => w.includes('15–21 Feb 2026') && w.includes('shown as no data'))).toBe(true);
    });

    it('a run of weeks with a gap is explained', async () => {
      const err = await activeUsers(store.db, req('2026-02-08', '2026-02-28')).catch((e) => e);
      expect(err).toBeInstanceOf(UnanswerableError);
      expect(err.message).toMatch(/weekly report for the week starting 15 Feb 2026 has not been imported/);
    });

    it('a week after the gap cannot be compared with it', async () => {
      const o = await overview(store.db, req('2026-02-22', '2026-02-28'));
      expect(o.values.messages).toBe(6);
      expect(o.values.messages_change_pct).toBeNull();
      expect(o.warnings.some((w) => w.startsWith('The previous period (15–21 Feb 2026) cannot be compared'))).toBe(true);
      // The week before that one is there: 6 then 6 → no change.
      const w2 = await overview(store.db, req('2026-02-08', '2026-02-14'));
      expect(w2.values.messages_change_pct).toBe(0);
    });

    it('a range that is neither whole weeks nor whole months is explained', async () => {
      await expect(activeUsers(store.db, req('2026-02-03', '2026-02-12'))).rejects.toThrow(
        /Ask for whole Sunday–Saturday weeks/,
      );
    });
  });

  describe('the same custom range from events', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace('events');
      await f.events(ACTS);
      await f.directory('2026-01-05', people);
    });

    it('answers any range, and compares a custom range with the equal-length one before', async () => {
      // Feb 3–12: bob Feb 4 and 11 (10), ann Feb 9 (1). Before: Jan 24 – Feb 2: ann Jan 26, Feb 2.
      const o = await overview(store.db, req('2026-02-03', '2026-02-12'));
      expect(o.values.messages).toBe(11);
      expect(o.values.active_users).toBe(2);
      expect(o.values.messages_change_pct).toBe((11 - 2) / 2);
      expect(o.values.active_users_change_pct).toBe((2 - 1) / 1);
      // The weekly series clips the weeks to the range: Feb 3–7, Feb 8–12.
      expect(o.series).toEqual([
        { period_start: '2026-02-03', period_end: '2026-02-07', active_users: 1, messages: 5 },
        { period_start: '2026-02-08', period_end: '2026-02-12', active_users: 2, messages: 6 },
      ]);
    });
  });
});
