/**
 * Slash-command ack latency (docs/design.md §10: p99 ≤ 50 ms), against a bare node:http server answering
 * the same requests in the same way, measured in the same run.
 *
 *   node --import tsx bench/slack-ack.ts [--rounds 50] [--concurrency 20] [--variants bare,text,chart]
 *
 * The server under test runs in a child process (its own event loop, as in production); this
 * process is the load generator and plays Slack (the fake Web API and response_urls on loopback).
 * Each round sends `concurrency` signed `/wsa` requests at once; latency is request start →
 * response end, as Slack would see it. Variants:
 *  - bare:  node:http, reads the body, answers 200 — the floor;
 *  - text:  our server + the real Bolt app; the answer is a text Reply (ephemeral via response_url);
 *  - chart: the same with an answer carrying a chart rendered by the real renderer (in its render
 *           thread, as the server does) and uploaded to the DM, so renders and uploads run while
 *           later commands are acknowledged;
 *  - chart-main: the same with the chart rendered on the server's own thread (`workers: 0`, how
 *           every chart was rendered before the render thread): the "before" of the same run;
 *  - core:  the real core — answer() on a generated workspace (the demo generator's, loaded through
 *           the real import paths into PGlite, or into PostgreSQL with --database-url), commands
 *           rotating over overview / active-users / groups / help, charts rendered and uploaded.
 *           With --database-url and --schema it answers from that existing store instead (the
 *           benchmark store, e.g. wsa_bench_100k), read-only: nothing is loaded or migrated.
 * For every variant but bare it also reports command → answer (the answer, or the DM pointer,
 * arriving at the response_url), and the server's event-loop delay (perf_hooks histogram: how
 * long a request that arrived could have waited for the loop). For core also one command at a
 * time, per command, with the number of files (charts, CSVs) uploaded with its answer.
 *
 *   node --import tsx bench/slack-ack.ts --variants core [--users 2000] [--source events|exports]
 *        [--weeks 26] [--database-url postgresql://… [--schema wsa_bench_100k]]
 *        [--commands "overview,gpts,help"] [--one-at-a-time 12] [--json out.json]
 *        [--now 2025-11-23T12:00:00Z]  (with --schema: the clock; default the bench workspace's)
 *   --render-workers N   render threads of the server (default: the renderer's default; 0 = none)
 *   --render-nice N      their Linux nice value (default: the renderer's, 10)
 *   --no-warm            start the render thread on the first chart instead of at start-up
 *   --profile DIR        write CPU profiles of the server (its threads) into DIR
 *   --warmup N           rounds sent before measuring (default 5)
 *   --background TEXT    core: keep this command (e.g. "heatmap last-12-months") being answered the
 *                        whole time — sent again as soon as its last answer arrives — while the rounds
 *                        are measured, a round every 250 ms; its own acks and answers are not counted
 *   --pglite-thread off  core on PGlite: the store's PGlite on the server's own thread, as before
 *                        issue 19 (the "before" of the same run); default: its own thread
 *
 * The PGlite row of issue 19 (acks while `heatmap last-12-months` runs on a ~700k-event store):
 *   node --import tsx bench/slack-ack.ts --variants bare,core --users 2000 --weeks 26
 *        --commands help --background "heatmap last-12-months" --rounds 20 --one-at-a-time 0
 */
import type { AnswerFn } from '../src/adapters/slack/index.ts';
import type { ChartAttachment } from '../src/core/reply.ts';
import { enabledOwnerEmail } from '../test/support/directory.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { Agent, request } from 'node:http';
import { stringify } from 'node:querystring';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';
import { usageOnHelp } from './lib/usage.ts';

usageOnHelp(import.meta.url);

const SECRET = 'bench-signing-secret-0000';
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};

type Variant = 'bare' | 'text' | 'chart' | 'chart-main' | 'core';

const CORE_COMMANDS = arg('commands', 'overview,active-users last-12-weeks,groups,help')
  .split(',')
  .map((c) => c.trim())
  .filter(Boolean);

