import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { migrateToLatest } from '../src/store/migrate.ts';
import { backends, openTestStore, type TestStore } from './support/store.ts';

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
