/**
 * Rows written straight into their real table, batch by batch, inside the import's transaction,
 * while the file is still being read (docs/design.md §4, "Data in"). The database inserts one
 * batch (and runs the table's statement triggers over it) while the process parses the next, so
 * the two work side by side instead of one after the other.
 *
 * Uniqueness within the file is not asked of the table: the keys go to a key stage
 * (staging.ts), checked once the file is read, and every problem rolls the whole transaction
 * back. Until then a batch row whose key is already in the table — a duplicate the check will
 * report — is skipped (`on conflict do nothing`) so that the transaction stays usable for the
 * rest of the file. A file without duplicates must then have written every row it sent:
 * `checkAllWritten` says so, so a row can never be dropped silently.
 */
import type { DbOrTx } from '../store/schema.ts';
import { insertEncodedRows, type BulkColumn, type FixedValue } from './bulk-insert.ts';

export class TableBatches {
  readonly #table: string;
  readonly #columns: readonly BulkColumn[];
  readonly #fixed: readonly FixedValue[];
  #sent = 0;
  #written = 0;

  /** `columns` as the rows are encoded (encodeRow); `fixed` values go on every row. */
  constructor(table: string, columns: readonly BulkColumn[], fixed: readonly FixedValue[]) {
    this.#table = table;
    this.#columns = columns;
    this.#fixed = fixed;
  }

  /** Rows that went into the table. */
  get written(): number {
    return this.#written;
  }

  /** Inserts rows encoded by `encodeRow`. */
  async append(db: DbOrTx, encoded: readonly string[]): Promise<void> {
    if (encoded.length === 0) return;
    this.#sent += encoded.length;
    this.#written += await insertEncodedRows(
      db,
      { table: this.#table, columns: this.#columns, onConflictDoNothing: true },
      this.#fixed,
      encoded,
    );
  }

  /**
   * Once the file has no problem (no duplicate key): every row sent is in the table. A row
   * skipped then would have met a key stored by something other than this file.
   */
  checkAllWritten(): void {
    if (this.#written !== this.#sent) {
      throw new Error(`${this.#table}: ${this.#sent - this.#written} of ${this.#sent} rows met a key already stored; nothing was imported`);
    }
  }
}