// -------------------------------------------------------------------------------------------
// Child: the server under test

async function serve(variant: Variant, apiUrl: string): Promise<void> {
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const loop = monitorEventLoopDelay({ resolution: 5 });
  // The parent asks for the histogram when it is done sending: one JSON line, then exit.
  process.once('SIGTERM', () => {
    loop.disable();
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    process.stdout.write(`${JSON.stringify({ loop: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) } })}\n`, () => process.exit(0));
  });
  if (variant === 'bare') {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-length': 0 });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    loop.enable();
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
    return;
  }
  const { silentLogger } = await import('../src/log.ts');
  const { createHttpServer } = await import('../src/server/http.ts');
  const { createSlackAdapter } = await import('../src/adapters/slack/index.ts');
  const { reply } = await import('../src/core/reply.ts');
  const { createChartRenderer } = await import('../src/render/chart-renderer.ts');
  const workers = variant === 'chart-main' ? 0 : arg('render-workers', '') ? Number(arg('render-workers', '')) : undefined;
  const nice = arg('render-nice', '');
  const renderer = createChartRenderer({ ...(workers === undefined ? {} : { workers }), ...(nice ? { workerNice: Number(nice) } : {}) });
  if (!args.includes('--no-warm') && variant !== 'text') {
    // As the server does at start-up (src/app.ts).
    const started = performance.now();
    await renderer.warm();
    process.stderr.write(`${variant}: renderer warm in ${(performance.now() - started).toFixed(0)} ms (${workers === 0 ? 'this thread' : `${renderer.threadIds().length} render thread(s)`})\n`);
  }
  const logger = silentLogger();
  const chart: ChartAttachment = {
    kind: 'trend',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: 480,
      height: 240,
      data: { values: Array.from({ length: 12 }, (_, i) => ({ week: `W${i + 1}`, users: 1000 + i * 37 })) },
      mark: 'line',
      encoding: { x: { field: 'week', type: 'ordinal' }, y: { field: 'users', type: 'quantitative' } },
    },
    altText: 'Active users per week, rising from 1,000 to 1,407.',
    fallbackText: 'W1 1000 … W12 1407',
  };
  let answerFn: Parameters<typeof createSlackAdapter>[0]['answer'] = async () => ({
    channel: null,
    reply: reply({
      command: variant === 'chart' || variant === 'chart-main' ? 'active-users' : 'help',
      title: 'Active users',
      summary: ['1,407 people sent a message last week.'],
      values: { active_users: 1407 },
      charts: variant === 'chart' || variant === 'chart-main' ? [chart] : [],
    }),
  });
  if (variant === 'core') answerFn = await benchCore(logger);
  const adapter = createSlackAdapter({
    botToken: 'xoxb-bench',
    signingSecret: SECRET,
    apiUrl,
    botId: 'BBOT',
    botUserId: 'UBOT',
    logger,
    renderChart: (spec) => renderer.renderPng(spec),
    answer: answerFn,
    ...(arg('max-answers', '') ? { maxConcurrentAnswers: Number(arg('max-answers', '4')) } : {}),
  });
  const http = createHttpServer({ routes: adapter.route ? [adapter.route] : [], logger, health: { ready: () => true, detail: () => ({}) } });
  const address = await http.listen(0, '127.0.0.1');
  await adapter.start();
  loop.enable();
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
}

