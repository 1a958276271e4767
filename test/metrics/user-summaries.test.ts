/**
 * The per-user summaries of user_facts (migrations/0012) stay exactly what the facts say through
 * every way facts are written: imports, a report replaced by identity, a Monthly report replacing
 * a Partial Monthly one, a real import emptying a demo store, an import refused half-way, the
 * events roll-up and its re-ingest, direct updates (a key changed too) and deletes, a truncate.
 * The expectation is recomputed here from the fact rows alone: plain SQL for the columns, the
 * tool set worked out in TypeScript from each fact's tool map.
 *
 * Also the threshold search of people-rank.ts, on a workspace built so that the busiest sender
 * is in no period's first 64 rows.
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestEvents } from '../../src/ingest/events.ts';
import { importFile } from '../../src/ingest/import-files.ts';
import { powerUsers, topUsers } from '../../src/metrics/api.ts';
import type { Db } from '../../src/store/schema.ts';
import { fixture, fixtureText, importText, options } from '../ingest/support/import-helpers.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { rowsOf, StoreFixture, type Account, type Act } from './fixtures.ts';

const EVENTS = fileURLToPath(new URL('../fixtures/events/valid-12.ndjson', import.meta.url));

/** What user_summaries must hold: one line per fact row, from the facts alone. */
async function expected(db: Db): Promise<string[]> {
  const { rows } = await sql<Record<string, unknown> & { tool_to_messages: Record<string, number> | null }>`
    select grain, period_start, public_id, messages, gpt_messages, tool_messages, project_messages,
      projects_created, credits_used::text as credits_used, first_day_active_in_period as first_day,
      last_day_active_in_period as last_day, last_day_active, tool_to_messages
    from user_facts`.execute(db);
  return rows
    .map(({ tool_to_messages: tools, ...r }) => {
      const set = Object.keys(tools ?? {}).filter((k) => Number(tools![k]) > 0);
      // byte order (the names here are ASCII, where UTF-16 order is the same)
      set.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return JSON.stringify({ ...r, tools: set });
    })
    .sort();
}

async function stored(db: Db): Promise<string[]> {
  const { rows } = await sql<Record<string, unknown>>`
    select grain, period_start, public_id, messages, gpt_messages, tool_messages, project_messages,
      projects_created, credits_used::text as credits_used, first_day, last_day, last_day_active, tools
    from user_summaries`.execute(db);
  return rows.map((r) => JSON.stringify(r)).sort();
}

async function expectExact(db: Db): Promise<void> {
  const want = await expected(db);
  expect(want.length).toBeGreaterThan(0);
  expect(await stored(db)).toEqual(want);
}

