/**
 * Event ingest benchmark (docs/design.md §10: ≥ 100k events/s on PostgreSQL; PGlite reported too).
 *
 *   node --import tsx bench/ingest-events.ts [--events 1000000] [--users 20000] [--days 7]
 *                                            [--backend pglite|postgres|both] [--work DIR]
 *
 * Generates a deterministic NDJSON file under bench/.work/ or --work (kept for later runs), then on each
 * backend, in a fresh store: ingests it through `ingestEvents` (the path `wsa ingest` and the
 * HTTP endpoint use), ingests it again (all duplicates), and measures a floor in the same run
 * (see `floor`). Wall time on a shared machine varies with its load, so the CPU time spent (by
 * this process, and by the PostgreSQL backend when it is local) is printed too.
 * PostgreSQL comes from DATABASE_URL or TEST_DATABASE_URL (a throwaway schema is used).
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { systemClock } from '../src/core/clock.ts';
import { ingestEvents } from '../src/ingest/events.ts';
import { silentLogger } from '../src/log.ts';
import { openStore, type Store } from '../src/store/open.ts';
import { usageOnHelp } from './lib/usage.ts';

usageOnHelp(import.meta.url);

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const WORK = arg('work', fileURLToPath(new URL('./.work/', import.meta.url)));

const EVENTS = Number(arg('events', '1000000'));
const USERS = Number(arg('users', '20000'));
const DAYS = Number(arg('days', '7'));
const PG_URL = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
const BACKENDS = arg('backend', PG_URL ? 'both' : 'pglite');

/** mulberry32: small, seeded, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = ['gpt-5', 'gpt-5', 'gpt-5', 'gpt-5-thinking', 'gpt-5-mini', 'gpt-4o'];
const TOOLS = ['Search', 'Retrieval', 'Data Analysis', 'Image Gen', 'Canvas', 'Deep Research'];
const SKILLS = ['summarize', 'translate', 'draft-email', 'code-review'];
const APPS = ['Jira', 'Drive', 'GitHub', 'Salesforce'];
const TASKS = ['writing', 'analysis', 'coding', 'research', 'planning'];
const TOPICS = ['finance', 'sales', 'engineering', 'hr', 'legal', 'marketing'];

async function generate(file: string): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  const rand = prng(42);
  const pick = <T>(a: T[]) => a[Math.floor(rand() * a.length)] as T;
  const start = Date.UTC(2025, 9, 5); // a Sunday
  let buffer = '';
  for (let i = 0; i < EVENTS; i++) {
    const user = Math.floor(rand() ** 2 * USERS); // some heavy users, many light ones
    const ts = new Date(start + Math.floor(rand() * DAYS * 86_400_000)).toISOString();
    const e: Record<string, string> = {
      id: `evt-${i.toString(36).padStart(8, '0')}`,
      ts,
      user: `user-${user.toString(36).padStart(24, '0')}`,
      conversation_id: `conv-${user}-${Math.floor(rand() * 40)}`,
      model: pick(MODELS),
    };
    if (rand() < 0.25) e.gpt_id = `g-${Math.floor(rand() * 2000).toString(36)}`;
    if (rand() < 0.15) e.project_id = `g-p-${Math.floor(rand() * 5000).toString(36)}`;
    if (rand() < 0.4) e.tool = pick(TOOLS);
    if (rand() < 0.1) e.skill = pick(SKILLS);
    if (rand() < 0.1) e.app = pick(APPS);
    if (rand() < 0.5) {
      e.task_type = pick(TASKS);
      e.topic = pick(TOPICS);
    }
    buffer += `${JSON.stringify(e)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  renameSync(tmp, file);
}

async function openBench(backend: 'pglite' | 'postgres'): Promise<{ store: Store; drop: () => Promise<void> }> {
  if (backend === 'pglite') {
    // On disk, as the application uses it (an in-memory PGlite grows its files by copying).
    const dataDir = join(WORK, `pglite-${process.pid}`);
    const store = await openStore({ dataDir });
    return { store, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const schema = `wsa_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const store = await openStore({ databaseUrl: PG_URL, schema, poolSize: 2 });
  return {
    store,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/**
 * The floor, measured in the same run: how fast this database inserts the same rows into a
 * table shaped like `events` (same keys and indexes) with a plain INSERT … SELECT — no client,
 * no parsing, no roll-up. No ingest path can beat it on this schema and machine.
 */
