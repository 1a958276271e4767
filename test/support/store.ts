/**
 * Real stores for tests: PGlite (from the migrated template) always, and PostgreSQL when
 * TEST_DATABASE_URL is set, each test file in a schema of its own so parallel workers never
 * share tables. `clearStore` empties every table between tests.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type Store, type StoreBackend } from '../../src/store/open.ts';
import type { Db } from '../../src/store/schema.ts';
import { APPLICATION_TABLES } from '../../src/store/tables.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/** The backends a suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function backends(): StoreBackend[] {
  return TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestStore extends Store {
  /** The PostgreSQL schema of this store (postgres only). */
  readonly schema?: string;
}

export async function openTestStore(backend: StoreBackend): Promise<TestStore> {
  if (backend === 'pglite') {
    const template = readFileSync(inject('pgliteTemplate'));
    return openStore({ inMemory: true, loadDataDir: new Blob([template]) });
  }
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `wsa_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 4 });
  return {
    ...store,
    schema,
    async close() {
      await store.close();
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}


/** Empties every application table (not the migration bookkeeping). */
export async function clearStore(db: Db): Promise<void> {
  const { rows } = await sql<{ tablename: string }>`
    select tablename from pg_tables
    where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(db);
  const names = rows.map((r) => r.tablename);
  for (const t of APPLICATION_TABLES) if (!names.includes(t)) throw new Error(`missing table ${t}`);
  for (const t of names) if (!(APPLICATION_TABLES as readonly string[]).includes(t)) throw new Error(`table ${t} is not listed in src/store/tables.ts`);
  await sql.raw(`truncate ${names.map((n) => `"${n}"`).join(', ')} restart identity cascade`).execute(db);
}
