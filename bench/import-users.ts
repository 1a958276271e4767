/**
 * Import rate of a 100k-row Users report (docs/design.md §10: ≤ 5 s on PostgreSQL), on PostgreSQL in a
 * fresh schema and on PGlite, through the same path `wsa import` takes (importFile). Floors are
 * measured in the same run, since absolute times on these machines vary up to 3×: bare csv-parse
 * over the file, the import's own CSV reader, and batched json_to_recordset inserts of as many
 * rows without any parsing.
 *
 *   node --import tsx bench/import-users.ts [--rows 100000] [--backend both|postgres|pglite]
 *        [--database-url postgresql://postgres@127.0.0.1:5432/test] [--work DIR (default bench/.work)]
 */
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { parse } from 'csv-parse';
import pg from 'pg';
import { fixedClock } from '../src/core/clock.ts';
import { CsvReader } from '../src/ingest/csv-reader.ts';
import { insertJsonRows } from '../src/ingest/bulk-insert.ts';
import { importFile } from '../src/ingest/import-files.ts';
import { silentLogger } from '../src/log.ts';
import { openStore, type Store } from '../src/store/open.ts';
import { writeUsersReport } from '../test/ingest/support/users-report-generator.ts';
import { usageOnHelp } from './lib/usage.ts';

usageOnHelp(import.meta.url);
const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    backend: { type: 'string', default: 'both' },
    'database-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/test' },
    work: { type: 'string' },
  },
});
const ROWS = Number(args.rows);
const WORK = args.work ?? fileURLToPath(new URL('./.work/', import.meta.url));

const rate = (rows: number, ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

async function openBackend(backend: 'postgres' | 'pglite'): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  if (backend === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'wsa-bench-'));
    const store = await openStore({ dataDir: dir });
    return { store, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = withApplicationName(args['database-url']!);
  const schema = `wsa_bench_import_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const store = await openStore({ databaseUrl: url, schema, poolSize: 2 });
  return {
    store,
    cleanup: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

const APPLICATION = 'wsa_bench_import';

function withApplicationName(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}application_name=${APPLICATION}`;
}

/**
 * CPU seconds used so far by the PostgreSQL server processes serving this benchmark (same
 * machine: read from /proc), so server work can be told from waiting on a loaded machine.
 */
async function serverCpu(store: Store): Promise<Map<number, number>> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where application_name = ${APPLICATION}`.execute(store.db);
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // not on this machine
    }
  }
  return out;
}

function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, cpu] of after) total += cpu - (before.get(pid) ?? 0);
  return total;
}

/** Batched inserts (the import's own bulk path) of as many directory rows, no parsing: the insert floor. */
async function insertFloor(store: Store): Promise<number> {
  const { ms } = await timed(() =>
    store.db.transaction().execute(async (trx) => {
      await sql`insert into import_log (id, kind, source, imported_at) values (999999, 'users', 'floor', now())`.execute(trx);
      const snap = await trx
        .insertInto('directory_snapshots')
        .values({ source: 'directory', period_start: '2000-01-01', as_of: '2000-01-01', import_id: 999999 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const columns = [
        { name: 'account_key', type: 'text' },
        { name: 'position', type: 'integer' },
        { name: 'public_id', type: 'text' },
        { name: 'email', type: 'text' },
        { name: 'user_status', type: 'text' },
        { name: 'group_ids', type: 'text[]' },
      ];
      for (let i = 0; i < ROWS; i += 2000) {
        const batch = Array.from({ length: Math.min(2000, ROWS - i) }, (_, k) => ({
          account_key: `user-${i + k}`,
          position: i + k,
          public_id: `user-${i + k}`,
          email: `person.${i + k}@example.com`,
          user_status: 'enabled',
          group_ids: ['459c3124a4ef92f33444a1c75a5c97a6'],
        }));
        await insertJsonRows(trx, { table: 'directory_accounts', columns }, [{ name: 'snapshot_id', type: 'integer', value: snap.id }], batch);
      }
      throw new Error('rollback');
    }).catch((e: Error) => {
      if (e.message !== 'rollback') throw e;
    }),
  );
  return ms;
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const file = join(WORK, `users-${ROWS}.csv`);
  if (!existsSync(file)) {
    const { ms } = await timed(() => writeUsersReport(file, { rows: ROWS }));
    console.log(`generated ${file} in ${secs(ms)}`);
  }
  const bytes = statSync(file).size;
  console.log(`Users report: ${ROWS.toLocaleString('en-US')} rows, ${(bytes / 1e6).toFixed(1)} MB; node ${process.version}`);

  const bare = await timed(async () => {
    let n = 0;
    for await (const _ of createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(parse())) n++;
    return n;
  });
  console.log(`floor  csv-parse alone            ${secs(bare.ms)}  ${rate(ROWS, bare.ms)}`);
  const reader = await timed(async () => {
    let n = 0;
    for await (const _ of new CsvReader(createReadStream(file, { highWaterMark: 256 * 1024 })).records()) n++;
    return n;
  });
  console.log(`floor  CsvReader (lines, UTF-8)   ${secs(reader.ms)}  ${rate(ROWS, reader.ms)}`);

  const backends = args.backend === 'both' ? (['postgres', 'pglite'] as const) : [args.backend as 'postgres' | 'pglite'];
  for (const backend of backends) {
    const { store, cleanup } = await openBackend(backend);
    try {
      const floor = await insertFloor(store);
      console.log(`${backend.padEnd(8)} insert floor (bulk path, 2000-row batches, no parsing) ${secs(floor)}  ${rate(ROWS, floor)}`);
      const options = { clock: fixedClock(new Date('2025-11-05T10:00:00Z')), logger: silentLogger() };
      for (const label of ['import', 're-import (replaces it)']) {
        const before = backend === 'postgres' ? await serverCpu(store) : new Map<number, number>();
        const run = await timed(() => importFile(store.db, file, options));
        const server = backend === 'postgres' ? cpuDelta(before, await serverCpu(store)) : 0;
        const facts = await store.db.selectFrom('user_facts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        console.log(
          `${backend.padEnd(8)} ${label.padEnd(24)} ${secs(run.ms)}  ${rate(ROWS, run.ms)}  ` +
            `(node cpu ${secs(run.cpuMs)}${backend === 'postgres' ? `, server cpu ${server.toFixed(2)} s` : ''}; ${run.value.rows} accounts, ${facts.n} facts)`,
        );
      }
    } finally {
      await store.close();
      await cleanup();
    }
  }
  const mem = process.memoryUsage();
  console.log(`process: rss ${(mem.rss / 1e6).toFixed(0)} MB, heap used ${(mem.heapUsed / 1e6).toFixed(0)} MB at the end`);
}

await main();
