/**
 * Statements run side by side on connections of their own, reading the data as of one moment:
 * the first transaction exports its snapshot (`pg_export_snapshot()`), the others import it
 * (`set transaction snapshot`) before their first query, so a write committed meanwhile is seen
 * by none or by all of them — as if they were one statement. An answer split into parts that run
 * on two cores (metrics/groups-breakdown.ts) adds up numbers from one state of the data, never
 * a mix of two.
 *
 * A snapshot can only be imported while the transaction that exported it is open. Once its own
 * work is done, the exporting transaction waits for the others to have imported it, but at most
 * IMPORT_WAIT_MS: with a busy pool an unbounded wait could last forever (each such transaction
 * holding a connection that another's partner needs). A partner that starts too late misses the
 * snapshot; then `inOneSnapshot` gives null and the caller runs the work another way. An embedded
 * store has one connection: nothing runs side by side there.
 */
import { sql, type Transaction } from 'kysely';
import type { Database, Db } from './schema.ts';

const oneConnection = new WeakSet<Db>();

/** Marks a store's handle as one connection (the embedded store), where nothing runs side by side. */
export function markOneConnection(db: Db): void {
  oneConnection.add(db);
}

/** Whether statements on `db` can run side by side (a pool of connections). */
export function runsSideBySide(db: Db): boolean {
  return !oneConnection.has(db);
}

/** What `pg_export_snapshot()` returns: hexadecimal parts joined by dashes. */
const SNAPSHOT_ID = /^[0-9A-F]+(-[0-9A-F]+)+$/i;

/** SQLSTATE invalid_parameter_value: an imported snapshot that is no longer (or never was) exported. */
const INVALID_PARAMETER_VALUE = '22023';

/** A partner that started after the exporting transaction ended. */
const MISSED = Symbol('missed');

/** How long the exporting transaction, its own work done, keeps the snapshot open for the others. */
export const IMPORT_WAIT_MS = 250;

type Run<T> = (trx: Transaction<Database>) => Promise<T>;

/** A promise and the function that settles it (Node 20 has no `Promise.withResolvers`). */
function settledBy<T>(): { promise: Promise<T>; settle: (value: T) => void } {
  let settle!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

/**
 * Runs each of `runs` in a repeatable-read transaction of its own, side by side, all reading the
 * first one's snapshot; `setup` runs first in each (transaction-local settings). Returns their
 * results in order, or null when a partner could not share the snapshot (its result is dropped:
 * the caller falls back). Errors of a run are thrown.
 */
export async function inOneSnapshot<T>(db: Db, runs: ReadonlyArray<Run<T>>, setup: Run<void>): Promise<T[] | null> {
  const { promise: snapshot, settle: exported } = settledBy<string | null>();
  // Each partner's import, settled once it has the snapshot or cannot have it.
  const imports = runs.slice(1).map(() => settledBy<void>());
  const first = db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await setup(trx);
      const { rows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
      exported(rows[0]!.id);
      const result = await runs[0]!(trx);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(imports.map((i) => i.promise)),
        new Promise((resolve) => {
          timer = setTimeout(resolve, IMPORT_WAIT_MS);
        }),
      ]);
      clearTimeout(timer);
      return result;
    })
    .finally(() => exported(null));
  const others = runs.slice(1).map(async (run, i): Promise<T | typeof MISSED> => {
    const settle = imports[i]!.settle;
    try {
      const id = await snapshot;
      if (id === null) return MISSED;
      if (!SNAPSHOT_ID.test(id)) throw new Error(`unexpected snapshot id ${JSON.stringify(id)}`);
      return await db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          // Before any query of the transaction, as PostgreSQL requires; a literal (no parameters
          // in SET), checked above.
          try {
            await sql.raw(`set transaction snapshot '${id}'`).execute(trx);
          } finally {
            settle();
          }
          await setup(trx);
          return run(trx);
        });
    } catch (error) {
      if ((error as { code?: unknown }).code === INVALID_PARAMETER_VALUE) return MISSED;
      throw error;
    } finally {
      settle();
    }
  });
  const results = await Promise.all([first, ...others]);
  return results.some((r) => r === MISSED) ? null : (results as T[]);
}
