/**
 * The rankings alone (`top-users`, `power-users`; docs/design.md §5) on a store already loaded:
 * p50/p95 of answer() in-process as the operator, with a chat message's 15 rows and as the JSON
 * answer (every row, written out as `wsa ask --json` writes it, into a counting sink), and a
 * digest of every answer's values and rows so two runs (before and after a change) can be
 * compared.
 *
 *   node --import tsx bench/people-answers.ts --database-url URL [--schema S | --data-dir DIR]
 *     [--now 2025-11-23T12:00:00Z] [--runs 5] [--json-runs 2] [--out FILE] [--no-migrate] [--json-array]
 *     [--texts 'top-users,power-users last-week'] [--json-only]
 *
 * Beside each wall time, the process's own CPU time (p50): on a loaded machine it moves far less
 * than the wall time, so before/after pairs compare better by it.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { registry } from '../commands/index.ts';
import { answer } from '../src/core/answer.ts';
import { fixedClock } from '../src/core/clock.ts';
import { writeReplyJson } from '../src/core/reply-json.ts';
import { silentLogger } from '../src/log.ts';
import { openStore } from '../src/store/open.ts';
import { percentile } from './lib/stats.ts';
import { usageOnHelp } from './lib/usage.ts';

usageOnHelp(import.meta.url);
const { values: opts } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    schema: { type: 'string' },
    'data-dir': { type: 'string' },
    now: { type: 'string', default: '2025-11-23T12:00:00Z' },
    runs: { type: 'string', default: '5' },
    'json-runs': { type: 'string', default: '2' },
    out: { type: 'string' },
    'no-migrate': { type: 'boolean', default: false },
    'json-array': { type: 'boolean', default: false },
    texts: { type: 'string' },
    'json-only': { type: 'boolean', default: false },
  },
});

const TEXTS = opts.texts?.split(',') ?? [
  'top-users',
  'top-users last-week',
  'power-users',
  'power-users last-week',
  'power-users last-12-weeks',
  'top-users last-4-weeks team:"Sales ANZ"',
  'power-users last-4-weeks team:"Sales ANZ"',
];
const JSON_TEXTS = ['top-users', 'power-users'];

const store = await openStore(
  opts['database-url']
    ? { databaseUrl: opts['database-url'], schema: opts.schema, poolSize: 4, migrate: !opts['no-migrate'] }
    : { dataDir: opts['data-dir']!, migrate: !opts['no-migrate'] },
);
const clock = fixedClock(new Date(opts.now!));
const logger = silentLogger();
const caller = { kind: 'operator' } as const;

/** Bytes written, and a hash of them. */
class Sink extends Writable {
  bytes = 0;
  hash = createHash('sha256');
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    cb();
  }
}

const results: Record<string, unknown> = {};
async function measure(text: string, runs: number, json: boolean, stream = true): Promise<void> {
  const times: number[] = [];
  const cpus: number[] = [];
  let digest = '';
  let rows = 0;
  let values: unknown = null;
  let bytes = 0;
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const reply = await answer({ db: store.db, clock, logger, registry, caller, text, where: 'cli', ...(json ? (stream ? { streamRows: true } : {}) : { rowLimit: 15 }) });
    if (reply.error) throw new Error(`${text}: ${reply.error.message}`);
    const sink = new Sink();
    let more = 0;
    const counted = reply.moreRows && (async function* () {
      for await (const page of reply.moreRows!) {
        more += page.count;
        yield page;
      }
    })();
    await writeReplyJson(counted ? { ...reply, moreRows: counted } : reply, sink);
    const done = performance.now();
    const cpu = process.cpuUsage(cpuStart);
    if (i > 0) times.push(done - started);
    if (i > 0) cpus.push((cpu.user + cpu.system) / 1000);
    digest = sink.hash.digest('hex').slice(0, 16);
    bytes = sink.bytes;
    rows = reply.rows.length + more;
    values = reply.values;
  }
  const key = `${text}${json ? (stream ? ' --json' : ' --json (one array)') : ''}`;
  const cpu = percentile(cpus, 0.5);
  results[key] = { p50: percentile(times, 0.5), p95: percentile(times, 0.95), cpuP50: cpu, rows, bytes, digest, values };
  console.error(
    `${key.padEnd(48)} p50 ${percentile(times, 0.5).toFixed(0).padStart(6)} ms  p95 ${percentile(times, 0.95).toFixed(0).padStart(6)} ms  cpu p50 ${cpu.toFixed(0).padStart(6)} ms  rows ${rows}  ${digest}`,
  );
}

try {
  if (!opts['json-only']) for (const text of TEXTS) await measure(text, Number(opts.runs), false);
  for (const text of JSON_TEXTS) {
    await measure(text, Number(opts['json-runs']), true);
    // the same built whole, as before streaming, for a comparison in the same run
    if (opts['json-array']) await measure(text, Number(opts['json-runs']), true, false);
  }
} finally {
  await store.close();
}
if (opts.out) writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);
