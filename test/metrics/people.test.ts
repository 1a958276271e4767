/** top-users and power-users, from Users reports and from events holding the same activity. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { powerUsers, topUsers, type MetricAnswer, type MetricRequest } from '../../src/metrics/api.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { buildCore, TODAY } from './core-fixture.ts';
import { rowsOf, StoreFixture, type Account, type Act } from './fixtures.ts';
import { SenderRowsThread } from '../../src/metrics/sender-rows-thread.ts';

const SOURCES = ['exports', 'events'] as const;

/**
 * Power-user workspace. Week 1 (Sun Feb 1 – Sat Feb 7 2026), eleven senders:
 *   user-A1  200 messages, 3 tools      user-B2 150 messages, 2 tools (and a third at 0)
 *   user-Zed  80 messages, 3 tools      user-abe 80 messages, 3 tools   (a tie at the cutoff)
 *   user-c1 … user-c7: 1 message each
 * Week 2 is partial: data through Wed Feb 11 (today Thu Feb 12): ten senders,
 *   user-p43 43 messages, 3 tools; user-p42 42 messages, 3 tools; user-d1 … user-d8 1 message.
 */
const POWER_TODAY = '2026-02-12';
const three = { Search: 1, Canvas: 1, 'Data Analysis': 1 };
const POWER_ACTS: Act[] = [
  { u: 'user-A1', d: '2026-02-02', n: 200, conv: 'a1', tool: three },
  { u: 'user-B2', d: '2026-02-02', n: 150, conv: 'b2', tool: { Search: 5, Canvas: 5, 'Image Generation': 0 } },
  { u: 'user-Zed', d: '2026-02-03', n: 80, conv: 'z', tool: three },
  { u: 'user-abe', d: '2026-02-03', n: 80, conv: 'ab', tool: three },
  ...[1, 2, 3, 4, 5, 6, 7].map((i) => ({ u: `user-c${i}`, d: '2026-02-04', n: 1, conv: `c${i}` })),
  { u: 'user-p43', d: '2026-02-08', n: 40, conv: 'p43', tool: three },
  { u: 'user-p43', d: '2026-02-11', n: 3, conv: 'p43b' },
  { u: 'user-p42', d: '2026-02-09', n: 42, conv: 'p42', tool: three },
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ u: `user-d${i}`, d: '2026-02-10', n: 1, conv: `d${i}` })),
];
const POWER_PEOPLE: Account[] = [...new Set(POWER_ACTS.map((a) => a.u))].map((id) => ({
  id,
  email: `${id.slice(5)}@example.com`,
  status: 'enabled',
  groups: [],
}));

async function buildPower(store: TestStore, source: 'exports' | 'events') {
  const f = new StoreFixture(store.db);
  await f.workspace(source);
  if (source === 'events') {
    await f.events(POWER_ACTS);
    await f.directory('2026-02-07', POWER_PEOPLE);
  } else {
    await f.usersReport({ grain: 'week', start: '2026-02-01', end: '2026-02-07', accounts: POWER_PEOPLE, acts: POWER_ACTS });
    await f.usersReport({ grain: 'week', cadence: 'Partial Weekly', start: '2026-02-08', end: '2026-02-11', accounts: POWER_PEOPLE, acts: POWER_ACTS });
  }
}

/** A streamed answer's rows read to the end: the length of each page, every row, and rowsTotal. */
async function streamedPages(answer: Promise<MetricAnswer>) {
  const a = await answer;
  const pages = [a.rows];
  for await (const page of a.moreRows ?? []) pages.push(rowsOf(page));
  return { lengths: pages.map((p) => p.length), rows: pages.flat(), rowsTotal: a.rowsTotal };
}

