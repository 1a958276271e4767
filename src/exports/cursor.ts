/**
 * Rows of one statement read page by page through a database cursor (`DECLARE … CURSOR`, then
 * `FETCH`), on PostgreSQL and PGlite alike: the database sorts and ranks once, and the export
 * holds one page at a time, whatever the row count. (Kysely's `.stream()` needs pg-cursor on pg
 * and PGlite's dialect has none; a cursor is plain SQL both understand.)
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';

/** Rows fetched per round trip: 500 keeps a 100k-row export within 100 MB of an idle process (2,000: +112 MB). */
export const PAGE_ROWS = 500;

let cursors = 0;

/**
 * Yields the statement's rows a page at a time. Runs inside `trx` (a cursor lives in its
 * transaction); the cursor is closed when the reader stops early too.
 */
export async function* cursorPages<R>(trx: Transaction<Database>, query: RawBuilder<R>, pageRows = PAGE_ROWS): AsyncGenerator<R[]> {
  const name = sql.id(`wsa_export_${++cursors}`);
  // Every row will be read: plan for the whole result, not for a fast first page. And no nested
  // loops: right after an import the statistics still say "20 rows" (PGlite never analyzes by
  // itself), and a nested loop over two 100k-row sides is quadratic; hash joins are linear.
  await sql`set local cursor_tuple_fraction = 1`.execute(trx);
  await sql`set local enable_nestloop = off`.execute(trx);
  await sql`declare ${name} no scroll cursor for ${query}`.execute(trx);
  let fetched = true;
  try {
    for (;;) {
      fetched = false;
      const { rows } = await sql<R>`fetch forward ${sql.lit(pageRows)} from ${name}`.execute(trx);
      fetched = true;
      if (rows.length > 0) yield rows;
      if (rows.length < pageRows) return;
    }
  } finally {
    // After a failed fetch the transaction is aborted (its rollback ends the cursor too).
    if (fetched) await sql`close ${name}`.execute(trx);
  }
}
