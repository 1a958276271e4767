/**
 * The summaries of migration 0013 stay exactly what the directory and the facts say, through
 * every way they are written: Users reports imported and replaced, a directory CSV, a directory
 * of the same day replaced with other groups, direct membership changes, the events roll-up run
 * again, fact updates and deletes, a store emptied; and the migration back-fills a store that
 * already holds data. Expectations are recomputed here in TypeScript from the directory's
 * `group_ids` arrays and the facts' GPT/project maps as the store returns them.
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestEvents } from '../../src/ingest/events.ts';
import { importFile } from '../../src/ingest/import-files.ts';
import type { Db } from '../../src/store/schema.ts';
import { down, up } from '../../migrations/0013_group_item_summaries.ts';
import { activityForRanges } from '../../src/metrics/activity.ts';
import { loadCtx } from '../../src/metrics/context.ts';
import { fixture, fixtureText, importText, options } from '../ingest/support/import-helpers.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';

const EVENTS = fileURLToPath(new URL('../fixtures/events/valid-12.ndjson', import.meta.url));

/** What group_members and item_usage must hold, from directory_accounts and user_facts alone. */
async function expected(db: Db) {
  const { rows: accounts } = await sql<{ snapshot_id: number; account_key: string; group_ids: string[] }>`
    select snapshot_id, account_key, group_ids from directory_accounts`.execute(db);
  const members = new Set<string>();
  for (const a of accounts) for (const g of a.group_ids) members.add(`${a.snapshot_id}|${g}|${a.account_key}`);
  const { rows: facts } = await sql<{
    grain: string;
    period_start: string;
    public_id: string;
    gpt_to_messages: Record<string, number> | null;
    project_to_messages: Record<string, number> | null;
  }>`select grain, period_start, public_id, gpt_to_messages, project_to_messages from user_facts`.execute(db);
  const usage: string[] = [];
  for (const f of facts) {
    for (const kind of ['gpt', 'project'] as const) {
      const map = f[`${kind}_to_messages`] ?? {};
      for (const [item, n] of Object.entries(map)) {
        if (Number(n) > 0) usage.push(`${f.grain}|${f.period_start}|${f.public_id}|${kind}|${item}|${Number(n)}`);
      }
    }
  }
  return { members: [...members].sort(), usage: usage.sort() };
}

async function stored(db: Db) {
  const { rows: members } = await sql<{ snapshot_id: number; group_id: string; account_key: string }>`
    select snapshot_id, group_id, account_key from group_members`.execute(db);
  const { rows: usage } = await sql<Record<string, string | number>>`
    select grain, period_start, public_id, kind, item_id, messages from item_usage`.execute(db);
  return {
    members: members.map((m) => `${m.snapshot_id}|${m.group_id}|${m.account_key}`).sort(),
    usage: usage.map((u) => `${u.grain}|${u.period_start}|${u.public_id}|${u.kind}|${u.item_id}|${Number(u.messages)}`).sort(),
  };
}

async function expectExact(db: Db, what: { members?: boolean; usage?: boolean } = { members: true, usage: true }): Promise<void> {
  const want = await expected(db);
  if (what.members) expect(want.members.length).toBeGreaterThan(0);
  if (what.usage) expect(want.usage.length).toBeGreaterThan(0);
  expect(await stored(db)).toEqual(want);
}

/** The directory CSV fixture with one account's groups swapped for another group's. */
function directoryWithMovedAccount(): string {
  const lines = fixtureText('directory.csv').split('\n');
  // Anne leaves "Data, Eng" for "Platform 'Core'".
  lines[2] = lines[2]!.replace(`"{'bb11bb11bb11bb11bb11bb11bb11bb11': 'Data, Eng'}"`, `"{'aa00aa00aa00aa00aa00aa00aa00aa00': ""Platform 'Core'""}"`);
  return lines.join('\n');
}

