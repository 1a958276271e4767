/**
 * The benchmark stores: the export workspace loaded once into a dedicated PostgreSQL schema
 * through the real import paths (loadGeneratedFiles), and into a PGlite data directory under
 * bench/.work/ — as a copy of the PostgreSQL store's rows (copy-store.ts) when that is at hand,
 * else through the import paths too — and reused while they hold the same workspace: the
 * manifest digest is recorded in a one-row table `bench_workspace` beside the application's tables.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { loadGeneratedFiles } from '../../src/local/load-demo.ts';
import { openStore, type Store } from '../../src/store/open.ts';
import type { ReadyWorkspace } from './workspaces.ts';
import { copyPostgresToPglite } from './copy-store.ts';
import { BENCH_NOW } from './workspaces.ts';

export type Backend = 'postgres' | 'pglite';

/** A connection string whose sessions use `schema` (how the `wsa` child processes get theirs). */
export function urlWithSchema(databaseUrl: string, schema: string): string {
  // Encoded by hand: URLSearchParams writes a space as '+', which libpq (psql) does not decode.
  const option = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return databaseUrl.includes('?') ? `${databaseUrl}&${option}` : `${databaseUrl}?${option}`;
}

export async function adminQuery(databaseUrl: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/** Opens the store of one backend: PostgreSQL in `schema`, or PGlite under `dataDir`. */
export async function openBackend(backend: Backend, where: { databaseUrl: string; schema: string; dataDir: string }): Promise<Store> {
  if (backend === 'postgres') {
    await adminQuery(where.databaseUrl, `create schema if not exists ${where.schema}`);
    return openStore({ databaseUrl: where.databaseUrl, schema: where.schema, poolSize: 4 });
  }
  return openStore({ dataDir: where.dataDir });
}

/** Removes a store entirely (schema or data directory). */
export async function dropBackend(backend: Backend, where: { databaseUrl: string; schema: string; dataDir: string }): Promise<void> {
  if (backend === 'postgres') await adminQuery(where.databaseUrl, `drop schema if exists ${where.schema} cascade`);
  else rmSync(where.dataDir, { recursive: true, force: true });
}

async function recordedDigest(store: Store): Promise<string | undefined> {
  await sql`create table if not exists bench_workspace (id integer primary key check (id = 1), digest text not null, loaded_at timestamptz not null default now(), load_ms integer)`.execute(
    store.db,
  );
  const { rows } = await sql<{ digest: string }>`select digest from bench_workspace where id = 1`.execute(store.db);
  return rows[0]?.digest;
}

export interface BenchStore {
  store: Store;
  backend: Backend;
  /** Opening the store (migrations checked), as a process starting up would. */
  openMs: number;
  reused: boolean;
  loadMs: number;
  /** How it was filled: the import paths, or a copy of the PostgreSQL store. */
  loadedBy: 'import' | 'copy' | null;
}

/**
 * The export workspace in a store of `backend`, loaded unless the store already holds the same
 * digest. A store holding anything else is dropped and rebuilt.
 */
export async function ensureLoadedStore(
  backend: Backend,
  where: { databaseUrl: string; schema: string; dataDir: string },
  workspace: ReadyWorkspace,
  log: (line: string) => void,
  /** PGlite only: a PostgreSQL store holding the same workspace, to copy instead of importing. */
  copyFrom?: () => Promise<{ databaseUrl: string; schema: string } | null>,
): Promise<BenchStore> {
  let started = performance.now();
  let store = await openBackend(backend, where);
  let openMs = performance.now() - started;
  const digest = workspace.manifest.digest;
  if ((await recordedDigest(store)) === digest) return { store, backend, openMs, reused: true, loadMs: 0, loadedBy: null };

  await store.close();
  await dropBackend(backend, where);
  const source = backend === 'pglite' && copyFrom ? await copyFrom() : null;
  const loadStart = performance.now();
  if (source) {
    // The copy writes the data directory itself; the store is opened after it.
    log(`pglite: copying the PostgreSQL store (schema ${source.schema}) into ${where.dataDir}…`);
    try {
      const copied = await copyPostgresToPglite(source, where.dataDir, log);
      log(`pglite: copied ${copied.rows.toLocaleString('en-US')} rows of ${copied.tables} tables`);
    } catch (error) {
      await dropBackend(backend, where);
      throw error;
    }
  }
  const copyMs = performance.now() - loadStart;
  started = performance.now();
  store = await openBackend(backend, where);
  openMs = performance.now() - started;
  await recordedDigest(store);
  let loadMs = copyMs;
  if (!source) {
    log(`${backend}: loading ${workspace.manifest.files.length} files (${workspace.manifest.options.users.toLocaleString('en-US')} users) through the import paths…`);
    const importStart = performance.now();
    await loadGeneratedFiles(store.db, workspace.dir, workspace.manifest, { clock: fixedClock(BENCH_NOW), logger: silentLogger(), demo: false });
    loadMs = performance.now() - importStart;
  }
  await sql`insert into bench_workspace (id, digest, load_ms) values (1, ${digest}, ${Math.round(loadMs)})`.execute(store.db);
  // Fresh statistics and no dead rows, as autovacuum would have left a server by the time anyone
  // asks (PGlite has no autovacuum: its store is vacuumed here the same way).
  await sql`vacuum analyze`.execute(store.db);
  return { store, backend, openMs, reused: false, loadMs, loadedBy: source ? 'copy' : 'import' };
}

export function benchLocations(workRoot: string, name: string, databaseUrl: string) {
  return { databaseUrl, schema: `wsa_bench_${name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`, dataDir: join(workRoot, `pglite-${name}`) };
}
