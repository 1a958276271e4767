/**
 * Opens the store: PostgreSQL through a `pg` pool when a URL is given, else embedded PGlite
 * persisted under the data directory (with its process lock). Both are migrated on open.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import { acquireLock, type StoreLock } from './lock.ts';
import { migrateToLatest } from './migrate.ts';
import { typeParsers } from './type-parsers.ts';
import type { Database, Db } from './schema.ts';

export type StoreBackend = 'postgres' | 'pglite';

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
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.databaseUrl ? openPostgres(options) : await openPGlite(options);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(store.db);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

function openPostgres(options: OpenStoreOptions): Store {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolSize ?? 10,
    // JIT compilation costs more than it saves on these short analytic queries (≈ 330 ms seen).
    // Per-user aggregates of a 100k-user workspace (ranking, tools, maps) spill to disk at the
    // default 4 MB work_mem; 64 MB keeps them in memory.
    options: `-c jit=off -c work_mem=64MB${options.schema ? ` -c search_path=${options.schema}` : ''}`,
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

/** Where PGlite keeps its database inside a data directory (WSA_DATA_DIR): beside the lock file. */
export function pgliteDataPath(root: string): string {
  return join(root, 'pgdata');
}

async function openPGlite(options: OpenStoreOptions): Promise<Store> {
  let lock: StoreLock | undefined;
  let dataDir: string | undefined;
  if (!options.inMemory) {
    const root = options.dataDir ?? './.wsa';
    mkdirSync(root, { recursive: true });
    lock = acquireLock(root);
    dataDir = pgliteDataPath(root);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      parsers: typeParsers,
      relaxedDurability: false,
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    backend: 'pglite',
    lock,
    async close() {
      await db.destroy();
      await pglite.close();
      lock?.release();
    },
  };
}
