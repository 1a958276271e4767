/**
 * apps: per-app messages and distinct users, the weekly trend, and null with a warning on a
 * store fed by Users reports (which carry no app usage).
 *
 * The workspace (February 2026: W1 Feb 1–7 … W4 Feb 22–28; today 2026-03-05), Sales = ann, bob:
 *   ann Feb 1  5 messages: drive 3, slack 1
 *   bob Feb 3  2 messages: drive 2
 *   cat Feb 10 4 messages: slack 4
 *   dan Feb 12 3 messages: no app
 *   ann Feb 24 3 messages: jira 1
 *   bob Mar 2  1 message:  drive 1 (outside February)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apps, type MetricRequest } from '../../src/metrics/api.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { StoreFixture, type Account, type Act } from './fixtures.ts';

const TODAY = '2026-03-05';
const FEB: MetricRequest = { range: { start: '2026-02-01', end: '2026-02-28' }, today: TODAY };

const ACTS: Act[] = [
  { u: 'user-ann', d: '2026-02-01', n: 5, conv: 'c-ann-1', app: { drive: 3, slack: 1 } },
  { u: 'user-bob', d: '2026-02-03', n: 2, conv: 'c-bob-1', app: { drive: 2 } },
  { u: 'user-cat', d: '2026-02-10', n: 4, conv: 'c-cat-1', app: { slack: 4 } },
  { u: 'user-dan', d: '2026-02-12', n: 3, conv: 'c-dan-1' },
  { u: 'user-ann', d: '2026-02-24', n: 3, conv: 'c-ann-2', app: { jira: 1 } },
  { u: 'user-bob', d: '2026-03-02', n: 1, conv: 'c-bob-2', app: { drive: 1 } },
];

const PEOPLE: Account[] = ['ann', 'bob', 'cat', 'dan'].map((n) => ({
  id: `user-${n}`,
  email: `${n}@example.com`,
  status: 'enabled',
  groups: n === 'ann' || n === 'bob' ? ['g-sales'] : [],
}));

const WEEKS = [
  ['2026-02-01', '2026-02-07'],
  ['2026-02-08', '2026-02-14'],
  ['2026-02-15', '2026-02-21'],
  ['2026-02-22', '2026-02-28'],
] as const;

describe.each(backends())('apps on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  describe('fed by events', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace('events');
      await f.groups([['g-sales', 'Sales']]);
      await f.events(ACTS);
      await f.directory('2026-02-28', PEOPLE);
    });

    it('per app: messages and distinct users, busiest first, ties by name', async () => {
      const a = await apps(store.db, FEB);
      // drive: ann 3 + bob 2 = 5 by 2; slack: ann 1 + cat 4 = 5 by 2 (tie: drive before slack);
      // jira: ann 1 by 1. bob's March drive message is outside February. Total 5 + 5 + 1 = 11.
      expect(a.values).toEqual({ app_messages: 11 });
      expect(a.rows).toEqual([
        { app: 'drive', messages: 5, unique_users: 2 },
        { app: 'slack', messages: 5, unique_users: 2 },
        { app: 'jira', messages: 1, unique_users: 1 },
      ]);
      expect(a.warnings).toEqual([]);
    });

    it('a weekly trend whatever the period', async () => {
      const a = await apps(store.db, FEB);
      // W1 ann 4 + bob 2 = 6; W2 cat 4; W3 nothing; W4 ann 1.
      expect(a.grain).toBe('week');
      expect(a.series.map((s) => [s.period_start, s.period_end, s.app_messages])).toEqual([
        [...WEEKS[0], 6],
        [...WEEKS[1], 4],
        [...WEEKS[2], 0],
        [...WEEKS[3], 1],
      ]);
    });

    it('a group counts its members only', async () => {
      const a = await apps(store.db, { ...FEB, groupName: 'Sales' });
      // ann and bob: drive 3 + 2 = 5 by 2; jira 1 by ann; slack 1 by ann (tie with jira: by name).
      expect(a.values).toEqual({ app_messages: 7 });
      expect(a.rows).toEqual([
        { app: 'drive', messages: 5, unique_users: 2 },
        { app: 'jira', messages: 1, unique_users: 1 },
        { app: 'slack', messages: 1, unique_users: 1 },
      ]);
    });

    it('a week without app messages is zero, not missing', async () => {
      const a = await apps(store.db, { range: { start: '2026-02-15', end: '2026-02-21' }, today: TODAY });
      expect(a.values).toEqual({ app_messages: 0 });
      expect(a.rows).toEqual([]);
    });
  });

  describe('fed by Users reports', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace('exports');
      await f.groups([['g-sales', 'Sales']]);
      for (const [start, end] of WEEKS) await f.usersReport({ grain: 'week', start, end, accounts: PEOPLE, acts: ACTS });
      await f.usersReport({ grain: 'month', start: '2026-02-01', end: '2026-02-28', accounts: PEOPLE, acts: ACTS });
    });

    it('app messages are null, with no rows and a warning in plain words', async () => {
      const a = await apps(store.db, FEB);
      expect(a.values).toEqual({ app_messages: null });
      expect(a.rows).toEqual([]);
      expect(a.series).toEqual([]);
      expect(a.warnings).toEqual(['Apps come from usage events; Users reports carry no app usage, so app messages are not known for this workspace.']);
    });
  });
});
