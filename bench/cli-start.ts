/**
 * How fast `wsa` starts, as a person meets it (docs/design.md §10): `wsa --help`, `wsa ask` sent
 * to a running local server, and `wsa ask` on a store it opens itself — each a whole process,
 * beside `node -e 0` (the floor: Node starting and doing nothing) — and what the stale-build guard
 * itself costs. The compiled start path is built first (as `npm ci` does); `wsa --help` through
 * tsx is measured too, for comparison.
 *
 *   node --import tsx bench/cli-start.ts [--runs N] [--users N] [--json FILE]
 *
 * The store is a demo workspace of --users accounts (default 500) in a temporary directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO, WSA_BIN, runChild } from './lib/children.ts';
import { percentile } from './lib/stats.ts';
// @ts-expect-error plain JavaScript without types, run by `npm ci`
import { buildProject } from '../scripts/build.mjs';
import { usageOnHelp } from './lib/usage.ts';

usageOnHelp(import.meta.url);

export interface CliStartFigures {
  runs: number;
  users: number;
  /** Median wall time of each, ms. */
  nodeFloorMs: number;
  guardMs: number;
  helpMs: number;
  helpTsxMs: number;
  askForwardedMs: number;
  /** The server's own time for the same answer (its `command.completed` log), median ms. */
  askServerMs: number;
  askOwnStoreMs: number;
  buildMs: number;
}

const { values: opts } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, users: { type: 'string', default: '500' }, json: { type: 'string' } },
});
const runs = Number(opts.runs);
const users = Number(opts.users);
const median = (samples: number[]) => percentile(samples, 0.5);

async function medianOf(times: number, run: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push(await run());
  return median(samples);
}

const dir = mkdtempSync(join(tmpdir(), 'wsa-bench-cli-'));
const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, WSA_DATA_DIR: join(dir, 'data'), WSA_NOW: '2025-11-23T12:00:00Z', LOG_FORMAT: 'json' };
const wsa = (args: string[], extra: NodeJS.ProcessEnv = {}) => runChild(process.execPath, [WSA_BIN, ...args], { ...env, ...extra });

try {
  const buildStarted = performance.now();
  await buildProject(REPO);
  const buildMs = performance.now() - buildStarted;

  const nodeFloorMs = await medianOf(runs, async () => (await runChild(process.execPath, ['-e', '0'])).ms);
  const guardScript = `const t = performance.now(); const { freshBuildEntry } = await import(${JSON.stringify(join(REPO, 'bin', 'build-freshness.mjs'))}); if (!freshBuildEntry(${JSON.stringify(REPO)})) process.exit(3); console.log(performance.now() - t);`;
  const guardMs = await medianOf(runs, async () => Number((await runChild(process.execPath, ['--input-type=module', '-e', guardScript])).stdout));
  const helpMs = await medianOf(runs, async () => (await wsa(['--help'])).ms);
  const helpTsxMs = await medianOf(Math.min(runs, 3), async () => (await wsa(['--help'], { WSA_NO_BUILD: '1' })).ms);

  await wsa(['demo', '--users', String(users), '--weeks', '26']);
  const server = spawn(process.execPath, [WSA_BIN, 'serve'], { cwd: REPO, env: { ...env, PORT: '0', WSA_DEMO: 'off', LOG_LEVEL: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr.setEncoding('utf8').on('data', (d: string) => (log += d));
  const deadline = Date.now() + 120_000;
  while (!log.includes('"server.ready"')) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`wsa serve did not get ready:\n${log.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let askForwardedMs: number;
  let askServerMs: number;
  try {
    askForwardedMs = await medianOf(runs, async () => (await wsa(['ask', 'overview'])).ms);
    const served = [...log.matchAll(/"command":"overview"[^\n]*"ms":(\d+)/g)].map((m) => Number(m[1]));
    askServerMs = median(served);
  } finally {
    const stopped = new Promise((resolve) => server.on('close', resolve));
    server.kill('SIGINT');
    await stopped;
  }
  const askOwnStoreMs = await medianOf(runs, async () => (await wsa(['ask', 'overview'])).ms);

  const figures: CliStartFigures = { runs, users, nodeFloorMs, guardMs, helpMs, helpTsxMs, askForwardedMs, askServerMs, askOwnStoreMs, buildMs };
  if (opts.json) writeFileSync(opts.json, JSON.stringify(figures));
  else {
    const row = (label: string, ms: number, target?: number) =>
      console.log(`${label.padEnd(58)} ${ms.toFixed(0).padStart(6)} ms${target ? `   target ≤ ${target} ms: ${ms <= target ? 'met' : 'MISSED'}` : ''}`);
    console.log(`wsa start-up, median of ${runs} runs (demo store of ${users} accounts)`);
    row('floor: node -e 0', nodeFloorMs);
    row('stale-build guard (import + stat of the sources)', guardMs);
    row('wsa --help (compiled)', helpMs, 300);
    row('wsa --help through tsx (WSA_NO_BUILD=1, comparison)', helpTsxMs);
    row('wsa ask overview, sent to a running local server', askForwardedMs, 1000);
    row('  of which the server answering (command.completed)', askServerMs);
    row('wsa ask overview, opening the store itself', askOwnStoreMs, 2000);
    row('npm run build (scripts/build.mjs)', buildMs);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
