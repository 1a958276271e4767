/**
 * Teams under load: `concurrency` clients at a time POST Bot Framework message activities to
 * `/api/messages` on our server (the real teams-ai and botbuilder stack, the answer queue, the real
 * core on a generated workspace, charts in the render thread), with a fake Bot Connector on
 * loopback receiving the cards; beside a bare `node:http` server that reads the body and answers
 * 200, measured in the same run at the same concurrency.
 *
 *   node --import tsx bench/teams-ack.ts [--backend postgres|pglite] [--rounds 10]
 *                                        [--concurrency 20] [--text "wsa help"] [--json FILE]
 *
 * Reported: activity POST → HTTP response p50/p99 (what Teams waits for), and POST → card at the
 * fake connector p50/p99 (what a person waits for). PostgreSQL comes from BENCH_DATABASE_URL or
 * TEST_DATABASE_URL (a throwaway schema); without either, PGlite in memory.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { registry } from '../commands/index.ts';
import { systemClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/log.ts';
import { loadDemo } from '../src/local/load-demo.ts';
import { createHttpServer } from '../src/server/http.ts';
import { createTeamsAdapter, TEAMS_MESSAGES_PATH } from '../src/adapters/teams/index.ts';
import { coreAnswer } from '../src/adapters/teams/core-answer.ts';
import { storeConversations } from '../src/adapters/teams/conversations.ts';
import { createChartRenderer } from '../src/render/chart-renderer.ts';
import { enabledOwnerEmail } from '../test/support/directory.ts';
import { startFakeConnector } from '../test/support/fake-connector.ts';
import { percentile } from './lib/stats.ts';
import { throwawayStore } from './lib/throwaway-store.ts';
import { usageOnHelp } from './lib/usage.ts';

usageOnHelp(import.meta.url);

const { values: opts } = parseArgs({
  options: {
    backend: { type: 'string' },
    rounds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '20' },
    text: { type: 'string', multiple: true },
    users: { type: 'string', default: '2000' },
    json: { type: 'string' },
  },
});
const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
const backend = (opts.backend ?? (PG_URL ? 'postgres' : 'pglite')) as 'postgres' | 'pglite';
const ROUNDS = Number(opts.rounds);
const CONCURRENCY = Number(opts.concurrency);
const TEXTS = opts.text?.length ? opts.text : ['wsa help', 'wsa overview'];

export interface TeamsAckFigures {
  backend: 'postgres' | 'pglite';
  concurrency: number;
  /** Per command text: POST → HTTP response, and POST → card at the connector. */
  variants: Record<string, { response: { p50: number; p99: number; n: number }; card: { p50: number; p99: number; n: number } }>;
  bare: { p50: number; p99: number; n: number };
}

function post(agent: Agent, url: string, body: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let sequence = 0;
function activity(serviceUrl: string, text: string, user: string): string {
  sequence += 1;
  return JSON.stringify({
    type: 'message',
    id: `bench-${process.pid}-${sequence}`,
    channelId: 'msteams',
    serviceUrl,
    from: { id: user, name: 'Bench' },
    recipient: { id: '28:wsa', name: 'wsa' },
    conversation: { id: `a:bench-${user}`, conversationType: 'personal' },
    text,
  });
}

// The floor: read the body, answer 200.
const bareServer = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-length': 0 });
    res.end();
  });
});
await new Promise<void>((resolve) => bareServer.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}${TEAMS_MESSAGES_PATH}`;

const { store, drop } = await throwawayStore(backend, PG_URL, 'wsa_bench_teams');
const dir = await mkdtemp(join(tmpdir(), 'wsa-bench-teams-'));
await loadDemo(store.db, { clock: systemClock, logger: silentLogger(), dir, demo: false, generate: { users: Number(opts.users), weeks: 12, source: 'events' } });
await rm(dir, { recursive: true, force: true });
const owner = await enabledOwnerEmail(store.db);
const fake = await startFakeConnector();
const renderer = createChartRenderer();
await renderer.warm();
const logger = silentLogger();
const teams = createTeamsAdapter({
  answer: coreAnswer({ db: store.db, clock: systemClock, logger, registry }),
  renderChart: (spec) => renderer.renderPng(spec),
  conversations: storeConversations(store.db, systemClock),
  maxConcurrentAnswers: backend === 'pglite' ? 1 : 2,
  logger,
});
const server = createHttpServer({ routes: [teams.route], logger, health: { ready: () => true, detail: () => ({}) } });
const url = `http://127.0.0.1:${(await server.listen(0, '127.0.0.1')).port}${TEAMS_MESSAGES_PATH}`;
for (let u = 0; u < CONCURRENCY; u++) fake.members.set(`29:bench-${u}`, { id: `29:bench-${u}`, name: `Bench ${u}`, email: owner });

/** One round: `CONCURRENCY` activities at once; returns the response times and when each card came. */
async function round(agent: Agent, target: string, text: string | null): Promise<{ response: number[]; card: number[] }> {
  const before = fake.messages().length;
  const started = performance.now();
  const sent = await Promise.all(
    Array.from({ length: CONCURRENCY }, (_, u) => post(agent, target, text === null ? '{}' : activity(fake.url, text, `29:bench-${u}`))),
  );
  for (const s of sent) if (s.status !== 200) throw new Error(`activity answered ${s.status}`);
  const card: number[] = [];
  if (text !== null) {
    await fake.waitForMessages(before + CONCURRENCY, 120_000);
    const arrivals = fake.calls.filter((c) => c.method === 'POST' && c.body?.type === 'message' && c.status === 200).slice(-CONCURRENCY);
    for (const a of arrivals) card.push(a.at - (performance.timeOrigin + started));
  }
  return { response: sent.map((s) => s.ms), card };
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const figures: TeamsAckFigures = { backend, concurrency: CONCURRENCY, variants: {}, bare: { p50: 0, p99: 0, n: 0 } };
const bare: number[] = [];
for (let r = 0; r < ROUNDS; r++) bare.push(...(await round(agent, bareUrl, null)).response);
figures.bare = { p50: percentile(bare, 0.5), p99: percentile(bare, 0.99), n: bare.length };
for (const text of TEXTS) {
  await round(agent, url, text); // warm-up: member lookups cached, plans and pages warm
  const response: number[] = [];
  const card: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const got = await round(agent, url, text);
    response.push(...got.response);
    card.push(...got.card);
  }
  figures.variants[text] = {
    response: { p50: percentile(response, 0.5), p99: percentile(response, 0.99), n: response.length },
    card: { p50: percentile(card, 0.5), p99: percentile(card, 0.99), n: card.length },
  };
  console.error(
    `teams (${backend}), ${CONCURRENCY} concurrent "${text}": POST → response p50 ${figures.variants[text]!.response.p50.toFixed(1)} ms, ` +
      `p99 ${figures.variants[text]!.response.p99.toFixed(1)} ms; → card p50 ${figures.variants[text]!.card.p50.toFixed(0)} ms, p99 ${figures.variants[text]!.card.p99.toFixed(0)} ms`,
  );
}
console.error(`bare node:http POST: p50 ${figures.bare.p50.toFixed(1)} ms, p99 ${figures.bare.p99.toFixed(1)} ms`);
agent.destroy();
await teams.close();
await server.close();
await new Promise((resolve) => bareServer.close(resolve));
await renderer.close();
await fake.close();
await drop();
if (opts.json) writeFileSync(opts.json, `${JSON.stringify(figures, null, 2)}\n`);
