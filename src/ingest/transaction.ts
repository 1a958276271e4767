/** Helpers for running one import in one transaction. */
import type { Db, DbOrTx } from '../store/schema.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';

/**
 * Runs `work` in a transaction of its own, or inside the caller's when `db` already is one (the
 * caller then owns the all-or-nothing).
 */
export async function inTransaction<T>(db: DbOrTx, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return (db as Db).transaction().execute(work);
}

/** The UTC calendar day of an instant, `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}
