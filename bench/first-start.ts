/**
 * The first `npm start` (docs/design.md §10, issue 19: ≤ 30 s on an idle 2-core machine): `wsa
 * serve` in local mode on an empty data directory — the embedded store created, the default demo
 * workspace generated and loaded through the import and ingest paths — from spawning the process
 * to the first `/healthz` 200, as a person meets it. The compiled start path is built first (as
 * `npm ci` does, scripts/build.mjs). The server's own log gives the phases: the store opened
 * (`server.starting` → `server.listening`), the demo generated and loaded (`demo.loaded`).
 *
 * Floor, in the same run: PGlite itself creating a database in an empty directory (its initdb)
 * and then COPYing the demo's events file into one jsonb column from '/dev/blob' — what the first
 * start cannot go below with the same amount of data on this engine.
 *
 *   node --import tsx bench/first-start.ts [--runs 1] [--users N] [--json FILE]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO, WSA_BIN, runChild } from './lib/children.ts';
import { loadAverage } from './lib/stats.ts';
// @ts-expect-error plain JavaScript without types, run by `npm ci`
import { buildProject } from '../scripts/build.mjs';
import { usageOnHelp } from './lib/usage.ts';

export interface FirstStartFigures {
  users: number;
  events: number;
  /** Spawn → first /healthz 200, ms (median of the runs). */
  healthyMs: number;
  /** Phases of that start, from the server's log (ms). */
  openMs: number;
  generateMs: number;
  loadMs: number;
  /** PGlite creating an empty database (initdb) in-process, ms. */
  floorCreateMs: number;
  /** PGlite's own COPY of the same events file into one jsonb column, ms. */
  floorCopyMs: number;
  nodeFloorMs: number;
  loadAverage: string;
}

usageOnHelp(import.meta.url);
const { values: opts } = parseArgs({
  options: { runs: { type: 'string', default: '1' }, users: { type: 'string' }, json: { type: 'string' } },
});

function healthz(port: number): Promise<number> {
  return new Promise((resolve) => {
    get({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', () => resolve(0));
  });
}

interface LogRecord {
  msg?: string;
  time?: number;
  url?: string;
  events?: number;
  generateMs?: number;
  loadMs?: number;
  users?: number;
}

/** One first start on a fresh data directory; the demo's events file is kept for the floor. */
async function firstStart(dir: string): Promise<{ healthyMs: number; openMs: number; generateMs: number; loadMs: number; events: number; users: number }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    WSA_DATA_DIR: join(dir, 'data'),
    PORT: '0',
    LOG_FORMAT: 'json',
    ...(opts.users ? { WSA_DEMO_USERS: opts.users } : {}),
  };
  const started = performance.now();
  const server = spawn(process.execPath, [WSA_BIN, 'serve'], { cwd: REPO, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const records: LogRecord[] = [];
  let buffered = '';
  server.stderr.setEncoding('utf8').on('data', (d: string) => {
    buffered += d;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        records.push({ ...(JSON.parse(line) as LogRecord), time: performance.now() });
      } catch {
        // not a log line
      }
    }
  });
  try {
    const deadline = Date.now() + 600_000;
    let port = 0;
    for (;;) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`wsa serve did not answer /healthz 200:\n${JSON.stringify(records.slice(-5))}`);
      port ||= Number(new URL(records.find((r) => r.msg === 'server.listening')?.url ?? 'http://x:0').port);
      if (port && (await healthz(port)) === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const healthyMs = performance.now() - started;
    const at = (msg: string) => records.find((r) => r.msg === msg)?.time ?? Number.NaN;
    const loaded = records.find((r) => r.msg === 'demo.loaded');
    return {
      healthyMs,
      openMs: at('server.listening') - at('server.starting'),
      generateMs: loaded?.generateMs ?? Number.NaN,
      loadMs: loaded?.loadMs ?? Number.NaN,
      events: loaded?.events ?? 0,
      users: loaded?.users ?? 0,
    };
  } finally {
    const stopped = new Promise((resolve) => server.on('close', resolve));
    server.kill('SIGINT');
    await stopped;
  }
}

/** PGlite by itself: initdb in an empty directory, then COPY of the events into one jsonb column. */
async function floor(eventsFile: string, dir: string): Promise<{ createMs: number; copyMs: number }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const started = performance.now();
  const db = await PGlite.create({ dataDir: join(dir, 'floor') });
  const createMs = performance.now() - started;
  try {
    await db.query('create table floor_events (e jsonb)');
    const copyStarted = performance.now();
    // NDJSON in COPY's text format: a backslash is COPY's escape, so it is doubled.
    const text = readFileSync(eventsFile, 'utf8').replaceAll('\\', '\\\\');
    await db.query(`copy floor_events (e) from '/dev/blob'`, [], { blob: new Blob([text]) });
    return { createMs, copyMs: performance.now() - copyStarted };
  } finally {
    await db.close();
  }
}

const runs = Number(opts.runs);
const base = mkdtempSync(join(tmpdir(), 'wsa-bench-first-start-'));
try {
  await buildProject(REPO);
  const nodeFloorMs = (await runChild(process.execPath, ['-e', '0'])).ms;
  const samples = [];
  for (let i = 0; i < runs; i += 1) {
    const dir = join(base, `run-${i}`);
    samples.push(await firstStart(dir));
    if (i < runs - 1) rmSync(dir, { recursive: true, force: true });
  }
  samples.sort((a, b) => a.healthyMs - b.healthyMs);
  const median = samples[Math.floor((samples.length - 1) / 2)]!;
  // The demo's files are removed once loaded: generate the same events file again for the floor.
  const { generateWorkspace } = await import('../src/demo/index.ts');
  const demoDir = join(base, 'demo');
  const manifest = await generateWorkspace({ today: new Date(), users: median.users }, demoDir);
  const eventsFile = manifest.files.find((f) => f.kind === 'events');
  if (!eventsFile) throw new Error('the demo has no events file');
  const f = await floor(join(demoDir, eventsFile.path), base);
  const figures: FirstStartFigures = {
    users: median.users,
    events: median.events,
    healthyMs: median.healthyMs,
    openMs: median.openMs,
    generateMs: median.generateMs,
    loadMs: median.loadMs,
    floorCreateMs: f.createMs,
    floorCopyMs: f.copyMs,
    nodeFloorMs,
    loadAverage: loadAverage(),
  };
  if (opts.json) writeFileSync(opts.json, JSON.stringify(figures));
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`first npm start, local mode, empty data dir (${figures.users} accounts, ${figures.events.toLocaleString('en-US')} events; load ${figures.loadAverage})`);
  console.log(`  spawn → /healthz 200          ${s(figures.healthyMs)}   target ≤ 30 s: ${figures.healthyMs <= 30_000 ? 'met' : 'MISSED'}`);
  console.log(`    store created and migrated  ${s(figures.openMs)}`);
  console.log(`    demo generated              ${s(figures.generateMs)}`);
  console.log(`    demo loaded                 ${s(figures.loadMs)}`);
  console.log(`  floor: PGlite initdb          ${s(figures.floorCreateMs)}`);
  console.log(`  floor: PGlite COPY of the events into one jsonb column ${s(figures.floorCopyMs)}`);
  console.log(`  floor: node -e 0              ${s(figures.nodeFloorMs)}`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