describe.each(backends())('group and item summaries on %s', (backend) => {
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

  it('follow Users reports imported, replaced and refused, a directory CSV and membership changes', async () => {
    const db = store.db;
    await importFile(db, fixture('users-weekly.csv'), options());
    await expectExact(db);
    const { rows: first } = await sql<{ n: number }>`select count(*)::int as n from group_members`.execute(db);
    expect(first[0]!.n).toBeGreaterThan(0);
    await importFile(db, fixture('users-monthly-oct.csv'), options());
    await importFile(db, fixture('users-partial-nov.csv'), { ...options(), replaceDirectory: true });
    await expectExact(db);
    // Monthly replaces Partial Monthly (its snapshot and facts cascade away), then the weekly
    // report replaces itself.
    await importFile(db, fixture('users-monthly-nov.csv'), options());
    await expectExact(db);
    const before = await stored(db);
    await importFile(db, fixture('users-weekly.csv'), options());
    await expectExact(db);
    // Same rows again: only the snapshot id of the replaced report's memberships changed.
    expect((await stored(db)).usage).toEqual(before.usage);
    expect((await stored(db)).members.length).toBe(before.members.length);
    // A refused import (bad cell on the last line) changes nothing.
    const text = fixtureText('users-weekly.csv').trimEnd();
    const broken = `${text.slice(0, text.lastIndexOf(','))},not-a-date\n`;
    const kept = await stored(db);
    await expect(importText(db, 'broken.csv', broken)).rejects.toThrow();
    expect(await stored(db)).toEqual(kept);
    // A directory CSV, then the same day's directory again with one account moved between groups.
    await importFile(db, fixture('directory.csv'), { ...options('2025-11-20T10:00:00Z'), replaceDirectory: true });
    await expectExact(db);
    await importText(db, 'directory.csv', directoryWithMovedAccount(), { ...options('2025-11-20T15:00:00Z'), replaceDirectory: true });
    await expectExact(db);
    const { rows: moved } = await sql<{ group_id: string }>`
      select m.group_id from group_members m join directory_accounts a
        on a.snapshot_id = m.snapshot_id and a.account_key = m.account_key
      where a.email_key = 'anne@example.com' and m.snapshot_id = (select max(id) from directory_snapshots)`.execute(db);
    expect(moved.map((r) => r.group_id)).toEqual(['aa00aa00aa00aa00aa00aa00aa00aa00']);
    // Direct changes of membership: groups added, removed, an account re-keyed, accounts deleted.
    await sql`update directory_accounts set group_ids = group_ids || array['zz99']::text[] where cardinality(group_ids) = 1`.execute(db);
    await expectExact(db);
    await sql`update directory_accounts set group_ids = '{}' where account_key = (select min(account_key) from directory_accounts where cardinality(group_ids) > 0)`.execute(db);
    await expectExact(db);
    await sql`update directory_accounts set account_key = account_key || '-x' where snapshot_id = (select min(snapshot_id) from directory_accounts)`.execute(db);
    await expectExact(db);
    await sql`delete from directory_snapshots where id = (select min(id) from directory_snapshots)`.execute(db);
    await expectExact(db);
    // Facts' maps changed and deleted directly.
    await sql`update user_facts set gpt_to_messages = '{"g-new": 3, "g-zero": 0}'::jsonb where gpt_to_messages is null`.execute(db);
    await expectExact(db);
    await sql`update user_facts set project_to_messages = null`.execute(db);
    await expectExact(db);
    await sql`delete from user_facts where period_start = (select min(period_start) from user_facts)`.execute(db);
    await expectExact(db);
    // Emptied: nothing is left of either.
    await clearStore(db);
    expect(await stored(db)).toEqual({ members: [], usage: [] });
  });

  it('take each group of an inserted account once, even when its array names a group twice', async () => {
    const db = store.db;
    await importFile(db, fixture('users-weekly.csv'), options());
    await sql`
      insert into directory_accounts (snapshot_id, account_key, user_status, group_ids, position)
      select max(id), k.key, 'enabled', k.groups, 0 from directory_snapshots,
        (values ('twice', array['g1', 'g2', 'g1', 'g2', 'g3']::text[]), ('none', '{}'::text[])) as k(key, groups)
      group by k.key, k.groups`.execute(db);
    const { rows } = await sql<{ account_key: string; group_id: string }>`
      select account_key, group_id from group_members where account_key in ('twice', 'none') order by group_id`.execute(db);
    expect(rows).toEqual([
      { account_key: 'twice', group_id: 'g1' },
      { account_key: 'twice', group_id: 'g2' },
      { account_key: 'twice', group_id: 'g3' },
    ]);
    await expectExact(db);
  });

  it('follow the events roll-up run again and a directory import', async () => {
    const db = store.db;
    await ingestEvents(db, createReadStream(EVENTS), { ...options(), sourceName: 'valid-12.ndjson' });
    await expectExact(db, { usage: true });
    const once = await stored(db);
    // The same events again: the roll-up recomputes the same (user, day) facts in place.
    await ingestEvents(db, createReadStream(EVENTS), { ...options(), sourceName: 'valid-12.ndjson' });
    expect(await stored(db)).toEqual(once);
    await importFile(db, fixture('directory.csv'), options('2025-11-06T10:00:00Z'));
    await expectExact(db);
    await sql`delete from user_facts where public_id = (select min(public_id) from item_usage)`.execute(db);
    await expectExact(db);
    await sql`delete from directory_accounts`.execute(db);
    expect((await stored(db)).members).toEqual([]);
  });

  it('give a team trend with each entry\'s own membership, whether members are looked up or hashed', async () => {
    const db = store.db;
    await importFile(db, fixture('users-weekly.csv'), options());
    // In the second week José (300 messages in the first, 20 in the second) joins the group (renamed SG ChatGPT Everyone that week).
    const next = fixtureText('users-weekly-next.csv').replace(
      `"{'0123456789abcdef0123456789abcdef': 'Sales, EMEA'}"`,
      `"{'0123456789abcdef0123456789abcdef': 'Sales, EMEA', '6806684c27e88190b4cb45225dded629': 'SG ChatGPT Everyone'}"`,
    );
    await importText(db, 'users-weekly-next.csv', next, { ...options('2025-11-10T10:00:00Z'), replaceDirectory: true });
    const ctx = await loadCtx(db, { range: { start: '2025-10-26', end: '2025-11-08' }, today: '2025-11-20', groupName: 'sg chatgpt everyone' });
    const ranges = [ctx.range, { start: '2025-10-26', end: '2025-11-01' }, { start: '2025-11-02', end: '2025-11-08' }];
    const pick = (r: Awaited<ReturnType<typeof activityForRanges>>) => r.map((x) => [x.activity?.active_users, x.activity?.messages]);
    // Both weeks, members as of 8 Nov (Zoë, José): 120 + 80 + 300 + 20. The first week, members as
    // of 1 Nov (Zoë and two silent accounts): Zoë's 120. The second: Zoë's 80 and José's 20.
    const want = [[2, 520], [1, 120], [2, 100]];
    expect(pick(await activityForRanges(ctx, ranges, { groupJoin: 'lookup' }))).toEqual(want);
    expect(pick(await activityForRanges(ctx, ranges, { groupJoin: 'hash' }))).toEqual(want);
    expect(pick(await activityForRanges(ctx, ranges))).toEqual(want);
  });

  it('are back-filled by the migration on a store that already holds data', async () => {
    const db = store.db;
    await importFile(db, fixture('users-weekly.csv'), options());
    await importFile(db, fixture('users-monthly-nov.csv'), { ...options(), replaceDirectory: true });
    await importFile(db, fixture('directory.csv'), { ...options('2025-11-20T10:00:00Z'), replaceDirectory: true });
    await ingestEventsRefused(db);
    const want = await expected(db);
    await down(db);
    try {
      // Written while the summaries do not exist: a membership change and a fact with a map.
      await sql`update directory_accounts set group_ids = array['cc22']::text[] where account_key = (select min(account_key) from directory_accounts)`.execute(db);
      await sql`update user_facts set gpt_to_messages = '{"g-late": 4}'::jsonb where public_id = (select min(public_id) from user_facts)`.execute(db);
    } finally {
      await up(db);
    }
    const now = await expected(db);
    expect(now).not.toEqual(want);
    expect(now.members.length).toBeGreaterThan(0);
    expect(now.usage.length).toBeGreaterThan(0);
    expect(await stored(db)).toEqual(now);
    // And the triggers work again after it.
    await importFile(db, fixture('users-monthly-oct.csv'), options());
    await expectExact(db);
  });
});

/** An events file into an export-fed store is refused and writes nothing (the summaries neither). */
async function ingestEventsRefused(db: Db): Promise<void> {
  const before = await stored(db);
  await expect(ingestEvents(db, createReadStream(EVENTS), { ...options(), sourceName: 'valid-12.ndjson' })).rejects.toThrow();
  expect(await stored(db)).toEqual(before);
}