describe.each(backends())('per-user summaries on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await clearStore(store.db);
  });

  it('follow imports, replacements, a demo emptied and a refused import', async () => {
    const db = store.db;
    await importFile(db, fixture('users-weekly.csv'), { ...options(), demo: true });
    await expectExact(db);
    // Some facts carry tools: the sets are not all empty.
    expect((await stored(db)).some((r) => !r.includes('"tools":[]'))).toBe(true);
    // The first real import empties the demo store.
    await importFile(db, fixture('users-monthly-oct.csv'), options());
    expect((await sql<{ n: number }>`select count(*)::int as n from user_summaries where grain = 'week'`.execute(db)).rows[0]!.n).toBe(0);
    await expectExact(db);
    await importFile(db, fixture('users-weekly.csv'), options());
    await importFile(db, fixture('users-partial-nov.csv'), { ...options(), replaceDirectory: true });
    await expectExact(db);
    // Monthly replaces Partial Monthly (same identity), then the weekly report replaces itself.
    await importFile(db, fixture('users-monthly-nov.csv'), options());
    await expectExact(db);
    const before = await stored(db);
    await importFile(db, fixture('users-weekly.csv'), options());
    expect(await stored(db)).toEqual(before);
    // A refused import (bad cell on the last line) changes nothing.
    const text = fixtureText('users-weekly.csv').trimEnd();
    const broken = `${text.slice(0, text.lastIndexOf(','))},not-a-date\n`;
    await expect(importText(db, 'broken.csv', broken)).rejects.toThrow();
    expect(await stored(db)).toEqual(before);
    await expectExact(db);
  });

  it('follow the events roll-up, a re-ingest, direct updates, deletes and a truncate', async () => {
    const db = store.db;
    await ingestEvents(db, createReadStream(EVENTS), { ...options(), sourceName: 'valid-12.ndjson' });
    await expectExact(db);
    // The same events again: the roll-up recomputes the same (user, day) facts in place.
    const before = await stored(db);
    await ingestEvents(db, createReadStream(EVENTS), { ...options(), sourceName: 'valid-12.ndjson' });
    expect(await stored(db)).toEqual(before);
    await expectExact(db);
    // Updates: counts, a tool map (one tool to 0, one added), and a key moved to another day.
    await sql`update user_facts set messages = messages + 2, gpt_messages = gpt_messages + 1, credits_used = 1.5`.execute(db);
    await expectExact(db);
    await sql`update user_facts set tool_to_messages = '{"b": 0, "a": 3, "Z": 1}'::jsonb
      where public_id = (select min(public_id) from user_facts)`.execute(db);
    await expectExact(db);
    await sql`update user_facts set period_start = period_start + 1000, period_end = period_end + 1000
      where period_start = (select max(period_start) from user_facts)`.execute(db);
    await expectExact(db);
    await sql`delete from user_facts where period_start = (select min(period_start) from user_facts)`.execute(db);
    await expectExact(db);
    await sql`truncate user_facts`.execute(db);
    expect(await stored(db)).toEqual([]);
  });

  it('the backfill of the migration computes the same rows', async () => {
    const db = store.db;
    await ingestEvents(db, createReadStream(EVENTS), { ...options(), sourceName: 'valid-12.ndjson' });
    await importFile(db, fixture('users-monthly-oct.csv'), options()).catch(() => undefined);
    const want = await stored(db);
    // Empty the summaries without touching the facts, then fill them the way the migration does.
    await sql`alter table user_facts disable trigger user_summaries_truncate`.execute(db);
    await sql`delete from user_summaries`.execute(db);
    await sql`alter table user_facts enable trigger user_summaries_truncate`.execute(db);
    const { up } = await import('../../migrations/0012_user_summaries.ts');
    await sql`drop table user_summaries cascade`.execute(db);
    for (const event of ['insert', 'delete', 'update', 'truncate']) {
      await sql.raw(`drop trigger user_summaries_${event} on user_facts`).execute(db);
    }
    for (const fn of ['user_summaries_inserted', 'user_summaries_deleted', 'user_summaries_updated', 'user_summaries_truncated']) {
      await sql.raw(`drop function ${fn}()`).execute(db);
    }
    await sql`drop function tool_set(jsonb)`.execute(db);
    await up(db);
    expect(await stored(db)).toEqual(want);
    await expectExact(db);
  });
});

/**
 * Two weeks, 143 senders. Week 1 (Sun Feb 1 – Sat Feb 7 2026): x01 … x70 send 10 each, `hero`
 * 9; week 2 (Feb 8 – 14): y01 … y70 send 10 each, hero 9. Over both weeks hero has 18 and the
 * x and y senders 10, yet hero is 73rd in each week: in no week's first 64 rows. `pow` and
 * `pow2` send 80 in each week: pow with tools {a, b} then {b, c}, pow2 with {a, b} twice.
 */
const pad = (i: number) => String(i).padStart(2, '0');
const SEARCH_ACTS: Act[] = [
  ...Array.from({ length: 70 }, (_, i) => ({ u: `x${pad(i + 1)}`, d: '2026-02-02', n: 10, conv: `x${i}` })),
  ...Array.from({ length: 70 }, (_, i) => ({ u: `y${pad(i + 1)}`, d: '2026-02-09', n: 10, conv: `y${i}` })),
  { u: 'hero', d: '2026-02-03', n: 9, conv: 'h1', tool: { a: 1, b: 1 } },
  { u: 'hero', d: '2026-02-10', n: 9, conv: 'h2', tool: { b: 2, c: 1 } },
  { u: 'pow', d: '2026-02-04', n: 80, conv: 'p1', tool: { a: 1, b: 1 } },
  { u: 'pow', d: '2026-02-11', n: 80, conv: 'p2', tool: { b: 1, c: 1 } },
  { u: 'pow2', d: '2026-02-04', n: 80, conv: 'q1', tool: { a: 1, b: 1 } },
  { u: 'pow2', d: '2026-02-11', n: 80, conv: 'q2', tool: { a: 1, b: 1 } },
];
const SEARCH_PEOPLE: Account[] = [...new Set(SEARCH_ACTS.map((a) => a.u))].map((id) => ({ id, email: `${id}@example.com`, status: 'enabled' }));

