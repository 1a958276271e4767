/**
 * Inserting rows that must be unique within one file (a public_id in a Users report, a gpt_id in
 * a GPT report) without keeping every key of the file in memory: the table's own primary key
 * does the checking (`on conflict do nothing`), and when a batch comes back short the rows that
 * did not go in are looked up to name both lines. `position` holds each row's physical line.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../store/schema.ts';
import { encodeRow, insertEncodedRows, type BulkTarget, type FixedValue } from './bulk-insert.ts';

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
  const batch = new KeyedBatch();
  for (const row of rows) {
    const r = row as unknown as Record<string, unknown>;
    batch.add(encodeRow(target.columns, target.columns.map((c) => r[c.name])), r[target.keyColumn] as string, row.position);
  }
  return insertKeyedBatch(db, target, scope, fixed, batch);
}

/** Rows already encoded (encodeRow), with each row's key and physical line beside it. */
export class KeyedBatch {
  readonly encoded: string[] = [];
  readonly keys: string[] = [];
  readonly positions: number[] = [];
  add(encoded: string, key: string, position: number): void {
    this.encoded.push(encoded);
    this.keys.push(key);
    this.positions.push(position);
  }
  get length(): number {
    return this.encoded.length;
  }
}

export async function insertKeyedBatch(
  db: DbOrTx,
  target: KeyedTarget,
  scope: number,
  fixed: readonly FixedValue[],
  batch: KeyedBatch,
): Promise<Duplicate[]> {
  const inserted = await insertEncodedRows(db, { ...target, onConflictDoNothing: true }, fixed, batch.encoded);
  if (inserted === batch.length) return [];
  const { keys, positions } = batch;
  const stored = await sql<{ key: string; position: number }>`
    select ${sql.ref(target.keyColumn)} as key, position from ${sql.table(target.table)}
    where ${sql.ref(target.scopeColumn)} = ${scope} and ${sql.ref(target.keyColumn)} in (
      select json_array_elements_text(cast(${JSON.stringify(keys)} as json)))`.execute(db);
  const firstLine = new Map(stored.rows.map((r) => [r.key, r.position]));
  const duplicates: Duplicate[] = [];
  keys.forEach((key, i) => {
    const position = positions[i]!;
    const other = firstLine.get(key);
    if (other === undefined || other === position) return;
    duplicates.push({ key, line: Math.max(other, position), firstLine: Math.min(other, position) });
  });
  return duplicates;
}
