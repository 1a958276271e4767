/**
 * A store for one benchmark script, thrown away after: PGlite in memory, or a schema of its own on
 * the PostgreSQL server (dropped when done).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/open.ts';

/** The PostgreSQL server `npm run bench` uses when BENCH_DATABASE_URL is not set. */
export const DEFAULT_BENCH_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';

export async function throwawayStore(backend: 'postgres' | 'pglite', databaseUrl: string | undefined, prefix: string): Promise<{ store: Store; drop: () => Promise<void> }> {
  if (backend === 'pglite') {
    const store = await openStore({ inMemory: true });
    return { store, drop: () => store.close() };
  }
  databaseUrl ??= DEFAULT_BENCH_DATABASE_URL;
  const schema = `${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`create schema ${schema}`);
  const store = await openStore({ databaseUrl, schema });
  return {
    store,
    async drop() {
      await store.close();
      await run(`drop schema if exists ${schema} cascade`);
    },
  };
}