describe.each(backends())('rankings over several periods on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  describe.each(['exports', 'events'] as const)('fed by %s', (source) => {
    beforeAll(async () => {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace(source);
      if (source === 'events') {
        await f.events(SEARCH_ACTS);
        await f.directory('2026-02-14', SEARCH_PEOPLE);
      } else {
        for (const [start, end] of [['2026-02-01', '2026-02-07'], ['2026-02-08', '2026-02-14']] as const) {
          await f.usersReport({ grain: 'week', start, end, accounts: SEARCH_PEOPLE, acts: SEARCH_ACTS, toolFactor: 1 });
        }
      }
    });
    const both = { range: { start: '2026-02-01', end: '2026-02-14' }, today: '2026-02-20' };

    it('finds a sender outside every period’s first rows', async () => {
      const t = await topUsers(store.db, both, { limit: 4 });
      // pow and pow2 160 each (tie: 'pow' < 'pow2'), hero 9 + 9 = 18, then the 10s in byte order.
      expect(t.rows.map((r) => [r.public_id, r.messages, r.messages_rank])).toEqual([
        ['pow', 160, 1],
        ['pow2', 160, 2],
        ['hero', 18, 3],
        ['x01', 10, 4],
      ]);
      expect(t.rowsTotal).toBe(143);
      // hero's maps merged over both weeks.
      expect(t.rows[2]!.tool_to_messages).toEqual({ a: 1, b: 3, c: 1 });
      expect(t.rows[2]!.tools_messaged).toBe(3);
      const all = await topUsers(store.db, both);
      expect(all.rows.slice(0, 4)).toEqual(t.rows);
      expect(all.rows).toHaveLength(143);
      expect(all.rows.at(-1)!.public_id).toBe('y70');
      // Streamed: the first 20 (and how many there are), then pages of 50: the same rows, in the
      // same order, 20 + 50 + 50 + 23.
      const streamed = await topUsers(store.db, both, { stream: true, streamPageRows: 50 });
      expect(streamed.rowsTotal).toBe(143);
      const pages = [streamed.rows];
      for await (const page of streamed.moreRows!) pages.push(rowsOf(page));
      expect(pages.map((p) => p.length)).toEqual([20, 50, 50, 23]);
      expect(pages.flat()).toEqual(all.rows);
      // Other first and page sizes give the same rows: 1 + 142, and 60 + 40 + 40 + 3.
      for (const [first, size, lengths] of [[1, 1000, [1, 142]], [60, 40, [60, 40, 40, 3]]] as const) {
        const other = await topUsers(store.db, both, { stream: true, streamFirstRows: first, streamPageRows: size });
        const got = [other.rows];
        for await (const page of other.moreRows!) got.push(rowsOf(page));
        expect(got.map((p) => p.length)).toEqual(lengths);
        expect(got.flat()).toEqual(all.rows);
      }
      // A reader stopping early ends the cursor's transaction: the store still answers.
      const early = await topUsers(store.db, both, { stream: true, streamPageRows: 50 });
      for await (const page of early.moreRows!) {
        expect(rowsOf(page)[0]!.messages_rank).toBe(21);
        break;
      }
      // No more senders than the first rows: no more rows.
      const few = await topUsers(store.db, both, { stream: true, streamFirstRows: 143 });
      expect(few.rows).toEqual(all.rows);
      expect(few.moreRows).toBeUndefined();
      expect((await topUsers(store.db, both, { limit: 1 })).rows[0]!.public_id).toBe('pow');
    });

    it('power users over several periods: rank, rate and the union of tool sets', async () => {
      // 143 senders → rank ≤ ceil(28.6) = 29. 14 days: at least ceil(75 × 14 / 7) = 150
      // messages. pow (160, tools a, b, c) passes; pow2 (160, tools a, b only) does not; hero
      // (18) is far under the rate.
      const p = await powerUsers(store.db, both);
      expect(p.values).toEqual({ power_users: 1, senders: 143 });
      expect(p.rows.map((r) => [r.public_id, r.messages, r.messages_rank, r.tools_messaged])).toEqual([['pow', 160, 1, 3]]);
      // Week 1 alone (one report, or seven days of events): 75 needed; pow and pow2 have 80 and
      // two tools each, so nobody.
      const week1 = await powerUsers(store.db, { range: { start: '2026-02-01', end: '2026-02-07' }, today: '2026-02-20' });
      expect(week1.values).toEqual({ power_users: 0, senders: 73 });
    });
  });
});

