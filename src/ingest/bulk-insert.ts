/**
 * Batch inserts that are fast on both backends: one COPY per batch (store/copy.ts), each row a
 * line of COPY's text format that the writers encode as they read (encodeRow), so a batch is a
 * few thousand strings rather than objects. Values shared by the whole batch (the report id, say)
 * lead every line. The server parses COPY's text natively: against the earlier
 * `insert … select (e->>0)::type, … from jsonb_array_elements($1::jsonb)` of the same rows, it
 * skips building and taking apart a jsonb array per batch (bench/README.md, "Import batches by
 * COPY, 5,000 rows, flat strings"). The tables' statement triggers run for a COPY as for an
 * insert.
 */
import { copyRows, copyText } from '../store/copy.ts';
import type { DbOrTx } from '../store/schema.ts';

export interface BulkColumn {
  readonly name: string;
  /** SQL type of the column: `text`, `integer`, `boolean`, `date`, `numeric`, `jsonb`, `text[]`. */
  readonly type: string;
}

export interface FixedValue {
  readonly name: string;
  readonly type: string;
  readonly value: unknown;
}

export interface BulkTarget {
  readonly table: string;
  readonly columns: readonly BulkColumn[];
}

/** A PostgreSQL array literal of strings: `{"a","b \\"c\\""}`. */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * A value as a field of COPY's text format, read as the column's type: null (or undefined) as
 * `\N`; a jsonb value as its JSON text (a string is a JSON string); a text[] as a PostgreSQL
 * array literal (pgTextArray); a number that JSON cannot write (NaN, ±Infinity) as null, as a JSON
 * batch had it; any other object as its JSON text.
 */
function copyValue(type: string, v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (type === 'jsonb') {
    // JSON's null (NaN, say, prints as null) is SQL's null, as a JSON batch's `nullif` had it.
    const json = JSON.stringify(v) as string | undefined;
    return json === undefined || json === 'null' ? '\\N' : copyText(json);
  }
  switch (typeof v) {
    case 'string':
      return copyText(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : '\\N';
    case 'boolean':
    case 'bigint':
      return String(v);
    default:
      if (type === 'text[]' && Array.isArray(v)) return copyText(pgTextArray(v as string[]));
      return copyText(JSON.stringify(v));
  }
}

/**
 * One row as a batch sends it: a line of COPY's text format, its values in `columns` order,
 * ending in a line feed.
 */
export function encodeRow(columns: readonly BulkColumn[], values: unknown[]): string {
  const fields = new Array<string>(columns.length);
  for (let i = 0; i < columns.length; i++) fields[i] = copyValue(columns[i]!.type, values[i]);
  fields[columns.length - 1] += '\n';
  // Joined rather than concatenated: one flat string per row, not a chain of pieces that a
  // batch of thousands would hold until it is sent.
  return fields.join('\t');
}

/**
 * Inserts `rows` (objects keyed by column name; a missing key is null) with `fixed` values on
 * every row. Returns the number of rows inserted.
 */
export async function insertJsonRows(
  db: DbOrTx,
  target: BulkTarget,
  fixed: readonly FixedValue[],
  rows: readonly object[],
): Promise<number> {
  const columns = target.columns;
  const encoded = rows.map((row) => {
    const r = row as Record<string, unknown>;
    return encodeRow(columns, columns.map((c) => r[c.name]));
  });
  return insertEncodedRows(db, target, fixed, encoded);
}

/** Inserts rows encoded by `encodeRow` with `fixed` values on every row; returns how many went in. */
export async function insertEncodedRows(
  db: DbOrTx,
  target: BulkTarget,
  fixed: readonly FixedValue[],
  encoded: readonly string[],
): Promise<number> {
  if (encoded.length === 0) return 0;
  const names = [...fixed.map((f) => f.name), ...target.columns.map((c) => c.name)];
  let data: string;
  if (fixed.length === 0) data = encoded.join('');
  else {
    const lead = fixed.map((f) => copyValue(f.type, f.value)).join('\t') + '\t';
    data = lead + encoded.join(lead);
  }
  return copyRows(db, target.table, names, data);
}