/** The real core on a generated workspace; every Slack caller acts as one of its owners. */
async function benchCore(logger: import('../src/log.ts').Logger) {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { openStore } = await import('../src/store/open.ts');
  const { loadDemo } = await import('../src/local/load-demo.ts');
  const { coreAnswer } = await import('../src/adapters/slack/core-answer.ts');
  const { registry } = await import('../commands/index.ts');
  const { systemClock } = await import('../src/core/clock.ts');
  const databaseUrl = arg('database-url', '') || undefined;
  const schema = arg('schema', '') || undefined;
  if (schema) {
    if (!databaseUrl) throw new Error('--schema needs --database-url');
    return existingStoreAnswer(databaseUrl, schema, logger);
  }
  const store = await openStore(databaseUrl ? { databaseUrl } : { inMemory: true, pgliteThread: arg('pglite-thread', 'on') !== 'off' });
  const dir = await mkdtemp(join(tmpdir(), 'wsa-bench-slack-'));
  const started = performance.now();
  const loaded = await loadDemo(store.db, {
    clock: systemClock,
    logger,
    dir,
    demo: false,
    generate: {
      users: Number(arg('users', '2000')),
      weeks: Number(arg('weeks', '26')),
      source: arg('source', 'events') as 'events' | 'exports',
    },
  });
  await rm(dir, { recursive: true, force: true });
  const owner = await enabledOwnerEmail(store.db);
  process.stderr.write(
    `core: ${store.backend}${store.backend === 'pglite' ? (arg('pglite-thread', 'on') === 'off' ? ' on the server thread' : ' in its own thread') : ''}, ${arg('users', '2000')} users, ${arg('source', 'events')}, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s (${loaded.files} files, ${loaded.events} events)\n`,
  );
  return asOwner(coreAnswer({ db: store.db, clock: systemClock, logger, registry }), owner);
}

/**
 * The core on an existing PostgreSQL store (the benchmark's), read-only: opened without migrating
 * and refused if a migration is pending (the bench's --prepare brings it up to date), so this
 * never changes it.
 */
async function existingStoreAnswer(databaseUrl: string, schema: string, logger: import('../src/log.ts').Logger) {
  const { openStore } = await import('../src/store/open.ts');
  const { coreAnswer } = await import('../src/adapters/slack/core-answer.ts');
  const { registry } = await import('../commands/index.ts');
  const { fixedClock } = await import('../src/core/clock.ts');
  const { BENCH_NOW } = await import('./lib/workspaces.ts');
  // The benchmark workspace's data ends where its generator stopped: ask as of then.
  const clock = fixedClock(arg('now', '') ? new Date(arg('now', '')) : BENCH_NOW);
  const { readdirSync } = await import('node:fs');
  const { sql } = await import('kysely');
  const started = performance.now();
  const store = await openStore({ databaseUrl, schema, migrate: false, poolSize: 4 });
  const ran = await sql<{ name: string }>`select name from kysely_migration`.execute(store.db).catch(() => ({ rows: [] as { name: string }[] }));
  const done = new Set(ran.rows.map((r) => r.name));
  const wanted = readdirSync(fileURLToPath(new URL('../migrations/', import.meta.url)))
    .filter((f) => /^\d+_.*\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''));
  const pending = wanted.filter((name) => !done.has(name));
  if (pending.length > 0) throw new Error(`schema ${schema} is not migrated (pending: ${pending.join(', ')}); this benchmark does not change it`);
  const owner = await enabledOwnerEmail(store.db);
  const users = await store.db.selectFrom('directory_accounts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  process.stderr.write(
    `core: postgres schema ${schema} (${Number(users.n).toLocaleString('en-US')} directory rows), opened in ${(performance.now() - started).toFixed(0)} ms, as of ${clock.now().toISOString()}\n`,
  );
  return asOwner(coreAnswer({ db: store.db, clock, logger, registry }), owner);
}

// -------------------------------------------------------------------------------------------
// Parent: load generator and Slack

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

interface Stats {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  n: number;
}

function stats(values: number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 0.5), p95: percentile(s, 0.95), p99: percentile(s, 0.99), max: s[s.length - 1] ?? Number.NaN, n: s.length };
}

function summary(values: number[]): string {
  const { p50, p99, max, n } = stats(values);
  return `p50 ${p50.toFixed(2)} ms · p99 ${p99.toFixed(2)} ms · max ${max.toFixed(2)} ms (n=${n})`;
}

