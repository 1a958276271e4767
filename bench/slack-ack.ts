/**
 * Slash-command ack latency (DESIGN §10: p99 ≤ 50 ms), against a bare node:http server answering
 * the same requests in the same way, measured in the same run.
 *
 *   node --import tsx bench/slack-ack.ts [--rounds 50] [--concurrency 20]
 *
 * The server under test runs in a child process (its own event loop, as in production); this
 * process is the load generator and plays Slack (the fake Web API and response_urls on loopback).
 * Each round sends `concurrency` signed `/wsa` requests at once; latency is request start →
 * response end, as Slack would see it. Variants:
 *  - bare:  node:http, reads the body, answers 200 — the floor;
 *  - text:  our server + the real Bolt app; the answer is a text Reply (ephemeral via response_url);
 *  - chart: the same with an answer carrying a chart rendered by the real renderer and uploaded to
 *           the DM, so renders and uploads run while later commands are acknowledged.
 *  - core:  the real core — answer() on a generated workspace (the demo generator's, loaded through
 *           the real import paths into PGlite, or into PostgreSQL with --database-url), commands
 *           rotating over overview / active-users / groups / help, charts rendered and uploaded.
 * For text, chart and core it also reports command → answer (the answer, or the DM pointer,
 * arriving at the response_url); for core also one command at a time, per command.
 *
 *   node --import tsx bench/slack-ack.ts --variants core [--users 2000] [--source events|exports]
 *        [--weeks 26] [--database-url postgresql://…]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { Agent, request } from 'node:http';
import { stringify } from 'node:querystring';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { AddressInfo } from 'node:net';

const SECRET = 'bench-signing-secret-0000';
const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};

type Variant = 'bare' | 'text' | 'chart' | 'core';

const CORE_COMMANDS = ['overview', 'active-users last-12-weeks', 'groups', 'help'];

// -------------------------------------------------------------------------------------------
// Child: the server under test

async function serve(variant: Variant, apiUrl: string): Promise<void> {
  if (variant === 'bare') {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-length': 0 });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
    return;
  }
  const { silentLogger } = await import('../src/log.ts');
  const { createHttpServer } = await import('../src/server/http.ts');
  const { createSlackAdapter } = await import('../src/adapters/slack/index.ts');
  const { reply } = await import('../src/core/reply.ts');
  const { createChartRenderer } = await import('../src/render/chart-renderer.ts');
  const renderer = createChartRenderer();
  const logger = silentLogger();
  const chart = {
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
  let answerFn: Parameters<typeof createSlackAdapter>[0]['answer'] = async () =>
    reply({
      command: variant === 'chart' ? 'active-users' : 'help',
      title: 'Active users',
      summary: ['1,407 people sent a message last week.'],
      values: { active_users: 1407 },
      charts: variant === 'chart' ? [chart] : [],
    });
  if (variant === 'core') answerFn = await coreAnswer(logger);
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
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
}

/** The real core on a generated workspace; every Slack caller acts as one of its owners. */
async function coreAnswer(logger: import('../src/log.ts').Logger) {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { openStore } = await import('../src/store/open.ts');
  const { loadDemo } = await import('../src/local/load-demo.ts');
  const { answer } = await import('../src/core/answer.ts');
  const { systemClock } = await import('../src/core/clock.ts');
  const databaseUrl = arg('database-url', '') || undefined;
  const store = await openStore(databaseUrl ? { databaseUrl } : { inMemory: true });
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
  const owner = await store.db
    .selectFrom('directory_accounts')
    .select('email')
    .where('user_role', '=', 'account-owner')
    .where('user_status', '=', 'enabled')
    .where('email', 'is not', null)
    .executeTakeFirstOrThrow();
  process.stderr.write(
    `core: ${store.backend}, ${arg('users', '2000')} users, ${arg('source', 'events')}, loaded in ${((performance.now() - started) / 1000).toFixed(1)} s (${loaded.files} files, ${loaded.events} events)\n`,
  );
  return (_caller: unknown, text: string, where: { toChannel: boolean }) =>
    answer({
      db: store.db,
      clock: systemClock,
      logger,
      caller: { kind: 'person', email: owner.email as string },
      text,
      where: where.toChannel ? 'channel' : 'direct',
    });
}

