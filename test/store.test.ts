import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest } from '../src/store/migrate.ts';
import pg from 'pg';
import { backends, openTestStore, TEST_DATABASE_URL, type TestStore } from './support/store.ts';

interface ColumnShape {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: string;
}

async function columns(store: TestStore): Promise<ColumnShape[]> {
  const { rows } = await sql<ColumnShape>`
    select table_name, column_name, data_type, is_nullable
    from information_schema.columns
    where table_schema = current_schema()
    order by table_name, column_name`.execute(store.db);
  return rows;
}

const shapes = new Map<string, ColumnShape[]>();

describe.each(backends())('store on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('migrates twice without change', async () => {
    const before = await columns(store);
    const again = await migrateToLatest(store.db);
    expect(again).toEqual([]);
    expect(await columns(store)).toEqual(before);
    expect(before.some((c) => c.table_name === 'user_facts' && c.column_name === 'messages')).toBe(true);
    shapes.set(backend, before);
  });

  // Every index an imported account or fact enters costs the import; each one left is read by a
  // query (src/ingest/README.md, migration 0020).
  it('indexes the accounts and facts only where a query reads', async () => {
    const { rows } = await sql<{ indexname: string }>`
      select indexname from pg_indexes
      where schemaname = current_schema() and tablename in ('directory_accounts', 'user_facts')
      order by indexname`.execute(store.db);
    expect(rows.map((r) => r.indexname)).toEqual([
      'directory_accounts_email',
      'directory_accounts_pk',
      'directory_accounts_seats',
      'user_facts_counts',
      'user_facts_pk',
      'user_facts_report',
    ]);
  });

  it('reads dates as YYYY-MM-DD strings and bigint counts as numbers', async () => {
    const { rows } = await sql<{ d: string; n: number }>`
      select '2025-11-02'::date as d, count(*) as n from generate_series(1, 3)`.execute(store.db);
    expect(rows[0]).toEqual({ d: '2025-11-02', n: 3 });
  });
});

describe('both backends', () => {
  it.runIf(backends().length === 2)('produce the same tables and columns', () => {
    expect(shapes.get('postgres')).toEqual(shapes.get('pglite'));
  });
});

describe.runIf(TEST_DATABASE_URL !== undefined)('migrating on a PostgreSQL shared with other stores', () => {
  it('is not upset by another schema being dropped at the same moment', async () => {
    // Kysely's own introspector reads every schema's tables and failed ~1 time in 3 here.
    const churn = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await churn.connect();
    let stop = false;
    const churning = (async () => {
      while (!stop) {
        const s = `wsa_churn_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
        await churn.query(`create schema ${s}; create table ${s}.t (a int); create table ${s}.u (b int)`);
        await churn.query(`drop schema ${s} cascade`);
      }
    })();
    try {
      for (let i = 0; i < 6; i += 1) {
        const store = await openTestStore('postgres');
        await store.close();
      }
    } finally {
      stop = true;
      await churning;
      await churn.end();
    }
  }, 120_000);
});
