/**
 * The chart and ack figures come from the scripts their authors wrote (bench/charts.ts and
 * bench/slack-ack.ts), run as child processes: both are top-level scripts without exported
 * functions, and the ack benchmark needs its server in a process of its own anyway.
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './children.ts';
import type { SlackAckFigures } from '../slack-ack.ts';
import type { IngestHttpFigures } from '../ingest-http.ts';
import type { TeamsAckFigures } from '../teams-ack.ts';
import type { DigestFanoutFigures } from '../digest-fanout.ts';
import type { CliStartFigures } from '../cli-start.ts';
import type { FirstStartFigures } from '../first-start.ts';

const CHARTS = fileURLToPath(new URL('../charts.ts', import.meta.url));
const SLACK_ACK = fileURLToPath(new URL('../slack-ack.ts', import.meta.url));
const INGEST_HTTP = fileURLToPath(new URL('../ingest-http.ts', import.meta.url));
const TEAMS_ACK = fileURLToPath(new URL('../teams-ack.ts', import.meta.url));
const DIGEST_FANOUT = fileURLToPath(new URL('../digest-fanout.ts', import.meta.url));
const CLI_START = fileURLToPath(new URL('../cli-start.ts', import.meta.url));
const FIRST_START = fileURLToPath(new URL('../first-start.ts', import.meta.url));

export interface ChartFigures {
  coldMs: number;
  /** Per chart kind: our renderer warm (median, p95) and the bare vega-lite → vega → canvas render. */
  rows: Array<{ kind: string; firstMs: number; warmMedianMs: number; warmP95Ms: number; bareMedianMs: number; bareP95Ms: number }>;
  /** Through a render thread, as the server renders: a fresh thread's first render, warm round trips. */
  thread?: { coldMs: number; runs: number; rows: Array<{ sample: string; warmMedianMs: number; warmP95Ms: number }> };
}

/** Runs a bench script with `--json FILE` and reads what it wrote there. */
async function runJsonScript<T>(script: string, args: string[]): Promise<T> {
  const json = join(tmpdir(), `wsa-bench-${process.pid}-${Date.now()}.json`);
  try {
    await runChild(process.execPath, ['--import', 'tsx', script, ...args, '--json', json]);
    return JSON.parse(readFileSync(json, 'utf8')) as T;
  } finally {
    rmSync(json, { force: true });
  }
}

/** `wsa --help` and `wsa ask` as whole processes, beside `node -e 0` (bench/cli-start.ts). */
export function cliStartFigures(runs: number): Promise<CliStartFigures> {
  return runJsonScript<CliStartFigures>(CLI_START, ['--runs', String(runs)]);
}

/** The first `npm start` in local mode on an empty data directory, to /healthz 200 (bench/first-start.ts). */
export function firstStartFigures(runs: number): Promise<FirstStartFigures> {
  return runJsonScript<FirstStartFigures>(FIRST_START, ['--runs', String(runs)]);
}

export interface BackgroundAckFigures {
  bareAck: { p50: number; p99: number; n: number };
  ack: { p50: number; p99: number; n: number };
  /** The server's event-loop delay over the run (ms). */
  loopP99?: number;
}

/**
 * Acks of 20 concurrent `/wsa help` while `background` (e.g. `heatmap last-12-months`) is being
 * answered, on a generated event-sourced workspace in PGlite (in memory, loaded through the
 * import and ingest paths), one answer at a time as the server runs PGlite; beside bare node:http.
 */
export async function pgliteBackgroundAckFigures(background: string, users: number, rounds: number, pgliteThread = true): Promise<BackgroundAckFigures> {
  const run = await runJsonScript<SlackAckFigures>(SLACK_ACK, [
    '--variants', 'bare,core',
    '--users', String(users),
    '--weeks', '26',
    '--source', 'events',
    '--commands', 'help',
    '--background', background,
    '--max-answers', '1',
    '--warmup', '2',
    '--rounds', String(rounds),
    '--one-at-a-time', '0',
    '--pglite-thread', pgliteThread ? 'on' : 'off',
  ]);
  const bare = run.variants.bare;
  const core = run.variants.core;
  if (!bare || !core) throw new Error('slack-ack: no bare or core figures');
  return {
    bareAck: { p50: bare.ack.p50, p99: bare.ack.p99, n: bare.ack.n },
    ack: { p50: core.ack.p50, p99: core.ack.p99, n: core.ack.n },
    ...(core.eventLoopDelay ? { loopP99: core.eventLoopDelay.p99 } : {}),
  };
}