/**
 * The top-20% cut over several periods. Two weeks, six senders: ⌈6 / 5⌉ = 2 places; 14 days
 * need ⌈75 × 14 / 7⌉ = 150 messages. `a` sends 100 + 100 with tools {a, b} only; `b` 90 + 90
 * with {a, b} then {c}; `c` 85 + 85 with {a} then {b, c}; d, e, f 10 each.
 */
const CUT_ACTS: Act[] = [
  { u: 'a', d: '2026-02-02', n: 100, conv: 'a1', tool: { a: 1, b: 1 } },
  { u: 'a', d: '2026-02-09', n: 100, conv: 'a2', tool: { a: 1, b: 1 } },
  { u: 'b', d: '2026-02-03', n: 90, conv: 'b1', tool: { a: 1, b: 1 } },
  { u: 'b', d: '2026-02-10', n: 90, conv: 'b2', tool: { c: 1 } },
  { u: 'c', d: '2026-02-04', n: 85, conv: 'c1', tool: { a: 1 } },
  { u: 'c', d: '2026-02-11', n: 85, conv: 'c2', tool: { b: 1, c: 1 } },
  ...['d', 'e', 'f'].map((u) => ({ u, d: '2026-02-05', n: 10, conv: u })),
];
const CUT_WEEKS = [['2026-02-01', '2026-02-07'], ['2026-02-08', '2026-02-14']] as const;
const peopleOf = (acts: Act[]): Account[] =>
  [...new Set(acts.map((a) => a.u))].map((id) => ({ id, email: `${id}@example.com`, status: 'enabled' }));

describe.each(backends())('power users over several periods, the top-20% cut, on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  const both = { range: { start: '2026-02-01', end: '2026-02-14' }, today: '2026-02-20' };

  it.each(['exports', 'events'] as const)('a failure frees no place (fed by %s)', async (source) => {
    await clearStore(store.db);
    const f = new StoreFixture(store.db);
    await f.workspace(source);
    if (source === 'events') {
      await f.events(CUT_ACTS);
      await f.directory('2026-02-14', peopleOf(CUT_ACTS));
    } else {
      for (const [start, end] of CUT_WEEKS) await f.usersReport({ grain: 'week', start, end, accounts: peopleOf(CUT_ACTS), acts: CUT_ACTS });
    }
    // a (200) is rank 1 with two tools: out, and its place is not freed; b (180, rank 2) is in;
    // c (170, three tools) is rank 3, outside the two places.
    const p = await powerUsers(store.db, both);
    expect(p.values).toEqual({ power_users: 1, senders: 6 });
    expect(p.rows.map((r) => [r.public_id, r.messages, r.messages_rank, r.tools_messaged])).toEqual([['b', 180, 2, 3]]);
  });

  it('a tool of a week without messages counts (exports: tool messages are not a subset)', async () => {
    // b sends its 180 in week 1 with tools {a, b}; its week-2 row has no messages but tool c.
    const acts = CUT_ACTS.filter((a) => a.u !== 'b').concat([
      { u: 'b', d: '2026-02-03', n: 180, conv: 'b1', tool: { a: 1, b: 1 } },
      { u: 'b', d: '2026-02-10', n: 0, conv: 'b2', tool: { c: 1 } },
    ]);
    await clearStore(store.db);
    const f = new StoreFixture(store.db);
    await f.workspace('exports');
    for (const [start, end] of CUT_WEEKS) await f.usersReport({ grain: 'week', start, end, accounts: peopleOf(acts), acts });
    const { rows } = await sql<{ messages: number; tools: string[] }>`
      select messages, tools from user_summaries where public_id = 'b' and period_start = '2026-02-08'`.execute(store.db);
    expect(rows).toEqual([{ messages: 0, tools: ['c'] }]);
    const p = await powerUsers(store.db, both);
    expect(p.values).toEqual({ power_users: 1, senders: 6 });
    expect(p.rows.map((r) => [r.public_id, r.messages, r.messages_rank, r.tools_messaged])).toEqual([['b', 180, 2, 3]]);
  });
});
