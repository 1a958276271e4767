/**
 * The embedded store's PGlite runs in a thread of its own (src/store/pglite-thread.ts): a long
 * query no longer holds the event loop that reads sockets, and everything the store did in-process
 * — transactions, errors with their SQLSTATE, COPY through /dev/blob, the type parsers, closing —
 * works the same through the thread.
 */
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from '../src/store/open.ts';
import { pgliteCopy } from '../src/store/pglite-dialect.ts';
import { PGliteError, PGliteThread } from '../src/store/pglite-thread.ts';
import { readLock } from '../src/store/lock.ts';

/** A query PGlite needs a while for (about a second on an idle core, several on a busy one). */
const SLOW_QUERY = sql<{ n: number }>`select count(distinct md5(g::text)) as n from generate_series(1, 600000) g`;
const TICK_MS = 10;

function fromTemplate(pgliteThread: boolean): Promise<Store> {
  const template = readFileSync(inject('pgliteTemplate'));
  return openStore({ inMemory: true, loadDataDir: new Blob([template]), pgliteThread });
}

/**
 * Runs the slow query while a timer ticks every 10 ms and, 50 ms in, a loopback HTTP request is
 * made: what this thread could do while the query ran.
 */
async function probeDuring(store: Store, server: Server) {
  const port = (server.address() as AddressInfo).port;
  let ticks = 0;
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    ticks += 1;
  }, TICK_MS);
  const started = performance.now();
  let queryEnded = Number.NaN;
  const query = SLOW_QUERY.execute(store.db).then((r) => {
    queryEnded = performance.now();
    return r;
  });
  const answered = new Promise<number>((resolve, reject) => {
    setTimeout(() => {
      get({ host: '127.0.0.1', port, path: '/' }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now()));
      }).on('error', reject);
    }, 50);
  });
  const [result, answeredAt] = await Promise.all([query, answered]);
  clearInterval(timer);
  return { n: result.rows[0]?.n, queryMs: queryEnded - started, ticks, maxGap, httpBeforeQueryEnded: answeredAt < queryEnded };
}