export function chartFigures(runs: number): Promise<ChartFigures> {
  return runJsonScript<ChartFigures>(CHARTS, ['--runs', String(runs)]);
}

export interface AckFigures {
  /** Variant → p50/p99 of the ack, ms. */
  [variant: string]: { p50: number; p99: number; n: number };
}

/**
 * Acks of `concurrency` simultaneous commands: the bare node:http floor, text answers, and chart
 * answers rendered in the render thread (as the server does) and on the server's own thread (as
 * before the render thread), all in one run.
 */
export async function ackFigures(rounds: number, concurrency = 20): Promise<AckFigures> {
  const run = await runJsonScript<SlackAckFigures>(SLACK_ACK, ['--variants', 'bare,text,chart,chart-main', '--rounds', String(rounds), '--concurrency', String(concurrency)]);
  return Object.fromEntries(Object.entries(run.variants).map(([variant, v]) => [variant, { p50: v.ack.p50, p99: v.ack.p99, n: v.ack.n }]));
}

export interface SlackAnswerFigures {
  /** The bare node:http floor of the same run. */
  bareAck: { p50: number; p99: number; n: number };
  /** Acks while `concurrency` commands at a time are answered from the store (charts rendered). */
  ack: { p50: number; p99: number; n: number };
  /** Slash command → the answer (or the pointer to the DM) at the response_url, one command at a time. */
  commands: Array<{ command: string; files: number; p50: number; p95: number; n: number }>;
}

/**
 * Command → answer through the real Slack path (signed request → Bolt → answer() → Block Kit,
 * charts rendered and uploaded → fake Slack Web API), on an existing PostgreSQL store, read-only.
 */
export async function slackAnswerFigures(
  databaseUrl: string,
  schema: string,
  opts: { commands?: string[]; rounds?: number; oneAtATime?: number; concurrency?: number } = {},
): Promise<SlackAnswerFigures> {
  const commands = opts.commands ?? ['overview', 'active-users last-12-weeks', 'groups', 'gpts', 'help'];
  const run = await runJsonScript<SlackAckFigures>(SLACK_ACK, [
    '--variants', 'bare,core',
    '--database-url', databaseUrl,
    '--schema', schema,
    '--commands', commands.join(','),
    '--warmup', '1',
    '--rounds', String(opts.rounds ?? 3),
    '--one-at-a-time', String(opts.oneAtATime ?? 10),
    '--concurrency', String(opts.concurrency ?? 20),
  ]);
  const bare = run.variants.bare;
  const core = run.variants.core;
  if (!bare || !core?.oneAtATime) throw new Error('slack-ack: no bare or core figures');
  return {
    bareAck: { p50: bare.ack.p50, p99: bare.ack.p99, n: bare.ack.n },
    ack: { p50: core.ack.p50, p99: core.ack.p99, n: core.ack.n },
    commands: core.oneAtATime.map((c) => ({ command: c.command, files: c.files, p50: c.answer.p50, p95: c.answer.p95, n: c.answer.n })),
  };
}

/**
 * Small ingest requests over HTTP from 20 and 200 concurrent clients, with the bare node:http
 * floor at the same concurrency, in one run (bench/ingest-http.ts).
 */
export function ingestHttpFigures(backend: 'postgres' | 'pglite', requests: number): Promise<IngestHttpFigures> {
  return runJsonScript<IngestHttpFigures>(INGEST_HTTP, ['--backend', backend, '--requests', String(requests), '--concurrency', '20,200']);
}

/**
 * Teams activities from 20 clients at a time into the real stack: activity → HTTP response and →
 * card at the fake connector, for a text answer (help) and a chart answer (overview), beside bare
 * node:http in the same run.
 */
export function teamsAckFigures(backend: 'postgres' | 'pglite', rounds: number, users: number): Promise<TeamsAckFigures> {
  return runJsonScript<TeamsAckFigures>(TEAMS_ACK, ['--backend', backend, '--rounds', String(rounds), '--users', String(users)]);
}

/** 500 digest subscriptions (Slack and Teams) delivered by one run into the rate-limited loopback fakes. */
export function digestFanoutFigures(backend: 'postgres' | 'pglite', subscriptions: number, users: number): Promise<DigestFanoutFigures> {
  return runJsonScript<DigestFanoutFigures>(DIGEST_FANOUT, ['--backend', backend, '--subscriptions', String(subscriptions), '--users', String(users)]);
}
