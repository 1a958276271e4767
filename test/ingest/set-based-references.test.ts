/**
 * Migration 0014: directory accounts, user facts and events name their snapshot, report and import through
 * statement-level checks and cascades instead of row-by-row foreign keys. What the foreign keys
 * guaranteed still holds: a row naming no existing parent is refused (SQLSTATE 23503, nothing
 * written), and deleting a parent deletes its rows — and only its rows.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/schema.ts';
import pg from 'pg';
import { backends, clearStore, openTestStore, TEST_DATABASE_URL, type TestStore } from '../support/store.ts';

async function seed(db: Db): Promise<void> {
  await sql`insert into import_log (id, kind, source, imported_at) values (1, 'users', 'a.csv', now())`.execute(db);
  await sql`insert into reports (id, kind, grain, cadence, period_start, period_end, import_id) values
    (10, 'users', 'week', 'Weekly', '2025-10-26', '2025-11-01', 1),
    (11, 'users', 'week', 'Weekly', '2025-11-02', '2025-11-08', 1)`.execute(db);
  await sql`insert into directory_snapshots (id, report_id, source, period_start, as_of, import_id) values
    (20, 10, 'users_report', '2025-10-26', '2025-11-01', 1),
    (21, 11, 'users_report', '2025-11-02', '2025-11-08', 1)`.execute(db);
  await sql`insert into directory_accounts (snapshot_id, account_key, public_id, user_status) values
    (20, 'u1', 'u1', 'enabled'), (20, 'u2', 'u2', 'enabled'), (21, 'u1', 'u1', 'enabled')`.execute(db);
  await sql`insert into user_facts (report_id, grain, period_start, period_end, public_id, messages) values
    (10, 'week', '2025-10-26', '2025-11-01', 'u1', 3), (10, 'week', '2025-10-26', '2025-11-01', 'u2', 4),
    (11, 'week', '2025-11-02', '2025-11-08', 'u1', 5), (null, 'day', '2025-11-03', '2025-11-03', 'u1', 1)`.execute(db);
}

async function count(db: Db, table: 'directory_accounts' | 'user_facts'): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return rows[0]!.n;
}

describe.each(backends())('set-based references (%s)', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await clearStore(store.db);
    await seed(store.db);
  });

  it('refuses accounts of a snapshot that does not exist, the whole statement', async () => {
    const insert = sql`insert into directory_accounts (snapshot_id, account_key, user_status) values (20, 'u3', 'enabled'), (99, 'u4', 'enabled')`;
    await expect(insert.execute(store.db)).rejects.toMatchObject({ code: '23503' });
    expect(await count(store.db, 'directory_accounts')).toBe(3);
  });

  it('refuses facts of a report that does not exist, on insert and on update; a null report is an event fact', async () => {
    await expect(
      sql`insert into user_facts (report_id, grain, period_start, period_end, public_id) values (98, 'week', '2025-11-09', '2025-11-15', 'u1')`.execute(store.db),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(sql`update user_facts set report_id = 97 where report_id = 11`.execute(store.db)).rejects.toMatchObject({ code: '23503' });
    await sql`insert into user_facts (report_id, grain, period_start, period_end, public_id) values (null, 'day', '2025-11-04', '2025-11-04', 'u2')`.execute(store.db);
    expect(await count(store.db, 'user_facts')).toBe(5);
  });

  it('deleting a report deletes its facts and, through its snapshot, its accounts; the others stay', async () => {
    await sql`delete from reports where id = 10`.execute(store.db);
    const facts = await sql<{ report_id: number | null; public_id: string }>`select report_id, public_id from user_facts order by report_id, grain`.execute(store.db);
    expect(facts.rows).toEqual([
      { report_id: 11, public_id: 'u1' },
      { report_id: null, public_id: 'u1' },
    ]);
    const accounts = await sql<{ snapshot_id: number; account_key: string }>`select snapshot_id, account_key from directory_accounts`.execute(store.db);
    expect(accounts.rows).toEqual([{ snapshot_id: 21, account_key: 'u1' }]);
    // the aggregates of migration 0004 follow the cascade: only report 11's week is left
    const totals = await sql<{ period_start: string; messages: number }>`select period_start, messages::int as messages from period_totals where grain = 'week'`.execute(store.db);
    expect(totals.rows).toEqual([{ period_start: '2025-11-02', messages: 5 }]);
  });

  it('refuses events of an import that does not exist, and deleting an import that events name', async () => {
    const event = (id: string, importId: number) =>
      sql`insert into events (id, ts, day, public_id, conversation_id, import_id)
        values (${id}, '2025-11-03T09:00:00Z', '2025-11-03', 'u1', 'c1', ${importId})`;
    await expect(event('e1', 2).execute(store.db)).rejects.toMatchObject({ code: '23503' });
    await event('e1', 1).execute(store.db);
    await sql`insert into import_log (id, kind, source, imported_at) values (2, 'events', 'b.ndjson', now())`.execute(store.db);
    await expect(sql`delete from import_log where id = 1`.execute(store.db)).rejects.toMatchObject({ code: '23503' });
    await sql`delete from import_log where id = 2`.execute(store.db);
    const { rows } = await sql<{ id: number }>`select id from import_log order by id`.execute(store.db);
    expect(rows).toEqual([{ id: 1 }]);
  });

  it('refuses truncating a parent that has children', async () => {
    await expect(sql`truncate directory_snapshots cascade`.execute(store.db)).rejects.toMatchObject({ code: '23503' });
    expect(await count(store.db, 'directory_accounts')).toBe(3);
  });

  it.runIf(backend === 'postgres')('a parent named by an uncommitted insert waits to be deleted, then its cascade takes the new rows too', async () => {
    const url = new URL(TEST_DATABASE_URL!);
    url.searchParams.set('options', `-c search_path=${store.schema}`);
    const writer = new pg.Client({ connectionString: url.toString() });
    const deleter = new pg.Client({ connectionString: url.toString() });
    await writer.connect();
    await deleter.connect();
    try {
      await writer.query('begin');
      await writer.query(`insert into directory_accounts (snapshot_id, account_key, user_status) values (21, 'u9', 'enabled')`);
      await deleter.query('begin');
      let deleted = false;
      const deleting = deleter.query('delete from directory_snapshots where id = 21').then(() => {
        deleted = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(deleted).toBe(false);
      await writer.query('commit');
      await deleting;
      await deleter.query('commit');
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from directory_accounts where snapshot_id = 21`.execute(store.db);
      expect(rows[0]!.n).toBe(0);
    } finally {
      await writer.end();
      await deleter.end();
    }
  });

  it("refuses changing a parent's id", async () => {
    await expect(sql`update reports set id = 12 where id = 11`.execute(store.db)).rejects.toMatchObject({ code: '23503' });
    await expect(sql`update directory_snapshots set id = 22 where id = 21`.execute(store.db)).rejects.toMatchObject({ code: '23503' });
    await expect(sql`update import_log set id = 3 where id = 1`.execute(store.db)).rejects.toMatchObject({ code: '23503' });
  });
});