describe('PGlite in its own thread', () => {
  let server: Server;
  let store: Store;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    store = await fromTemplate(true);
  });
  afterAll(async () => {
    await store?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('keeps timers and HTTP answering while a long query runs', async () => {
    const probe = await probeDuring(store, server);
    expect(probe.n).toBe(600000);
    // The query took long enough for blocking to show; the timer went on ticking throughout
    // (generously: a quarter of the ticks a free loop would manage on a busy machine) and the
    // HTTP request made 50 ms in was answered before the query ended.
    expect(probe.queryMs).toBeGreaterThan(200);
    expect(probe.ticks).toBeGreaterThan(probe.queryMs / TICK_MS / 4);
    expect(probe.maxGap).toBeLessThan(probe.queryMs / 2);
    expect(probe.httpBeforeQueryEnded).toBe(true);
  });

  it('blocks them in-process (the same probe on pgliteThread: false, what the thread fixes)', async () => {
    const inProcess = await fromTemplate(false);
    try {
      const probe = await probeDuring(inProcess, server);
      expect(probe.n).toBe(600000);
      expect(probe.queryMs).toBeGreaterThan(200);
      // The loop was held for (nearly) the whole query: no HTTP answer before it ended.
      expect(probe.maxGap).toBeGreaterThan(probe.queryMs * 0.8);
      expect(probe.httpBeforeQueryEnded).toBe(false);
    } finally {
      await inProcess.close();
    }
  });

  it('parses columns as the store always has: int8 and numeric as numbers, dates as text', async () => {
    const { rows } = await sql<{ n: number; x: number; d: string; t: Date; j: unknown; b: Uint8Array }>`
      select 42::int8 as n, 1.25::numeric as x, '2025-11-02'::date as d,
             '2025-11-02T10:00:00Z'::timestamptz as t, '{"a":[1,"b"]}'::jsonb as j, '\\x0102'::bytea as b`.execute(store.db);
    expect(rows[0]?.n).toBe(42);
    expect(rows[0]?.x).toBe(1.25);
    expect(rows[0]?.d).toBe('2025-11-02');
    expect(rows[0]?.t).toBeInstanceOf(Date);
    expect(rows[0]?.t.toISOString()).toBe('2025-11-02T10:00:00.000Z');
    expect(rows[0]?.j).toEqual({ a: [1, 'b'] });
    expect([...(rows[0]?.b ?? [])]).toEqual([1, 2]);
  });

  it('passes parameters of every kind the store sends', async () => {
    const { rows } = await sql<{ a: string; b: number; c: string; d: boolean }>`
      select ${'x'}::text as a, ${7}::int as b, ${new Date('2025-01-02T03:04:05Z')}::timestamptz::text as c, ${true}::boolean as d`.execute(store.db);
    expect(rows[0]).toEqual({ a: 'x', b: 7, c: '2025-01-02 03:04:05+00', d: true });
  });

  it('gives errors their SQLSTATE, message, detail and constraint, with the caller in the stack', async () => {
    await sql`create table thread_t (id int primary key, name text not null)`.execute(store.db);
    await sql`insert into thread_t values (1, 'a')`.execute(store.db);
    const error = await sql`insert into thread_t values (1, 'b')`.execute(store.db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PGliteError);
    const e = error as PGliteError;
    expect(e.code).toBe('23505');
    expect(e.message).toBe('duplicate key value violates unique constraint "thread_t_pkey"');
    expect(e.detail).toBe('Key (id)=(1) already exists.');
    expect(e.constraint).toBe('thread_t_pkey');
    expect(e.stack).toContain('pglite-thread.test.ts');
    const syntax = (await sql`selec 1`.execute(store.db).catch((x: unknown) => x)) as PGliteError;
    expect(syntax.code).toBe('42601');
    expect(syntax.position).toBe('1');
  });

  it('rolls a failed transaction back, and the connection goes on', async () => {
    await sql`create table thread_tx (v int)`.execute(store.db);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await sql`insert into thread_tx values (1)`.execute(trx);
        await sql`insert into thread_tx values (1/0)`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '22012', message: 'division by zero' });
    await store.db.transaction().execute(async (trx) => {
      await sql`insert into thread_tx values (2)`.execute(trx);
    });
    const { rows } = await sql<{ v: number }>`select v from thread_tx`.execute(store.db);
    expect(rows).toEqual([{ v: 2 }]);
  });

  it("COPYs from and to '/dev/blob', inside a transaction (undone with it)", async () => {
    await sql`create table thread_copy (a int, b text)`.execute(store.db);
    await store.db.transaction().execute(async (trx) => {
      const copied = await pgliteCopy(trx, `copy thread_copy (a, b) from '/dev/blob'`, new Blob(['1\tone\n2\ttwo\n']));
      expect(copied.rowCount).toBe(2);
    });
    await expect(
      store.db.transaction().execute(async (trx) => {
        await pgliteCopy(trx, `copy thread_copy (a, b) from '/dev/blob'`, new Blob(['3\tthree\n']));
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const out = await pgliteCopy(store.db, `copy (select a, b from thread_copy order by a) to '/dev/blob' with (format csv)`);
    expect(await out.blob?.text()).toBe('1,one\n2,two\n');
    // A bad line is the COPY's error, with PostgreSQL's context.
    const bad = (await pgliteCopy(store.db, `copy thread_copy (a, b) from '/dev/blob'`, new Blob(['x\ty\n'])).catch((e: unknown) => e)) as PGliteError;
    expect(bad.code).toBe('22P02');
    expect(bad.where).toContain('line 1');
  });

  it('closes cleanly: twice is fine, and a query after it is refused', async () => {
    const closing = await fromTemplate(true);
    await closing.close();
    await closing.close();
    await expect(sql`select 1`.execute(closing.db)).rejects.toThrow();
  });
});

describe('the thread itself', () => {
  const OBJECTS = { rowMode: 'object' } as const;
  const template = () => new Blob([readFileSync(inject('pgliteTemplate'))]);

  it('posts queries in the order they were called: a COPY still reading its blob is not overtaken', async () => {
    const thread = await PGliteThread.start({ loadDataDir: template() });
    try {
      await thread.query('create table ordered (v text)', [], OBJECTS);
      // Neither is awaited before the other is called, as a caller pipelining them would.
      const copy = thread.query(`copy ordered from '/dev/blob'`, [], { ...OBJECTS, blob: new Blob(['x\n'.repeat(200_000)]) });
      const count = thread.query<{ n: number }>('select count(*)::int as n from ordered', [], OBJECTS);
      await copy;
      expect((await count).rows).toEqual([{ n: 200_000 }]);
    } finally {
      await thread.close();
    }
  });

  it('answers the queries called before a close, and refuses at once those called after it began', async () => {
    const thread = await PGliteThread.start({ loadDataDir: template() });
    const before = thread.query<{ v: number }>('select 41 + 1 as v', [], OBJECTS);
    const closed = thread.close();
    const after = thread.query('select 1', [], OBJECTS);
    await expect(after).rejects.toThrow(/closing|closed/);
    expect((await before).rows).toEqual([{ v: 42 }]);
    await closed;
    await expect(thread.query('select 1', [], OBJECTS)).rejects.toThrow('the embedded database is closed');
  });
});

describe('a persisted store in its own thread', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wsa-thread-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps its data across a close and reopen, holds the lock while open and releases it on close', async () => {
    const first = await openStore({ dataDir: dir });
    expect(readLock(dir)?.pid).toBe(process.pid);
    await sql`create table kept (v int)`.execute(first.db);
    await sql`insert into kept values (7)`.execute(first.db);
    await first.close();
    expect(readLock(dir)).toBeUndefined();
    const again = await openStore({ dataDir: dir });
    try {
      const { rows } = await sql<{ v: number }>`select v from kept`.execute(again.db);
      expect(rows).toEqual([{ v: 7 }]);
    } finally {
      await again.close();
    }
    expect(readdirSync(dir)).toContain('pgdata');
    // Two opens of a persisted store: initdb and the migrations, then a reopen (slow on a busy machine).
  }, 180_000);
});