async function startChild(
  variant: Variant,
  apiUrl: string,
): Promise<{ child: ChildProcess; port: number; stop: () => Promise<LoopDelay | undefined> }> {
  const self = fileURLToPath(import.meta.url);
  const passed = ['users', 'weeks', 'source', 'database-url', 'schema', 'max-answers', 'render-workers', 'render-nice', 'pglite-thread'].flatMap((name) => {
    const value = arg(name, '');
    return value ? [`--${name}`, value] : [];
  });
  if (args.includes('--no-warm')) passed.push('--no-warm');
  // --profile DIR: a CPU profile of the server (each thread) to see what holds its event loop.
  const profile = arg('profile', '') ? ['--cpu-prof', '--cpu-prof-dir', arg('profile', '')] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', self, '--serve', variant, '--api-url', apiUrl, ...passed], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
  const port = await new Promise<number>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const stop = () =>
    new Promise<LoopDelay | undefined>((resolve) => {
      let loop: LoopDelay | undefined;
      lines.on('line', (line) => {
        loop = (JSON.parse(line) as { loop?: LoopDelay }).loop ?? loop;
      });
      child.once('exit', () => resolve(loop));
      child.kill('SIGTERM');
    });
  return { child, port, stop };
}

interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** What --json writes: per variant, the ack and command → answer figures in ms. */
export interface SlackAckFigures {
  concurrency: number;
  node: string;
  at: string;
  variants: Record<
    string,
    {
      ack: Stats;
      /** The first (cold) round's slowest ack: with --no-warm, what a lazy render thread costs. */
      firstRoundAckMax: number;
      answer?: Stats;
      uploads?: number;
      eventLoopDelay?: LoopDelay;
      /** core: one command at a time; `files` = files uploaded with the answer (its charts, a CSV). */
      oneAtATime?: Array<{ command: string; files: number; answer: Stats }>;
    }
  >;
}

// -------------------------------------------------------------------------------------------
// The fake Slack Web API in a process of its own: receiving hundreds of chart uploads (multipart
// parsing) on the load generator's event loop delayed the load generator's own reading of the
// acks, and that delay was counted as ack latency. This process only learns what arrived when.

async function serveFakeSlack(): Promise<void> {
  const { startFakeSlack } = await import('../test/support/fake-slack.ts');
  const fake = await startFakeSlack({ botToken: 'xoxb-bench', users: { U0BENCH: 'bench@example.com' } });
  const send = (message: unknown) => process.send?.(message);
  let responses = 0;
  let uploads = 0;
  let completed = 0;
  const flush = () => {
    const fresh = fake.responses.slice(responses).map((r) => [r.id, r.at] as const);
    const files = fake.uploads.slice(uploads).map((u) => u.filename ?? '');
    const done = fake.accepted('files.completeUploadExternal').length;
    responses += fresh.length;
    uploads += files.length;
    if (fresh.length > 0 || files.length > 0 || done !== completed) send({ responses: fresh, uploads: files, completed: done });
    completed = done;
  };
  const timer = setInterval(flush, 5);
  process.on('message', (message: { reset?: boolean; close?: boolean }) => {
    if (message.reset) {
      fake.reset();
      responses = 0;
      uploads = 0;
      completed = 0;
      send({ reset: true });
    }
    if (message.close) {
      clearInterval(timer);
      void fake.close().then(() => process.exit(0));
    }
  });
  send({ url: fake.url, apiUrl: fake.apiUrl });
}

interface RemoteFakeSlack {
  apiUrl: string;
  responseUrl(): string;
  /** Responses to response_urls: their id and arrival time (ms since the epoch). */
  responses: Array<{ id: string; at: number }>;
  /** Uploaded file names, in arrival order. */
  uploads: string[];
  completedUploads: number;
  reset(): Promise<void>;
  waitFor<T>(check: () => T | undefined | false, timeoutMs: number, what: string): Promise<T>;
  close(): Promise<void>;
}