// -------------------------------------------------------------------------------------------
// Parent: load generator and Slack

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(s, 0.5).toFixed(2)} ms · p99 ${percentile(s, 0.99).toFixed(2)} ms · max ${(s[s.length - 1] ?? Number.NaN).toFixed(2)} ms (n=${s.length})`;
}

async function startChild(variant: Variant, apiUrl: string): Promise<{ child: ChildProcess; port: number }> {
  const self = fileURLToPath(import.meta.url);
  const passed = ['users', 'weeks', 'source', 'database-url', 'max-answers'].flatMap((name) => {
    const value = arg(name, '');
    return value ? [`--${name}`, value] : [];
  });
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--serve', variant, '--api-url', apiUrl, ...passed], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess['stdout']> });
  const port = await new Promise<number>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, port };
}

async function main(): Promise<void> {
  const { computeSlackSignature } = await import('../src/adapters/slack/verify.ts');
  const { startFakeSlack } = await import('../test/support/fake-slack.ts');
  const rounds = Number(arg('rounds', '50'));
  const concurrency = Number(arg('concurrency', '20'));
  const warmup = 5;
  const fake = await startFakeSlack({ botToken: 'xoxb-bench', users: { U0BENCH: 'bench@example.com' } });
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
  const only = arg('variants', 'bare,text,chart,core').split(',') as Variant[];
  for (const variant of only) {
    const { child, port } = await startChild(variant, fake.apiUrl);
    process.once('exit', () => child.kill('SIGTERM'));
    // A fresh agent per server: a new child may get the port of the one before, and idle sockets
    // to a dead server would be reset.
    agent.destroy();
    agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    fake.reset();
    const acks: number[] = [];
    const sent: Array<{ responseId: string; sentAt: number }> = [];
    const variantRounds = variant === 'chart' || variant === 'core' ? Math.min(rounds, 20) : rounds;
    const textFor = (i: number) => (variant === 'core' ? (CORE_COMMANDS[i % CORE_COMMANDS.length] as string) : 'active-users');
    for (let r = 0; r < warmup + variantRounds; r += 1) {
      const batch = await Promise.all(Array.from({ length: concurrency }, (_, i) => send(port, textFor(i))));
      if (r >= warmup) {
        acks.push(...batch.map((b) => b.ms));
        sent.push(...batch);
      }
    }
    let answerLine = '';
    if (variant !== 'bare') {
      const expected = (warmup + variantRounds) * concurrency;
      // Every request has had its answer (a long one may come as several posts).
      const answered = () => new Set(fake.responses.map((r) => r.id)).size >= expected;
      await fake.waitFor(answered, 900_000, `${expected} answers`);
      const arrived = new Map<string, number>();
      for (const r of fake.responses) if (!arrived.has(r.id)) arrived.set(r.id, r.at);
      const toAnswer = sent.map((s) => (arrived.get(s.responseId) ?? Number.NaN) - s.sentAt);
      answerLine = `\n        command → answer ${summary(toAnswer)}`;
      if (variant !== 'text') answerLine += ` · ${fake.accepted('files.completeUploadExternal').length} uploads`;
    }
    if (variant === 'core') {
      // One command at a time: the time a person waits for the answer.
      for (const text of CORE_COMMANDS) {
        const times: number[] = [];
        for (let i = 0; i < 12; i += 1) {
          const before = fake.responses.length;
          const { responseId, sentAt } = await send(port, text);
          await fake.waitFor(() => fake.responses.length > before && fake.responses.some((r) => r.id === responseId), 60_000, text);
          if (i >= 2) times.push((fake.responses.find((r) => r.id === responseId)?.at ?? Number.NaN) - sentAt);
        }
        answerLine += `\n        one at a time: ${text.padEnd(27)} command → answer ${summary(times)}`;
      }
    }
    child.kill('SIGTERM');
    results.push(`${variant.padEnd(6)} ack ${summary(acks)}${answerLine}`);
    console.log(results[results.length - 1]);
  }
  agent.destroy();
  await fake.close();
  console.log(`\n${concurrency} concurrent signed /wsa requests per round; node ${process.version}; ${new Date().toISOString()}`);
}

if (args.includes('--serve')) {
  await serve(arg('serve', 'bare') as Variant, arg('api-url', ''));
} else {
  await main();
}
