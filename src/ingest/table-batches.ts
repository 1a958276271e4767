/**
 * Rows written straight into their real tables, batch by batch, inside the import's transaction,
 * while the file is still being read (docs/design.md §4, "Data in"). The database inserts one
 * batch (and runs the tables' statement triggers over it) while the process parses the next, so
 * the two work side by side instead of one after the other.
 *
 * Uniqueness within the file is not asked of the tables: the keys go to a key stage
 * (staging.ts), checked once the file is read, and any problem rolls the whole transaction back.
 * A batch is written in a savepoint of its own, so a key the table already holds — a duplicate
 * that the key check will report with its lines — undoes that batch alone and stops the writing
 * (the file is refused anyway), and the transaction stays usable for the rest of the file. Each
 * table's rows go in by one COPY (bulk-insert.ts), which has no `on conflict do nothing`; nor did
 * the inserts before it use one: a per-row conflict probe cost about 30 % of the insert, for a
 * case that ends in a refusal.
 *
 * One savepoint per batch is one subtransaction: past 64 of them (about 316,000 rows at the default
 * batch size) PostgreSQL stops caching their ids for other sessions' snapshots, which then look
 * up this import's uncommitted rows in pg_subtrans until it ends. Nothing else changes.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../store/schema.ts';
import { insertEncodedRows, type BulkColumn, type FixedValue } from './bulk-insert.ts';

/** SQLSTATE unique_violation. */
const UNIQUE_VIOLATION = '23505';

/** One real table's rows: its columns as the rows are encoded (encodeRow), values on every row. */
export class TableRows {
  readonly table: string;
  readonly #columns: readonly BulkColumn[];
  readonly #fixed: readonly FixedValue[];
  #written = 0;

  constructor(table: string, columns: readonly BulkColumn[], fixed: readonly FixedValue[]) {
    this.table = table;
    this.#columns = columns;
    this.#fixed = fixed;
  }

  /** Rows that went into the table. */
  get written(): number {
    return this.#written;
  }

  /** Inserts rows encoded by `encodeRow` (inside BatchWrites.write). */
  async insert(db: DbOrTx, encoded: readonly string[]): Promise<void> {
    if (encoded.length === 0) return;
    this.#written += await insertEncodedRows(db, { table: this.table, columns: this.#columns }, this.#fixed, encoded);
  }
}

/** The batches of one file: each in a savepoint, until a key clashes. */
export class BatchWrites {
  /** The table whose key clashed, once one did: nothing more is written. */
  #clashed: string | undefined;

  /** Writes one batch (`work` inserts into TableRows); after a clash, does nothing. */
  async write(db: DbOrTx, work: () => Promise<void>): Promise<void> {
    if (this.#clashed !== undefined) return;
    await sql`savepoint wsa_batch`.execute(db);
    try {
      await work();
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      await sql`rollback to savepoint wsa_batch`.execute(db);
      this.#clashed = String((error as { table?: unknown }).table ?? 'its table');
      return;
    }
    await sql`release savepoint wsa_batch`.execute(db);
  }

  /**
   * Once the key check found no duplicate in the file: no batch clashed. One that did met a key
   * stored by something other than this file, and the file cannot go in whole.
   */
  checkNoClash(): void {
    if (this.#clashed !== undefined) {
      throw new Error(`a row of this file has a key that ${this.#clashed} already holds; nothing was imported`);
    }
  }
}