async function startRemoteFakeSlack(): Promise<RemoteFakeSlack> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--fake-slack'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  process.once('exit', () => child.kill('SIGTERM'));
  let onReset: (() => void) | undefined;
  const fake: RemoteFakeSlack & { url: string } = {
    url: '',
    apiUrl: '',
    responses: [],
    uploads: [],
    completedUploads: 0,
    responseUrl: () => `${fake.url}/response/r${(nextResponse += 1)}`,
    reset: () =>
      new Promise<void>((resolve) => {
        onReset = () => {
          fake.responses.length = 0;
          fake.uploads.length = 0;
          fake.completedUploads = 0;
          resolve();
        };
        child.send({ reset: true });
      }),
    async waitFor(check, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = check();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > deadline) throw new Error(`fake Slack: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ close: true });
      }),
  };
  let nextResponse = 0;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fake Slack exited with ${code}`)));
    child.on('message', (message: { url?: string; apiUrl?: string; reset?: boolean; responses?: Array<[string, number]>; uploads?: string[]; completed?: number }) => {
      if (message.url && message.apiUrl) {
        fake.url = message.url;
        fake.apiUrl = message.apiUrl;
        resolve();
      }
      if (message.reset) onReset?.();
      if (message.responses) for (const [id, at] of message.responses) fake.responses.push({ id, at });
      if (message.uploads) fake.uploads.push(...message.uploads);
      if (message.completed !== undefined) fake.completedUploads = message.completed;
    });
  });
  return fake;
}

