/**
 * Ingest over HTTP under load: many clients each POSTing small (2-event) NDJSON requests to
 * `/api/v1/events` on our server (the endpoint, its admission line and the store, as `wsa serve`
 * runs them), beside a bare `node:http` server that reads the body and answers 200, measured in
 * the same run at the same concurrency.
 *
 *   node --import tsx bench/ingest-http.ts [--backend postgres|pglite] [--requests 1000]
 *                                          [--concurrency 20,200] [--json FILE]
 *
 * Each client sends its next request when the previous one is answered; a 503 is retried after
 * its Retry-After, so every request is committed in the end. Reported per concurrency:
 * committed requests/s, p50/p99 of the attempts answered 200 (send → answer), and how many
 * attempts were refused with 503. PostgreSQL comes from BENCH_DATABASE_URL or TEST_DATABASE_URL
 * (a throwaway schema); without either, PGlite in memory.
 */
import { writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { systemClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/log.ts';
import { createHttpServer } from '../src/server/http.ts';
import { EVENTS_PATH, createEventsHandler } from '../src/server/events-endpoint.ts';
import { percentile } from './lib/stats.ts';
import { throwawayStore } from './lib/throwaway-store.ts';
import { usageOnHelp } from './lib/usage.ts';

usageOnHelp(import.meta.url);
const { values: opts } = parseArgs({
  options: {
    backend: { type: 'string' },
    requests: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '20,200' },
    running: { type: 'string' },
    json: { type: 'string' },
  },
});
const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
const backend = (opts.backend ?? (PG_URL ? 'postgres' : 'pglite')) as 'postgres' | 'pglite';
const REQUESTS = Number(opts.requests);
const LEVELS = opts.concurrency!.split(',').map(Number);
const TOKEN = randomBytes(16).toString('hex');

export interface IngestHttpLevel {
  concurrency: number;
  requests: number;
  /** Committed requests per second over the whole run. */
  rps: number;
  p50: number;
  p99: number;
  /** Attempts answered 503 (then retried). */
  refused: number;
  /** The bare node:http server at the same concurrency. */
  bare: { rps: number; p50: number; p99: number };
}

export interface IngestHttpFigures {
  backend: 'postgres' | 'pglite';
  levels: IngestHttpLevel[];
}

interface Attempt {
  status: number;
  ms: number;
  retryAfterS: number;
}

function post(agent: Agent, url: string, body: string): Promise<Attempt> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/x-ndjson',
        'content-length': Buffer.byteLength(body),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, retryAfterS: Number(res.headers['retry-after'] ?? 1) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `requests` requests from `concurrency` clients; each request's body from `bodyOf(i)`. */
async function drive(url: string, concurrency: number, requests: number, bodyOf: (i: number) => string) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const ok: number[] = [];
  let refused = 0;
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < requests) {
      const i = next++;
      for (;;) {
        const a = await post(agent, url, bodyOf(i));
        if (a.status === 503) {
          refused++;
          await new Promise((r) => setTimeout(r, a.retryAfterS * 1000));
          continue;
        }
        if (a.status !== 200) throw new Error(`request ${i} answered ${a.status}`);
        ok.push(a.ms);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { rps: requests / seconds, p50: percentile(ok, 0.5), p99: percentile(ok, 0.99), refused };
}

function twoEvents(run: number, i: number): string {
  const ts = new Date(Date.now() - 3_600_000).toISOString();
  const event = (k: number) =>
    JSON.stringify({ id: `r${run}-${i}-${k}`, ts, user: `user-${i % 500}`, conversation_id: `c${i}`, tool: 'Search', topic: 'Sales' });
  return `${event(0)}\n${event(1)}\n`;
}

async function measureLevel(concurrency: number, run: number): Promise<IngestHttpLevel> {
  // The floor: read the body, answer 200.
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}${EVENTS_PATH}`;
  const floor = await drive(bareUrl, concurrency, REQUESTS, (i) => twoEvents(run, i));
  bare.closeAllConnections();
  await new Promise((resolve) => bare.close(resolve));

  const { store, drop } = await throwawayStore(backend, PG_URL, 'wsa_bench_ingest');
  const logger = silentLogger();
  const server = createHttpServer({
    routes: [{ path: EVENTS_PATH, handler: createEventsHandler({ db: store.db, clock: systemClock, logger, token: TOKEN, maxBytes: 10 * 1024 * 1024, ...(opts.running ? { maxRunning: Number(opts.running) } : {}) }) }],
    health: { ready: () => true, detail: () => ({}) },
    logger,
  });
  const address = await server.listen(0, '127.0.0.1');
  try {
    const url = `http://127.0.0.1:${address.port}${EVENTS_PATH}`;
    const got = await drive(url, concurrency, REQUESTS, (i) => twoEvents(run, i));
    const { rows } = await store.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).execute().then((r) => ({ rows: r }));
    if (Number(rows[0]?.n) !== 2 * REQUESTS) throw new Error(`expected ${2 * REQUESTS} events stored, found ${rows[0]?.n}`);
    return { concurrency, requests: REQUESTS, ...got, bare: { rps: floor.rps, p50: floor.p50, p99: floor.p99 } };
  } finally {
    await server.close();
    await drop();
  }
}

const figures: IngestHttpFigures = { backend, levels: [] };
for (const [run, concurrency] of LEVELS.entries()) {
  const level = await measureLevel(concurrency, run);
  figures.levels.push(level);
  console.error(
    `ingest over HTTP (${backend}), ${concurrency} concurrent clients, ${REQUESTS} requests of 2 events: ` +
      `${level.rps.toFixed(0)} req/s, p50 ${level.p50.toFixed(1)} ms, p99 ${level.p99.toFixed(1)} ms, ${level.refused} refused with 503 · ` +
      `bare node:http ${level.bare.rps.toFixed(0)} req/s, p99 ${level.bare.p99.toFixed(1)} ms`,
  );
}
if (opts.json) writeFileSync(opts.json, `${JSON.stringify(figures, null, 2)}\n`);
