/**
 * Once per run: build a migrated PGlite data directory and dump it, so each test file starts its
 * embedded store from the template instead of running initdb (~5 s) and the migrations again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { processAlive } from '../../src/store/lock.ts';
import { PGliteDialect } from '../../src/store/pglite-dialect.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import type { Database } from '../../src/store/schema.ts';

let dir: string | undefined;

/** Drops test schemas left by runs whose process no longer exists (a killed run cannot clean up). */
async function dropStaleSchemas(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname like 'wsa\\_test\\_%'",
    );
    for (const { nspname } of rows) {
      const pid = Number(/^wsa_test_(\d+)_/.exec(nspname)?.[1]);
      if (pid && !processAlive(pid)) await client.query(`drop schema if exists "${nspname}" cascade`);
    }
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) await dropStaleSchemas(process.env.TEST_DATABASE_URL);
  dir = mkdtempSync(join(tmpdir(), 'wsa-template-'));
  const pglite = await PGlite.create();
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir('gzip');
  const file = join(dir, 'template.tar.gz');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteTemplate', file);
  return () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