describe.each(backends())('people on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  describe.each(SOURCES)('core workspace fed by %s', (source) => {
    const ev = source === 'events';
    beforeAll(async () => {
      await clearStore(store.db);
      await buildCore(store.db, source);
    });
    const feb: MetricRequest = { range: { start: '2026-02-01', end: '2026-02-28' }, today: TODAY };

    it('top users are ordered by messages, then public_id', async () => {
      const t = await topUsers(store.db, feb);
      // ann 10×4 = 40, eve 7, bob 3+2 = 5, cat 5, dan 4×1 = 4, hal 4.
      expect(t.rows.map((r) => [r.public_id, r.messages, r.messages_rank])).toEqual([
        ['user-ann', 40, 1],
        ['user-eve', 7, 2],
        ['user-bob', 5, 3],
        ['user-cat', 5, 4],
        ['user-dan', 4, 5],
        ['user-hal', 4, 6],
      ]);
      expect(t.values).toEqual({});
      expect(t.rowsTotal).toBeUndefined();
      const top2 = await topUsers(store.db, feb, { limit: 2 });
      expect(top2.rows.map((r) => r.public_id)).toEqual(['user-ann', 'user-eve']);
      // the six senders above, counted though only two rows were read
      expect(top2.rowsTotal).toBe(6);
      // the limited rows are the same rows the full answer gives (maps read for those two only)
      expect(top2.rows).toEqual(t.rows.slice(0, 2));
      // streamed (the JSON answer): the first row read as a chat message's, the rest through the
      // cursor in pages of two: the same rows, and how many there are
      expect(await streamedPages(topUsers(store.db, feb, { stream: true, streamFirstRows: 1, streamPageRows: 2 }))).toEqual({
        lengths: [1, 2, 2, 1],
        rows: t.rows,
        rowsTotal: 6,
      });
    });

    it('ends the streamed rows\' thread when the cursor\'s transaction cannot start', async () => {
      const answer = await topUsers(store.db, feb, { stream: true, streamFirstRows: 1, streamPageRows: 2 });
      const close = vi.spyOn(SenderRowsThread.prototype, 'close');
      const db = store.db as unknown as { startTransaction: unknown };
      const own = db.startTransaction;
      db.startTransaction = () => {
        throw new Error('no connection');
      };
      try {
        const pages = (async () => {
          for await (const _ of answer.moreRows ?? []) void _;
        })();
        await expect(pages).rejects.toThrow('no connection');
        // the thread started for the rows is ended: left running it would keep the process alive
        expect(close).toHaveBeenCalledTimes(1);
      } finally {
        db.startTransaction = own;
        close.mockRestore();
      }
    });

    it('a top-user row carries the Users report columns, aggregated over the period', async () => {
      const [ann] = (await topUsers(store.db, feb, { limit: 1 })).rows;
      expect(ann).toEqual({
        public_id: 'user-ann',
        name: 'ann',
        email: 'ann@example.com',
        role: null,
        user_role: 'standard-user',
        department: null,
        groups: ['Sales'],
        user_status: 'enabled',
        created_or_invited_date: '2026-01-01',
        is_active: 1,
        first_day_active_in_period: '2026-02-01',
        last_day_active_in_period: '2026-02-23',
        messages: 40,
        messages_rank: 1,
        model_to_messages: { 'gpt-5': 40 },
        gpt_messages: 2,
        gpts_messaged: 1,
        gpt_to_messages: { 'g-1': 2 },
        // Users reports count tool-generated messages twice the events' count in this fixture.
        tool_messages: ev ? 4 : 8,
        tools_messaged: 3,
        tool_to_messages: ev ? { Canvas: 1, 'Data Analysis': 1, Search: 2 } : { Canvas: 2, 'Data Analysis': 2, Search: 4 },
        project_messages: 3,
        projects_messaged: 1,
        project_to_messages: { 'g-p-1': 3 },
        projects_created: ev ? 0 : 1,
        last_day_active: '2026-02-23',
        credits_used: null,
      });
    });

    it('top users in a group, and none in the aggregate form', async () => {
      const t = await topUsers(store.db, { ...feb, groupName: 'Engineering' });
      // Engineering as of Feb 28: cat only.
      expect(t.rows.map((r) => [r.public_id, r.messages_rank])).toEqual([['user-cat', 1]]);
      // Sales streamed, through the cursor after its first row: ranks within the group
      const sales = await topUsers(store.db, { ...feb, groupName: 'Sales' });
      expect(sales.rows.map((r) => [r.public_id, r.messages_rank])).toEqual([
        ['user-ann', 1],
        ['user-bob', 2],
        ['user-dan', 3],
      ]);
      expect(await streamedPages(topUsers(store.db, { ...feb, groupName: 'Sales' }, { stream: true, streamFirstRows: 1 }))).toEqual({
        lengths: [1, 2],
        rows: sales.rows,
        rowsTotal: 3,
      });
      const agg = await topUsers(store.db, { ...feb, aggregateOnly: true });
      expect(agg.rows).toEqual([]);
      // An access scope limited to Sales keeps Sales members' rows, with their workspace ranks.
      const scoped = await topUsers(store.db, { ...feb, restrictToGroupIds: ['g-sales'] });
      expect(scoped.rows.map((r) => [r.public_id, r.messages_rank])).toEqual([
        ['user-ann', 1],
        ['user-bob', 3],
        ['user-dan', 5],
      ]);
      // a limit cannot be applied before the scope is: the scoped viewer still gets all three
      const scopedTop2 = await topUsers(store.db, { ...feb, restrictToGroupIds: ['g-sales'] }, { limit: 2 });
      expect(scopedTop2.rows.map((r) => r.public_id)).toEqual(['user-ann', 'user-bob', 'user-dan']);
      expect(scopedTop2.rowsTotal).toBeUndefined();
    });

    it('no power users in February: nobody reaches 75 a week', async () => {
      const p = await powerUsers(store.db, feb);
      // 6 senders → the top ceil(1.2) = 2 (ann 40, eve 7); 28 days need 300 messages.
      expect(p.values).toEqual({ power_users: 0, senders: 6 });
      expect(p.rows).toEqual([]);
    });

    it('a period with no data has no senders', async () => {
      const p = await powerUsers(store.db, { range: { start: '2026-01-04', end: '2026-01-31' }, today: TODAY });
      expect(p.values).toEqual({ power_users: 0, senders: 0 });
      const t = await topUsers(store.db, { range: { start: '2026-01-04', end: '2026-01-31' }, today: TODAY });
      expect(t.rows).toEqual([]);
    });
  });

  describe.each(SOURCES)('power users fed by %s', (source) => {
    beforeAll(async () => {
      await clearStore(store.db);
      await buildPower(store, source);
    });

    it('keeps the top 20% first, ties by public_id in byte order, failures free no place', async () => {
      const p = await powerUsers(store.db, { range: { start: '2026-02-01', end: '2026-02-07' }, today: POWER_TODAY });
      // 11 senders → keep rank ≤ ceil(2.2) = 3: A1 (200), B2 (150), then the 80-message tie:
      // 'user-Zed' < 'user-abe' in byte order ('Z' 0x5A < 'a' 0x61), so Zed is rank 3.
      // 7 days: 75/week needs 75 messages. A1: 200, 3 tools → yes. B2: 2 tools → no, and abe
      // (rank 4) does not move up. Zed: 80, 3 tools → yes.
      expect(p.values).toEqual({ power_users: 2, senders: 11 });
      expect(p.rows.map((r) => [r.public_id, r.messages, r.messages_rank, r.tools_messaged])).toEqual([
        ['user-A1', 200, 1, 3],
        ['user-Zed', 80, 3, 3],
      ]);
      expect(p.rowsTotal).toBeUndefined();
      // The first power user only (a chat message's limit): still both counted.
      const first = await powerUsers(store.db, { range: { start: '2026-02-01', end: '2026-02-07' }, today: POWER_TODAY }, { limit: 1 });
      expect(first.values).toEqual({ power_users: 2, senders: 11 });
      expect(first.rows).toEqual(p.rows.slice(0, 1));
      expect(first.rowsTotal).toBe(2);
    });

    it('counts the days of a partial period up to the newest data day', async () => {
      // Asked Sun Feb 8 – Sat Feb 14, today Feb 12, data through Wed Feb 11: 4 days, so the
      // rate test is messages × 7 ≥ 75 × 4 = 300: 43 × 7 = 301 passes, 42 × 7 = 294 does not.
      // 10 senders → keep rank ≤ 2: p43, p42.
      const p = await powerUsers(store.db, { range: { start: '2026-02-08', end: '2026-02-14' }, today: POWER_TODAY });
      expect(p.partial).toBe(true);
      expect(p.covered).toEqual({ start: '2026-02-08', end: '2026-02-11' });
      expect(p.values).toEqual({ power_users: 1, senders: 10 });
      expect(p.rows.map((r) => r.public_id)).toEqual(['user-p43']);
    });
  });
});