async function main(): Promise<void> {
  const { computeSlackSignature } = await import('../src/adapters/slack/verify.ts');

  const rounds = Number(arg('rounds', '50'));
  const concurrency = Number(arg('concurrency', '20'));
  const warmup = Number(arg('warmup', '5'));
  const fake = await startRemoteFakeSlack();
  let agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let trigger = 0;

  function send(port: number, text = 'active-users'): Promise<{ ms: number; responseId: string; sentAt: number }> {
    const responseUrl = fake.responseUrl();
    trigger += 1;
    const body = stringify({
      team_id: 'T0001',
      channel_id: 'C0BENCH',
      user_id: 'U0BENCH',
      command: '/wsa',
      text,
      response_url: responseUrl,
      trigger_id: `bench.${process.pid}.${trigger}`,
      api_app_id: 'A0001',
    });
    const ts = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': computeSlackSignature(SECRET, ts, body),
    };
    const sentAt = Date.now();
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/slack/events', method: 'POST', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
          else resolve({ ms: performance.now() - started, responseId: responseUrl.split('/').pop() as string, sentAt });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  const results: string[] = [];
  const figures: SlackAckFigures = { concurrency, node: process.version, at: new Date().toISOString(), variants: {} };
  const oneAtATime = Number(arg('one-at-a-time', '12'));
  const only = arg('variants', 'bare,text,chart,core').split(',') as Variant[];
  for (const variant of only) {
    const { child, port, stop } = await startChild(variant, fake.apiUrl);
    const killOnExit = () => child.kill('SIGTERM');
    process.once('exit', killOnExit);
    // A fresh agent per server: a new child may get the port of the one before, and idle sockets
    // to a dead server would be reset.
    agent.destroy();
    agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    await fake.reset();
    const acks: number[] = [];
    let firstRoundAckMax = Number.NaN;
    const sent: Array<{ responseId: string; sentAt: number }> = [];
    const variantRounds = variant === 'chart' || variant === 'chart-main' || variant === 'core' ? Math.min(rounds, 20) : rounds;
    const textFor = (i: number) => (variant === 'core' ? (CORE_COMMANDS[i % CORE_COMMANDS.length] as string) : 'active-users');
    const background = variant === 'core' ? arg('background', '') : '';
    let backgroundSent = 0;
    let backgroundOn = background !== '';
    // One background command at a time, each sent when the one before has been answered, so the
    // store is busy with it throughout the rounds (acks sampled at any moment of its queries).
    const backgroundLoop = (async () => {
      while (backgroundOn) {
        const { responseId } = await send(port, background);
        backgroundSent += 1;
        await fake.waitFor(() => fake.responses.some((x) => x.id === responseId), 900_000, background);
      }
    })();
    if (background) await new Promise((resolve) => setTimeout(resolve, 1000));
    for (let r = 0; r < warmup + variantRounds; r += 1) {
      if (background && r > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      const batch = await Promise.all(Array.from({ length: concurrency }, (_, i) => send(port, textFor(i))));
      if (r === 0) firstRoundAckMax = Math.max(...batch.map((b) => b.ms));
      if (r >= warmup) {
        acks.push(...batch.map((b) => b.ms));
        sent.push(...batch);
      }
    }
    backgroundOn = false;
    await backgroundLoop;
    const entry: SlackAckFigures['variants'][string] = { ack: stats(acks), firstRoundAckMax };
    figures.variants[variant] = entry;
    let answerLine = '';
    if (variant !== 'bare') {
      const expected = (warmup + variantRounds) * concurrency + backgroundSent;
      // Every request has had its answer (a long one may come as several posts).
      const answered = () => new Set(fake.responses.map((r) => r.id)).size >= expected;
      await fake.waitFor(answered, 900_000, `${expected} answers`);
      const arrived = new Map<string, number>();
      for (const r of fake.responses) if (!arrived.has(r.id)) arrived.set(r.id, r.at);
      const toAnswer = sent.map((s) => (arrived.get(s.responseId) ?? Number.NaN) - s.sentAt);
      entry.answer = stats(toAnswer);
      answerLine = `\n        command → answer ${summary(toAnswer)}`;
      if (variant !== 'text') {
        entry.uploads = fake.completedUploads;
        answerLine += ` · ${entry.uploads} uploads`;
      }
      answerLine += ` · first round ack max ${firstRoundAckMax.toFixed(2)} ms`;
    }
    if (variant === 'core') {
      // One command at a time: the time a person waits for the answer.
      entry.oneAtATime = [];
      for (const text of CORE_COMMANDS) {
        const times: number[] = [];
        let files = 0;
        for (let i = 0; i < oneAtATime + 2; i += 1) {
          const before = fake.responses.length;
          const uploadsBefore = fake.uploads.length;
          const { responseId, sentAt } = await send(port, text);
          await fake.waitFor(() => fake.responses.length > before && fake.responses.some((r) => r.id === responseId), 120_000, text);
          // The pointer to the DM comes after the upload: what arrived before it is this answer's.
          files = Math.max(files, fake.uploads.length - uploadsBefore);
          if (i >= 2) times.push((fake.responses.find((r) => r.id === responseId)?.at ?? Number.NaN) - sentAt);
        }
        entry.oneAtATime.push({ command: text, files, answer: stats(times) });
        answerLine += `\n        one at a time: ${text.padEnd(27)} ${files > 0 ? `${files} file${files > 1 ? 's' : ' '}` : 'text  '} command → answer ${summary(times)}`;
      }
    }
    const loop = await stop();
    process.off('exit', killOnExit);
    if (loop) {
      entry.eventLoopDelay = loop;
      answerLine += `\n        server event-loop delay p50 ${loop.p50.toFixed(2)} ms · p99 ${loop.p99.toFixed(2)} ms · max ${loop.max.toFixed(2)} ms`;
    }
    if (background) answerLine += `\n        rounds measured while "${background}" was being answered throughout (${backgroundSent} answered)`;
    results.push(`${variant.padEnd(6)} ack ${summary(acks)}${answerLine}`);
    console.log(results[results.length - 1]);
  }
  agent.destroy();
  await fake.close();
  console.log(`\n${concurrency} concurrent signed /wsa requests per round; node ${process.version}; ${figures.at}`);
  const json = arg('json', '');
  if (json) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(json, `${JSON.stringify(figures, null, 2)}\n`);
  }
}

if (args.includes('--fake-slack')) {
  await serveFakeSlack();
} else if (args.includes('--serve')) {
  await serve(arg('serve', 'bare') as Variant, arg('api-url', ''));
} else {
  await main();
}

/** An enabled account owner of the store's directory: the caller the benchmark answers as. */
/** Every Slack caller acts as the workspace owner (the fake Slack's users have other emails). */
function asOwner(fn: AnswerFn, email: string): AnswerFn {
  return (caller, text, where) => fn({ ...caller, email }, text, where);
}

