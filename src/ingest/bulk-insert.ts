/**
 * Batch inserts that are fast on both backends: one statement per batch,
 * `insert … select … from json_to_recordset($1::json)`, the rows sent as one JSON text. Values
 * shared by the whole batch (the report id, say) are parameters of their own instead of being
 * repeated in every row.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '../store/schema.ts';

export interface BulkColumn {
  readonly name: string;
  /** SQL type json_to_recordset reads the value as (`text`, `integer`, `date`, `jsonb`, `text[]`…). */
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

function ident(name: string): RawBuilder<unknown> {
  if (!IDENT.test(name)) throw new Error(`bulk insert: bad identifier ${name}`);
  return sql.raw(`"${name}"`);
}

function sqlType(type: string): RawBuilder<unknown> {
  if (!/^[a-z]+(\[\])?$/.test(type)) throw new Error(`bulk insert: bad type ${type}`);
  return sql.raw(type);
}

/**
 * Inserts `rows` (objects keyed by column name; missing keys are null) with `fixed` values on
 * every row. Returns the number of rows inserted.
 */
export async function insertJsonRows(
  db: DbOrTx,
  target: BulkTarget,
  fixed: readonly FixedValue[],
  rows: readonly object[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const names = [...fixed.map((f) => f.name), ...target.columns.map((c) => c.name)].map(ident);
  const fixedValues = fixed.map((f) => sql`cast(${f.value} as ${sqlType(f.type)})`);
  const columnRefs = target.columns.map((c) => sql`t.${ident(c.name)}`);
  const definitions = target.columns.map((c) => sql`${ident(c.name)} ${sqlType(c.type)}`);
  const result = await sql`
    insert into ${ident(target.table)} (${sql.join(names)})
    select ${sql.join([...fixedValues, ...columnRefs])}
    from json_to_recordset(cast(${JSON.stringify(rows)} as json)) as t(${sql.join(definitions)})
    ${target.onConflictDoNothing ? sql`on conflict do nothing` : sql``}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
