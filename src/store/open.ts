/**
 * Opens the store: PostgreSQL through a `pg` pool when a URL is given, else embedded PGlite
 * persisted under the data directory (with its process lock). Both are migrated on open. The
 * driver of each is imported when that store is opened, not with this module: a `wsa` that
 * prints help or forwards to a local server loads neither.
 *
 * Embedded PGlite runs in a thread of its own (pglite-thread.ts) unless `pgliteThread: false`:
 * its queries are synchronous WebAssembly, and on the caller's thread a long one holds that
 * thread's event loop (every socket of a server) until it ends.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from './pglite-dialect.ts';
import { PGliteThread, type PGliteQueryable } from './pglite-thread.ts';
import { acquireLock, type StoreLock } from './lock.ts';
import { migrateToLatest } from './migrate.ts';
import { typeParsers } from './type-parsers.ts';
import type { Database, Db } from './schema.ts';
import { markOneConnection } from './one-snapshot.ts';

export type StoreBackend = 'postgres' | 'pglite';

/** The embedded store's directory when WSA_DATA_DIR is not set. */
const DEFAULT_DATA_DIR = './.wsa';

export interface Store {
  readonly db: Db;
  readonly backend: StoreBackend;
  /** Present for the embedded store. */
  readonly lock: StoreLock | undefined;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  databaseUrl?: string | undefined;
  /** PostgreSQL schema to use (tests give each worker its own). */
  schema?: string;
  dataDir?: string;
  /** Embedded only: an in-memory database (tests). */
  inMemory?: boolean;
  /** Embedded only: start from a dumped data directory (a migrated template). */
  loadDataDir?: Blob;
  migrate?: boolean;
  poolSize?: number;
  /**
   * Embedded only: run PGlite in a thread of its own (default), or on this thread (`false`: what
   * every store did before; kept to measure against, and for a process with nothing else to do).
   */
  pgliteThread?: boolean;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.databaseUrl ? await openPostgres(options) : await openPGlite(options);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(store.db);
    } catch (error) {
      await store.close();
      throw error;
    }
    // Migrations may have added files to an embedded store.
    if (store.backend === 'pglite' && !options.inMemory) tightenDataDir(pgliteDataPath(options.dataDir ?? DEFAULT_DATA_DIR));
  }
  return store;
}

/** Memory a sort or hash of one statement may use before spilling to disk (both backends). */
const SESSION_WORK_MEM = '64MB';

async function openPostgres(options: OpenStoreOptions): Promise<Store> {
  const { default: pg } = await import('pg');
  // JIT compilation costs more than it saves on these short analytic queries (≈ 330 ms seen; an
  // export's statement looks costly enough to be optimised by LLVM: seconds). Per-user aggregates
  // of a 100k-user workspace (ranking, tools, maps) spill to disk at the default 4 MB work_mem;
  // 64 MB keeps them in memory.
  const session = sessionOptions(options.databaseUrl!, `-c jit=off -c work_mem=${SESSION_WORK_MEM}${options.schema ? ` -c search_path=${options.schema}` : ''}`);
  const pool = new pg.Pool({
    connectionString: session.connectionString,
    max: options.poolSize ?? 10,
    options: session.options,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        typeParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    backend: 'postgres',
    lock: undefined,
    close: () => db.destroy(),
  };
}

/**
 * The URL without its `options` parameter, and our session settings followed by that parameter's
 * (a later `-c` wins, so the URL's own settings still take effect). pg lets a parameter of the URL
 * replace the pool's option of the same name: a URL naming a `search_path` there would otherwise
 * drop our settings without a word.
 */
export function sessionOptions(databaseUrl: string, own: string): { connectionString: string; options: string } {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return { connectionString: databaseUrl, options: own };
  }
  const fromUrl = url.searchParams.get('options');
  if (fromUrl === null) return { connectionString: databaseUrl, options: own };
  url.searchParams.delete('options');
  return { connectionString: url.href, options: fromUrl ? `${own} ${fromUrl}` : own };
}

/** The data directory and PGlite's directories: the owner only. */
const PRIVATE_DIR_MODE = 0o700;
/** PGlite's files (it creates them 0666, whatever the umask): the owner only. */
const PRIVATE_FILE_MODE = 0o600;

/**
 * Takes group and world access away from everything under `dir` (PGlite writes its catalog files
 * world-writable). Symbolic links are left alone: their own mode means nothing.
 */
export function tightenModes(dir: string): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if ((lstatSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_DIR_MODE);
      tightenModes(path);
    } else if (entry.isFile() && (lstatSync(path).mode & 0o077) !== 0) {
      chmodSync(path, PRIVATE_FILE_MODE);
    }
  }
}

function tightenDataDir(dataDir: string): void {
  chmodSync(dataDir, PRIVATE_DIR_MODE);
  tightenModes(dataDir);
}

/** Where PGlite keeps its database inside a data directory (WSA_DATA_DIR): beside the lock file. */
export function pgliteDataPath(root: string): string {
  return join(root, 'pgdata');
}

async function openPGlite(options: OpenStoreOptions): Promise<Store> {
  let lock: StoreLock | undefined;
  let dataDir: string | undefined;
  if (!options.inMemory) {
    const root = options.dataDir ?? DEFAULT_DATA_DIR;
    mkdirSync(root, { recursive: true, mode: PRIVATE_DIR_MODE });
    // A directory that already exists is tightened too: it holds the database.
    chmodSync(root, PRIVATE_DIR_MODE);
    lock = acquireLock(root);
    dataDir = pgliteDataPath(root);
  }
  let pglite: PGliteQueryable & { close(): Promise<void> };
  try {
    pglite = await startPGlite(options, dataDir);
  } catch (error) {
    lock?.release();
    throw error;
  }
  // PGlite has created (or reopened) its files by now; files it adds later sit inside the
  // owner-only data directory, and are tightened when it closes.
  if (dataDir) tightenDataDir(dataDir);
  // The server's sessions' work_mem (openPostgres): at PGlite's default 4 MB an answer's per-item
  // and per-user aggregates of a 100k-user workspace sort on disk. Its one session keeps it.
  try {
    await pglite.query(`set work_mem = '${SESSION_WORK_MEM}'`, [], { rowMode: 'object' });
  } catch (error) {
    await pglite.close().catch(() => undefined);
    lock?.release();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  markOneConnection(db);
  return {
    db,
    backend: 'pglite',
    lock,
    async close() {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        // Even when closing failed (the thread died): the files are tightened and the lock let go,
        // so this process can open the store again.
        if (dataDir) tightenDataDir(dataDir);
        lock?.release();
      }
    },
  };
}

function startPGlite(options: OpenStoreOptions, dataDir: string | undefined) {
  const where = {
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  };
  if (options.pgliteThread !== false) return PGliteThread.start(where);
  return import('@electric-sql/pglite').then(({ PGlite }) =>
    PGlite.create({ ...where, parsers: typeParsers, relaxedDurability: false }),
  );
}
