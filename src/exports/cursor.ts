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
 * transaction); the cursor is closed when the reader stops early too. The next page is asked for
 * before this one is handed over, so the database reads it while the caller writes this one.
 */
export async function* cursorPages<R>(trx: Transaction<Database>, query: RawBuilder<R>, pageRows = PAGE_ROWS): AsyncGenerator<R[]> {
  const name = sql.id(`wsa_export_${++cursors}`);
  // Every row will be read: plan for the whole result, not for a fast first page. And no nested
  // loops: right after an import the statistics still say "20 rows" (PGlite never analyzes by
  // itself), and a nested loop over two 100k-row sides is quadratic; hash joins are linear.
  await sql`set local cursor_tuple_fraction = 1`.execute(trx);
  await sql`set local enable_nestloop = off`.execute(trx);
  await sql`declare ${name} no scroll cursor for ${query}`.execute(trx);
  const fetchPage = () => {
    const page = sql<R>`fetch forward ${sql.lit(pageRows)} from ${name}`.execute(trx).then((r) => r.rows);
    // Awaited below; marked handled so a failure while the caller is busy is not "unhandled".
    page.catch(() => undefined);
    return page;
  };
  let next: Promise<R[]> | null = fetchPage();
  let failed = false;
  try {
    while (next) {
      const current: Promise<R[]> = next;
      next = null;
      let rows: R[];
      try {
        rows = await current;
      } catch (error) {
        failed = true;
        throw error;
      }
      if (rows.length === pageRows) next = fetchPage();
      if (rows.length > 0) yield rows;
    }
  } finally {
    if (next) failed = await next.then(() => false, () => true);
    // After a failed fetch the transaction is aborted (its rollback ends the cursor too).
    if (!failed) await sql`close ${name}`.execute(trx);
  }
}
