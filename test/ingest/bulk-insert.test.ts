import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { encodeRow, insertEncodedRows, type BulkColumn } from '../../src/ingest/bulk-insert.ts';
import { backends, openTestStore, type TestStore } from '../support/store.ts';

const COLUMNS: BulkColumn[] = [
  { name: 't', type: 'text' },
  { name: 'n', type: 'integer' },
  { name: 'd', type: 'numeric' },
  { name: 'b', type: 'boolean' },
  { name: 'day', type: 'date' },
  { name: 'j', type: 'jsonb' },
  { name: 'a', type: 'text[]' },
];

describe.each(backends())('batch rows by COPY (bulk-insert.ts), on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('stores every value as it was given: escapes, nulls, arrays, JSON, and the values shared by the batch', async () => {
    const given: unknown[][] = [
      ['tab\there', 1, '12.50', true, '2025-11-22', { 'a\\b': 1, 'say "hi"\n': 2 }, ['x,y', 'quote "q"', 'back\\slash', '{brace}', '']],
      ['line\nfeed\r\nand \\N and \\', -7, 0, false, null, 'a JSON string', []],
      [null, null, null, null, null, null, null],
      ['ünïcødé ✓ 😀', 2147483647, Number.NaN, undefined, '2024-02-29', [1, 'two', null], ['\\N']],
      ['a NaN as jsonb', 3, null, null, null, Number.NaN, null],
    ];
    const rows = await store.db.transaction().execute(async (tx) => {
      await sql`create temp table bulk_probe (batch integer, t text, n integer, d numeric, b boolean, day date, j jsonb, a text[]) on commit drop`.execute(tx);
      const written = await insertEncodedRows(
        tx,
        { table: 'bulk_probe', columns: COLUMNS },
        [{ name: 'batch', type: 'integer', value: 42 }],
        given.map((r) => encodeRow(COLUMNS, [...r])),
      );
      const { rows } = await sql<Record<string, unknown>>`
        select batch, t, n, d::text as d, b, day::text as day, j, a from bulk_probe order by n nulls last`.execute(tx);
      return { written, rows };
    });
    expect(rows.written).toBe(5);
    expect(rows.rows).toEqual([
      { batch: 42, t: 'line\nfeed\r\nand \\N and \\', n: -7, d: '0', b: false, day: null, j: 'a JSON string', a: [] },
      { batch: 42, t: 'tab\there', n: 1, d: '12.50', b: true, day: '2025-11-22', j: { 'a\\b': 1, 'say "hi"\n': 2 }, a: ['x,y', 'quote "q"', 'back\\slash', '{brace}', ''] },
      // JSON prints NaN as null: SQL's null in a jsonb column, as the JSON batches stored it
      { batch: 42, t: 'a NaN as jsonb', n: 3, d: null, b: null, day: null, j: null, a: null },
      // NaN is not JSON: it is stored as null, as the JSON batches stored it
      { batch: 42, t: 'ünïcødé ✓ 😀', n: 2147483647, d: null, b: null, day: '2024-02-29', j: [1, 'two', null], a: ['\\N'] },
      { batch: 42, t: null, n: null, d: null, b: null, day: null, j: null, a: null },
    ]);
  });
});
