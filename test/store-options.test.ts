/**
 * The store's session settings. PostgreSQL's (JIT off, 64 MB work_mem) hold whatever the URL says:
 * pg lets a URL's `options` parameter replace the pool's, so a URL that sets a search_path there
 * (as the benchmarks' do) used to run every statement with JIT on and 4 MB of work_mem. PGlite's
 * one session gets the same work_mem.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore, sessionOptions } from '../src/store/open.ts';
import { TEST_DATABASE_URL } from './support/store.ts';

describe('session options', () => {
  it('keeps a URL without options as it is', () => {
    expect(sessionOptions('postgresql://u:p%40ss@h:5432/db?sslmode=disable', '-c jit=off')).toEqual({
      connectionString: 'postgresql://u:p%40ss@h:5432/db?sslmode=disable',
      options: '-c jit=off',
    });
    expect(sessionOptions('host=h dbname=db', '-c jit=off')).toEqual({ connectionString: 'host=h dbname=db', options: '-c jit=off' });
  });

  it("puts the URL's options after ours and takes them out of the URL", () => {
    expect(sessionOptions('postgresql://u@h/db?options=-c%20search_path%3Dx&application_name=wsa', '-c jit=off')).toEqual({
      connectionString: 'postgresql://u@h/db?application_name=wsa',
      options: '-c jit=off -c search_path=x',
    });
  });
});

describe.runIf(TEST_DATABASE_URL)('a PostgreSQL URL naming a search_path in its options', () => {
  it('still runs with JIT off and 64 MB of work_mem, in that schema', async () => {
    const schema = `wsa_test_options_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    try {
      const url = new URL(TEST_DATABASE_URL!);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const store = await openStore({ databaseUrl: url.href, migrate: false, poolSize: 1 });
      try {
        const { rows } = await sql<{ jit: string; work_mem: string; schema: string }>`
          select current_setting('jit') as jit, current_setting('work_mem') as work_mem, current_schema() as schema`.execute(store.db);
        expect(rows[0]).toEqual({ jit: 'off', work_mem: '64MB', schema });
      } finally {
        await store.close();
      }
    } finally {
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    }
  });
});

describe('an embedded PGlite store', () => {
  // Its one session gets the server's work_mem too: at PGlite's 4 MB default an answer's per-item
  // aggregates of a 100k-user workspace sorted on disk.
  it.each([true, false])('runs with 64 MB of work_mem, also after a rolled-back transaction (own thread: %s)', async (pgliteThread) => {
    const store = await openStore({ inMemory: true, migrate: false, pgliteThread });
    try {
      const setting = async () =>
        (await sql<{ work_mem: string }>`select current_setting('work_mem') as work_mem`.execute(store.db)).rows[0]?.work_mem;
      expect(await setting()).toBe('64MB');
      await store.db
        .transaction()
        .execute(async (tx) => {
          await sql`set local work_mem = '1MB'`.execute(tx);
          throw new Error('roll back');
        })
        .catch(() => undefined);
      expect(await setting()).toBe('64MB');
    } finally {
      await store.close();
    }
  });
});
