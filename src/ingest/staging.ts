/**
 * The bulk load path of a CSV import (docs/design.md §4, "Data in"): rows are validated in the
 * process and sent, batch by batch, into a temporary staging table of the import's transaction —
 * no keys, no indexes, no triggers, no write-ahead log — and when the whole file has been read
 * they go into the real table in one set-based `insert … select`, sorted by the table's key. So
 * the real table's statement triggers (the aggregates of migration 0004 and the summaries after
 * it) run once per report instead of once per batch, its indexes take the rows in key order,
 * and uniqueness within the file is one `group by` over the staged keys instead of a conflict
 * check per batch. The staging table is dropped at commit (or with the rollback); two imports in
 * one transaction empty it first.
 */
import { sql, type RawBuilder } from 'kysely';
import { copyRows } from '../store/copy.ts';
import type { DbOrTx } from '../store/schema.ts';
import type { BulkColumn, FixedValue } from './bulk-insert.ts';

const IDENT = /^[a-z_][a-z0-9_]*$/;
const TYPE = /^[a-z]+(\[\])?$/;

function ident(name: string): RawBuilder<unknown> {
  if (!IDENT.test(name)) throw new Error(`staging: bad identifier ${name}`);
  return sql.raw(`"${name}"`);
}

/** A key staged twice: `line` the later of the two lines, `firstLine` the first line of that key. */
export interface Duplicate {
  readonly key: string;
  readonly line: number;
  readonly firstLine: number;
}

export interface StageTarget {
  /** The real table the rows end in. */
  readonly table: string;
  /** Its columns as the batches encode them (encodeRow order). */
  readonly columns: readonly BulkColumn[];
  /** Sort key of the final insert: the real table's primary key columns that the rows carry. */
  readonly orderBy: readonly string[];
}

export class Stage {
  readonly #name: string;
  readonly #target: StageTarget;
  #created = false;
  #rows = 0;

  /** `name` tells the stages of one import apart (`accounts`, `facts`, …). */
  constructor(name: string, target: StageTarget) {
    this.#name = `wsa_stage_${name}`;
    if (!IDENT.test(this.#name)) throw new Error(`staging: bad stage name ${name}`);
    for (const c of target.columns) {
      ident(c.name);
      if (!TYPE.test(c.type)) throw new Error(`staging: bad type ${c.type}`);
    }
    this.#target = target;
  }

  /** The staging table's name (a temporary table of the transaction). */
  get table(): string {
    return this.#name;
  }

  /** Rows staged so far. */
  get rows(): number {
    return this.#rows;
  }

  async #create(db: DbOrTx): Promise<void> {
    if (this.#created) return;
    const columns = this.#target.columns.map((c) => `"${c.name}" ${c.type}`).join(', ');
    await sql`create temp table if not exists ${ident(this.#name)} (${sql.raw(columns)}) on commit drop`.execute(db);
    await sql`truncate ${ident(this.#name)}`.execute(db);
    this.#created = true;
  }

  /** Stages rows encoded by `encodeRow` (COPY text lines) in the target's column order. */
  async append(db: DbOrTx, encoded: readonly string[]): Promise<void> {
    await this.appendCopy(db, encoded.join(''), encoded.length);
  }

  /**
   * Stages `count` rows given as one string in COPY's text format (store/copy.ts), columns in the
   * target's order, each row ending in a line feed.
   */
  async appendCopy(db: DbOrTx, rows: string, count: number): Promise<void> {
    await this.#create(db);
    if (count === 0) return;
    this.#rows += await copyRows(db, this.#name, this.#target.columns.map((c) => c.name), rows);
  }

  /**
   * The keys staged more than once, each later line paired with the first line of its key (the
   * messages name both). `keyColumn` is one of the staged columns; `position` must be another.
   */
  async duplicates(db: DbOrTx, keyColumn: string): Promise<Duplicate[]> {
    if (this.#rows === 0) return [];
    const key = ident(keyColumn);
    const { rows } = await sql<{ key: string; line: number; first_line: number }>`
      select key, line, first_line from (
        select ${key} as key, position as line, min(position) over (partition by ${key}) as first_line
        from ${ident(this.#name)}
        where ${key} in (select ${key} from ${ident(this.#name)} group by ${key} having count(*) > 1)
      ) d
      where line <> first_line
      order by line`.execute(db);
    return rows.map((r) => ({ key: r.key, line: r.line, firstLine: r.first_line }));
  }

  /**
   * Moves every staged row into the real table in one statement, with `fixed` values on every
   * row, sorted by the target's key. Returns how many went in.
   */
  async write(db: DbOrTx, fixed: readonly FixedValue[]): Promise<number> {
    if (this.#rows === 0) return 0;
    const names = [...fixed.map((f) => f.name), ...this.#target.columns.map((c) => c.name)].map(ident);
    const values = [
      ...fixed.map((f) => {
        if (!TYPE.test(f.type)) throw new Error(`staging: bad type ${f.type}`);
        return sql`cast(${f.value} as ${sql.raw(f.type)})`;
      }),
      ...this.#target.columns.map((c) => ident(c.name)),
    ];
    const result = await sql`
      insert into ${ident(this.#target.table)} (${sql.join(names)})
      select ${sql.join(values)} from ${ident(this.#name)}
      order by ${sql.join(this.#target.orderBy.map(ident))}`.execute(db);
    return Number(result.numAffectedRows ?? 0n);
  }
}