async function floor(
  store: Store,
  backend: 'pglite' | 'postgres',
): Promise<{ rate: number; cpu: { node: number; pg: number }; rows: number }> {
  const { db } = store;
  await sql`create table bench_floor (like events including all)`.execute(db);
  const result = await db.transaction().execute(async (tx) => {
    const pid =
      backend === 'postgres'
        ? (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)).rows[0]?.pid
        : undefined;
    const cpu = cpuMeter(pid);
    const started = performance.now();
    const inserted = await sql`insert into bench_floor select * from events`.execute(tx);
    const rows = Number(inserted.numAffectedRows ?? 0n);
    return { rate: rows / ((performance.now() - started) / 1000), cpu: cpu(), rows };
  });
  await sql`drop table bench_floor`.execute(db);
  return result;
}

/** CPU time (ms) of this process, plus of the PostgreSQL backend when it runs on this machine. */
function cpuMeter(backendPid: number | undefined) {
  const pgCpu = () => {
    if (backendPid === undefined) return 0;
    try {
      const fields = readFileSync(`/proc/${backendPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
    } catch {
      return Number.NaN;
    }
  };
  const n0 = process.cpuUsage();
  const p0 = pgCpu();
  return () => {
    const n = process.cpuUsage(n0);
    return { node: (n.user + n.system) / 1000, pg: pgCpu() - p0 };
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function benchBackend(backend: 'pglite' | 'postgres', file: string) {
  const opening = performance.now();
  const { store, drop } = await openBench(backend);
  const openMs = performance.now() - opening;
  try {
    const options = { clock: systemClock, logger: silentLogger(), sourceName: 'bench' };
    // Each ingest runs in a transaction opened here (ingestEvents then uses it as is), so the
    // PostgreSQL backend whose CPU time is read is the one that does the work.
    const measured = (f: string) =>
      store.db.transaction().execute(async (tx) => {
        const pid =
          backend === 'postgres'
            ? (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)).rows[0]?.pid
            : undefined;
        const cpu = cpuMeter(pid);
        const started = performance.now();
        const summary = await ingestEvents(tx, createReadStream(f), { ...options, writeWhileReading: true });
        return { summary, ms: performance.now() - started, used: cpu() };
      });
    const { summary, ms: firstMs, used: used1 } = await measured(file);
    const { summary: again, ms: secondMs, used: used2 } = await measured(file);
    const floorRun = await floor(store, backend);
    const rss = process.resourceUsage().maxRSS / 1024;
    const cpuLine = (u: { node: number; pg: number }, n: number) =>
      backend === 'postgres'
        ? `CPU: node ${fmt(u.node)} ms + postgres backend ${fmt(u.pg)} ms = ${fmt(n / ((u.node + u.pg) / 1000))} events per CPU-second`
        : `CPU: ${fmt(u.node)} ms = ${fmt(n / (u.node / 1000))} events per CPU-second`;
    console.log(
      [
        `${backend}: store opened in ${fmt(openMs)} ms`,
        `  first ingest: ${fmt(summary.accepted)} events in ${fmt(firstMs)} ms = ${fmt(summary.rows / (firstMs / 1000))} events/s`,
        `    read+validate ${fmt(summary.timings.readMs)} ms, write ${fmt(summary.timings.writeMs)} ms ` +
          `(of which roll-up ${fmt(summary.timings.rollupMs)} ms into ${fmt(summary.userDays)} user-day facts)`,
        `    ${cpuLine(used1, summary.rows)}`,
        `  same file again (all duplicates): ${fmt(again.duplicates)} in ${fmt(secondMs)} ms = ${fmt(again.rows / (secondMs / 1000))} events/s`,
        `    ${cpuLine(used2, again.rows)}`,
        `  floor: INSERT … SELECT of the same rows into a copy of events (same keys and indexes): ${fmt(floorRun.rate)} rows/s`,
        `    ${cpuLine(floorRun.cpu, floorRun.rows).replace('events per', 'rows per')}`,
        `  peak RSS so far: ${fmt(rss)} MB; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.availableParallelism()} cores`,
      ].join('\n'),
    );
  } finally {
    await store.close();
    await drop();
  }
}

const file = join(WORK, `events-${EVENTS}-${USERS}-${DAYS}.ndjson`);
if (!existsSync(file)) {
  const t = performance.now();
  await generate(file);
  console.log(`generated ${file} (${fmt(statSync(file).size / 1e6)} MB) in ${fmt(performance.now() - t)} ms`);
}
console.log(`${fmt(EVENTS)} events, ${fmt(USERS)} users, ${DAYS} days; node ${process.version}`);
for (const backend of ['pglite', 'postgres'] as const) {
  if (BACKENDS !== 'both' && BACKENDS !== backend) continue;
  if (backend === 'postgres' && !PG_URL) {
    console.log('postgres: skipped (set DATABASE_URL or TEST_DATABASE_URL)');
    continue;
  }
  await benchBackend(backend, file);
}
