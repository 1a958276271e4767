/**
 * Inserting rows that must be unique within one file (a public_id in a Users report, a gpt_id in
 * a GPT report) without keeping every key of the file in memory: the table's own primary key
 * does the checking (`on conflict do nothing`), and when a batch comes back short the rows that
 * did not go in are looked up to name both lines. `position` holds each row's physical line.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../store/schema.ts';
import { insertJsonRows, type BulkTarget, type FixedValue } from './bulk-insert.ts';

/** A row whose key column (see KeyedTarget) holds its key; `position` is its physical line. */
export interface KeyedRow {
  readonly position: number;
}

export interface Duplicate {
  readonly key: string;
  /** The later of the two lines. */
  readonly line: number;
  /** The earlier one. */
  readonly firstLine: number;
}

export interface KeyedTarget extends BulkTarget {
  /** The key column (unique together with the scope column). */
  readonly keyColumn: string;
  /** The column that scopes the key to this import (snapshot_id, report_id). */
  readonly scopeColumn: string;
}

export async function insertKeyed(
  db: DbOrTx,
  target: KeyedTarget,
  scope: number,
  fixed: readonly FixedValue[],
  rows: readonly KeyedRow[],
): Promise<Duplicate[]> {
  const inserted = await insertJsonRows(db, { ...target, onConflictDoNothing: true }, fixed, rows);
  if (inserted === rows.length) return [];
  const keyOf = (row: KeyedRow) => (row as unknown as Record<string, string>)[target.keyColumn]!;
  const keys = rows.map(keyOf);
  const stored = await sql<{ key: string; position: number }>`
    select ${sql.ref(target.keyColumn)} as key, position from ${sql.table(target.table)}
    where ${sql.ref(target.scopeColumn)} = ${scope} and ${sql.ref(target.keyColumn)} in (
      select json_array_elements_text(cast(${JSON.stringify(keys)} as json)))`.execute(db);
  const firstLine = new Map(stored.rows.map((r) => [r.key, r.position]));
  const duplicates: Duplicate[] = [];
  for (const row of rows) {
    const key = keyOf(row);
    const other = firstLine.get(key);
    if (other === undefined || other === row.position) continue;
    duplicates.push({ key, line: Math.max(other, row.position), firstLine: Math.min(other, row.position) });
  }
  return duplicates;
}
