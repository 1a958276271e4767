/**
 * The pre-aggregates of user_facts (migrations/0004, src/store/aggregates.ts) stay exactly what
 * the facts say through every way facts are written: imports, a report replaced by identity, a
 * Monthly report replacing a Partial Monthly one, a real import emptying a demo store, an import
 * refused half-way (rolled back), the events roll-up recomputing (user, day) facts, and direct
 * updates and deletes. Expectations are recomputed here in TypeScript from the fact rows.
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestEvents } from '../../src/ingest/events.ts';
import { importFile } from '../../src/ingest/import-files.ts';
import { activityKey } from '../../src/store/aggregates.ts';
import type { Db } from '../../src/store/schema.ts';
import { fixture, fixtureText, importText, options } from '../ingest/support/import-helpers.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';

const EVENTS = fileURLToPath(new URL('../fixtures/events/valid-12.ndjson', import.meta.url));

interface FactRow {
  grain: string;
  period_start: string;
  public_id: string;
  messages: number;
  gpt_messages: number;
  tool_messages: number;
  project_messages: number;
  projects_created: number;
  skill_messages: number | null;
  app_messages: number | null;
}

/** What period_totals and activity_bits must hold, from the facts alone. */
async function expected(db: Db) {
  const { rows } = await sql<FactRow>`
    select grain, period_start, public_id, messages, gpt_messages, tool_messages, project_messages,
      projects_created, skill_messages, app_messages from user_facts`.execute(db);
  const totals = new Map<string, Record<string, unknown>>();
  const bits = new Map<string, bigint>();
  for (const f of rows) {
    const key = `${f.grain}|${f.period_start}`;
    const t = (totals.get(key) ?? {
      grain: f.grain, period_start: f.period_start, fact_rows: 0, active_users: 0, messages: 0, gpt_messages: 0,
      tool_messages: 0, project_messages: 0, projects_created: 0, skill_messages: 0, app_messages: 0,
    }) as Record<string, number>;
    t.fact_rows! += 1;
    if (f.messages > 0) t.active_users! += 1;
    for (const c of ['messages', 'gpt_messages', 'tool_messages', 'project_messages', 'projects_created', 'skill_messages', 'app_messages'] as const) {
      t[c]! += Number(f[c] ?? 0);
    }
    totals.set(key, t);
    if (f.messages > 0) {
      const { series, ord } = activityKey(f.grain, f.period_start);
      const b = `${series}|${ord >> 6}|${f.public_id}`;
      bits.set(b, (bits.get(b) ?? 0n) | (1n << BigInt(ord & 63)));
    }
  }
  return {
    totals: [...totals.values()].map((t) => JSON.stringify(t)).sort(),
    bits: [...bits].map(([k, m]) => `${k}|${BigInt.asIntN(64, m)}`).sort(),
  };
}

async function stored(db: Db) {
  const { rows: totals } = await sql<Record<string, unknown>>`
    select grain, period_start, fact_rows, active_users, messages, gpt_messages, tool_messages,
      project_messages, projects_created, skill_messages, app_messages from period_totals`.execute(db);
  const { rows: bits } = await sql<{ series: string; bucket: number; public_id: string; mask: string }>`
    select series, bucket, public_id, mask::text as mask from activity_bits`.execute(db);
  return {
    totals: totals.map((t) => JSON.stringify(t)).sort(),
    bits: bits.map((b) => `${b.series}|${b.bucket}|${b.public_id}|${b.mask}`).sort(),
  };
}

async function expectExact(db: Db): Promise<void> {
  const want = await expected(db);
  expect(want.totals.length).toBeGreaterThan(0);
  expect(await stored(db)).toEqual(want);
}

describe('fact keys map to series and ordinals', () => {
  it('matches dates worked out by hand', () => {
    // 2025-10-26 is a Sunday, 20,386 days (2,912 weeks) after Sunday 1970-01-04.
    expect(activityKey('week', '2025-10-26')).toEqual({ series: 'week', ord: 2912 });
    expect(activityKey('week', '2025-11-23')).toEqual({ series: 'week', ord: 2916 });
    // November 2025 is month 2025 × 12 + 10.
    expect(activityKey('month', '2025-11-01')).toEqual({ series: 'month', ord: 24310 });
    // Anything unaligned counts days from 1970-01-01 (2025-10-27 is day 20,388).
    expect(activityKey('day', '2025-10-27')).toEqual({ series: 'day', ord: 20388 });
    expect(activityKey('week', '2025-10-27')).toEqual({ series: 'week:day', ord: 20388 });
    expect(activityKey('range', '2025-10-27')).toEqual({ series: 'range:day', ord: 20388 });
    expect(activityKey('month', '2025-11-02')).toEqual({ series: 'month:day', ord: 20394 });
  });
});

describe.each(backends())('pre-aggregates of user facts on %s', (backend) => {
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

  it('the SQL functions agree with activityKey', async () => {
    const days = ['2025-10-26', '2025-10-27', '2025-11-01', '2025-11-02', '1969-12-28', '1969-12-31', '2026-02-01'];
    for (const grain of ['day', 'week', 'month', 'range']) {
      for (const d of days) {
        const { rows } = await sql<{ series: string; ord: number }>`
          select activity_series(${grain}, ${d}::date) as series, activity_ordinal(${grain}, ${d}::date) as ord`.execute(store.db);
        expect(rows[0], `${grain} ${d}`).toEqual(activityKey(grain, d));
      }
    }
  });

  it('follow imports, replacements, a demo emptied and a refused import', async () => {
    const db = store.db;
    await importFile(db, fixture('users-weekly.csv'), { ...options(), demo: true });
    await expectExact(db);
    // The first real import empties the demo store.
    await importFile(db, fixture('users-monthly-oct.csv'), options());
    expect((await sql<{ n: number }>`select count(*)::int as n from reports where grain = 'week'`.execute(db)).rows[0]!.n).toBe(0);
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

  it('follow the events roll-up, direct updates and deletes', async () => {
    const db = store.db;
    await ingestEvents(db, createReadStream(EVENTS), { ...options(), sourceName: 'valid-12.ndjson' });
    await expectExact(db);
    // The same events again: the roll-up recomputes the same (user, day) facts in place.
    const before = await stored(db);
    await ingestEvents(db, createReadStream(EVENTS), { ...options(), sourceName: 'valid-12.ndjson' });
    expect(await stored(db)).toEqual(before);
    await expectExact(db);
    // A fact losing its messages leaves its user's bit and the key's active count.
    await sql`update user_facts set messages = 0 where public_id = (select min(public_id) from user_facts)`.execute(db);
    await expectExact(db);
    await sql`update user_facts set messages = messages + 2, gpt_messages = gpt_messages + 1`.execute(db);
    await expectExact(db);
    await sql`delete from user_facts where period_start = (select min(period_start) from user_facts)`.execute(db);
    await expectExact(db);
    await sql`delete from user_facts`.execute(db);
    expect(await stored(db)).toEqual({ totals: [], bits: [] });
  });
});
