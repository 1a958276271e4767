/**
 * Rows go into the real tables batch by batch while the file is read (src/ingest/table-batches.ts),
 * each batch in a savepoint. A batch that meets a key the table already holds without the file
 * naming it twice — here a fact of the report's week written by hand, outside any report — is
 * refused, not skipped: the import fails whole and the store is as it was. (Duplicates within a
 * file are import-errors.test.ts: they are named by line whichever batch they fall in.)
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import-files.ts';
import type { Db } from '../../src/store/schema.ts';
import { SUMMARY_TABLES } from '../../src/store/tables.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { dataDump, dumpStore, fixture, options } from './support/import-helpers.ts';

/** The summary tables' rows, without the snapshot ids a new import renews. */
async function summaries(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of SUMMARY_TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    out[table] = rows.map((r) => JSON.stringify({ ...r, snapshot_id: undefined })).sort();
  }
  return out;
}

describe.each(backends())('batch writes on %s', (backend) => {
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

  it('refuse a row whose key the table already holds, and leave the store as it was', async () => {
    const db = store.db;
    // The first account of users-weekly.csv, in its week (2025-10-26), stored as a fact of no report.
    await sql`
      insert into user_facts (report_id, grain, period_start, period_end, public_id, messages)
      values (null, 'week', '2025-10-26', '2025-11-01', 'user-Zk3pQ8rT2vW9xY4bN6mL1cD0', 7)`.execute(db);
    const before = await dumpStore(db);
    await expect(importFile(db, fixture('users-weekly.csv'), { ...options(), batchRows: 2 })).rejects.toThrow(
      'a row of this file has a key that user_facts already holds; nothing was imported',
    );
    expect(await dumpStore(db)).toEqual(before);
  });

  it('write a file of many batches whole: the same data as in one batch', async () => {
    const db = store.db;
    const one = await importFile(db, fixture('users-weekly.csv'), { ...options(), batchRows: 10_000 });
    const whole = await dataDump(db);
    const wholeSummaries = await summaries(db);
    expect(wholeSummaries.group_members!.length).toBeGreaterThan(0);
    await clearStore(db);
    const batched = await importFile(db, fixture('users-weekly.csv'), { ...options(), batchRows: 2 });
    expect(batched.rows).toBe(one.rows);
    expect(await dataDump(db)).toEqual(whole);
    // The summaries kept by the tables' statement triggers, run once per batch here, once there.
    expect(await summaries(db)).toEqual(wholeSummaries);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from directory_accounts`.execute(db);
    expect(rows[0]!.n).toBe(one.rows);
  });
});
