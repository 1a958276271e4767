/**
 * Batch inserts that are fast on both backends: one statement per batch, the rows sent as one
 * JSON array of arrays (no repeated key names) and spread into columns by
 * `insert … select (e->>0)::type, … from jsonb_array_elements($1::jsonb) e`. Measured on
 * PostgreSQL 15 against `json_to_recordset` with named keys, for 80k fact rows: ~35% less time,
 * and the payload is less than half the size. Values shared by the whole batch (the report id,
 * say) are parameters of their own instead of being repeated in every row.
 */
import { sql, type RawBuilder } from 'kysely';
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
  /** When set, rows whose key already exists are skipped (and not counted). */
  readonly onConflictDoNothing?: boolean;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
const TYPE = /^[a-z]+(\[\])?$/;

function ident(name: string): RawBuilder<unknown> {
  if (!IDENT.test(name)) throw new Error(`bulk insert: bad identifier ${name}`);
  return sql.raw(`"${name}"`);
}

function sqlType(type: string): RawBuilder<unknown> {
  if (!TYPE.test(type)) throw new Error(`bulk insert: bad type ${type}`);
  return sql.raw(type);
}

/** The expression that reads element `i` of the row array `e` as the column's type. */
function element(column: BulkColumn, i: number): RawBuilder<unknown> {
  if (!TYPE.test(column.type)) throw new Error(`bulk insert: bad type ${column.type}`);
  // jsonb keeps the value as it is (a JSON null is SQL NULL); anything else goes through text,
  // text[] as a PostgreSQL array literal built by pgTextArray.
  return column.type === 'jsonb'
    ? sql.raw(`nullif(e->${i}, 'null'::jsonb)`)
    : sql.raw(`(e->>${i})::${column.type}`);
}

/** A PostgreSQL array literal of strings: `{"a","b \\"c\\""}`. */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/**
 * One row as a batch sends it: a JSON array of its values in `columns` order (text[] values as
 * PostgreSQL array literals). Writers that encode each row as they read it keep a batch as a
 * few thousand strings instead of objects, which the garbage collector copies far less.
 */
export function encodeRow(columns: readonly BulkColumn[], values: unknown[]): string {
  for (let i = 0; i < columns.length; i++) {
    const v = values[i];
    if (v === undefined) values[i] = null;
    else if (columns[i]!.type === 'text[]' && Array.isArray(v)) values[i] = pgTextArray(v as string[]);
  }
  return JSON.stringify(values);
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
  const names = [...fixed.map((f) => f.name), ...target.columns.map((c) => c.name)].map(ident);
  const values = [
    ...fixed.map((f) => sql`cast(${f.value} as ${sqlType(f.type)})`),
    ...target.columns.map((c, i) => element(c, i)),
  ];
  const result = await sql`
    insert into ${ident(target.table)} (${sql.join(names)})
    select ${sql.join(values)}
    from jsonb_array_elements(cast(${`[${encoded.join(',')}]`} as jsonb)) as e
    ${target.onConflictDoNothing ? sql`on conflict do nothing` : sql``}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
