/**
 * A Kysely dialect for embedded PGlite. PGlite is one connection, so the driver hands it out to
 * one Kysely connection at a time (a FIFO lock) — transactions never interleave. The Postgres
 * adapter, query compiler and introspector of Kysely are reused unchanged. The PGlite under it is
 * either PGlite itself (in this thread) or the store's PGlite thread (pglite-thread.ts): both
 * answer `query(sql, params, options)` the same way.
 *
 * `pgliteCopy` runs PGlite's `COPY … FROM '/dev/blob'` / `COPY … TO '/dev/blob'` through Kysely,
 * so it runs on the connection of the transaction it is given; the connection also runs copy.ts's
 * `CopyIn` (COPY FROM STDIN on either backend) that way.
 */
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { CopyIn } from './copy.ts';
import type { PGliteQueryable } from './pglite-thread.ts';

/** Where a COPY's bytes ride on a compiled query (PGlite's `blob` query option). */
const COPY_BLOB = Symbol('wsa.pglite.copyBlob');

type CopyQuery = CompiledQuery & { [COPY_BLOB]?: Blob | true };

/**
 * PGlite's COPY through `/dev/blob`, on `db` — a Kysely handle or a transaction (then inside it).
 * `COPY t (…) FROM '/dev/blob'` reads `data`; `COPY (…) TO '/dev/blob'` returns what it wrote.
 * PGlite only: PostgreSQL has no `/dev/blob` (use the driver's COPY there).
 */
export async function pgliteCopy(db: Kysely<any>, copySql: string, data?: Blob): Promise<{ rowCount: number; blob?: Blob }> {
  const query: CopyQuery = { ...CompiledQuery.raw(copySql), [COPY_BLOB]: data ?? true };
  const result = await db.executeQuery<{ blob?: Blob }>(query);
  const blob = result.rows[0]?.blob;
  return { rowCount: Number(result.numAffectedRows ?? 0), ...(blob ? { blob } : {}) };
}

export class PGliteDialect implements Dialect {
  readonly #pglite: PGliteQueryable;
  constructor(pglite: PGliteQueryable) {
    this.#pglite = pglite;
  }
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#pglite);
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  #queue: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(pglite: PGliteQueryable) {
    this.#connection = new PGliteConnection(pglite);
  }
  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
    return this.#connection;
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    let sql = 'begin';
    if (settings.isolationLevel) sql += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) sql += ` ${settings.accessMode}`;
    await connection.executeQuery(CompiledQuery.raw(sql));
  }
  async commitTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }
  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }
  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
  async destroy(): Promise<void> {}
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGliteQueryable;
  constructor(pglite: PGliteQueryable) {
    this.#pglite = pglite;
  }
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // copy.ts's COPY FROM STDIN is PGlite's COPY FROM '/dev/blob', the rows as the blob.
    const copyIn = (compiled.sql as unknown) instanceof CopyIn ? (compiled.sql as unknown as CopyIn) : null;
    const copy = copyIn ? new Blob([copyIn.data]) : (compiled as CopyQuery)[COPY_BLOB];
    const text = copyIn ? copyIn.statement(`'/dev/blob'`) : compiled.sql;
    const result = await this.#pglite.query<R>(text, [...compiled.parameters], {
      rowMode: 'object',
      ...(copy instanceof Blob ? { blob: copy } : {}),
    });
    return {
      // A COPY … TO '/dev/blob' answers with no rows: its bytes come back as the one row.
      rows: copy && result.blob ? [{ blob: result.blob } as R] : result.rows,
      numAffectedRows:
        result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    };
  }
  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported on PGlite; page with keyset queries instead');
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
