/**
 * A few answers timed on an existing benchmark store, in-process through answer() as the
 * operator with a chat message's row limit (as `npm run bench` does), and their values and rows
 * written to a JSON file, so two runs (before and after a change) can be compared value for value.
 *
 *   node --import tsx bench/answer-times.ts --backend postgres|pglite [--schema wsa_bench_100k]
 *     [--data-dir bench/.work/pglite-100k] [--runs 10] [--out FILE] [--compare FILE] [TEXT...]
 *
 * BENCH_DATABASE_URL names the PostgreSQL server (as for `npm run bench`). Without TEXTs: the
 * group, GPT/project and team-filtered answers of issue 18 (a team: the busiest group with at
 * least 200 members as of the newest snapshot).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { answer } from '../src/core/answer.ts';
import { fixedClock } from '../src/core/clock.ts';
import { registry } from '../commands/index.ts';
import { silentLogger } from '../src/log.ts';
import { MAX_DISPLAY_ROWS } from '../src/adapters/slack/limits.ts';
import { openStore } from '../src/store/open.ts';
import { percentile } from './lib/stats.ts';
import { BENCH_NOW } from './lib/workspaces.ts';
import { DEFAULT_BENCH_DATABASE_URL } from './lib/throwaway-store.ts';
import { usageOnHelp } from './lib/usage.ts';

usageOnHelp(import.meta.url);
const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    backend: { type: 'string', default: 'postgres' },
    schema: { type: 'string', default: 'wsa_bench_100k' },
    'data-dir': { type: 'string', default: 'bench/.work/pglite-100k' },
    runs: { type: 'string', default: '10' },
    out: { type: 'string' },
    compare: { type: 'string' },
  },
});
const runs = Number(opts.runs);
const store =
  opts.backend === 'postgres'
    ? await openStore({ databaseUrl: process.env.BENCH_DATABASE_URL || DEFAULT_BENCH_DATABASE_URL, schema: opts.schema!, poolSize: 4 })
    : await openStore({ dataDir: opts['data-dir']! });
const db = store.db;

async function defaultTexts(): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select g.name from directory_accounts a cross join lateral unnest(a.group_ids) as m(group_id)
    join scim_groups g on g.group_id = m.group_id
    where a.snapshot_id = (select max(id) from directory_snapshots)
    group by g.name having count(*) >= 200 order by count(*) desc, g.name limit 1 offset 3`.execute(db);
  const team = rows[0]?.name;
  const texts = ['groups', 'groups last-4-weeks', 'groups last-week', 'gpts', 'projects', 'gpts last-12-weeks', 'overview last-6-months'];
  if (team !== undefined) {
    texts.push(`overview last-6-months team:"${team}"`, `active-users last-12-months team:"${team}"`, `gpts team:"${team}"`, `groups team:"${team}"`);
  }
  return texts;
}

const texts = positionals.length > 0 ? positionals : await defaultTexts();
const clock = fixedClock(BENCH_NOW);
const logger = silentLogger();
const out: Array<{ text: string; p50: number; p95: number; values: unknown; rows: unknown; series: unknown; comparison: unknown; warnings: unknown; error: unknown }> = [];
for (const text of texts) {
  const times: number[] = [];
  let last: Awaited<ReturnType<typeof answer>> | undefined;
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    last = await answer({ db, clock, logger, registry, caller: { kind: 'operator' }, text, rowLimit: MAX_DISPLAY_ROWS });
    if (i > 0 || runs === 0) times.push(performance.now() - started);
  }
  const r = { text, p50: percentile(times, 0.5), p95: percentile(times, 0.95), values: last?.values, rows: last?.rows ?? null, series: last?.series ?? null, comparison: last?.comparison ?? null, warnings: last?.warnings ?? null, error: last?.error ?? null };
  out.push(r);
  console.log(`${text.padEnd(52)} p50 ${r.p50.toFixed(0).padStart(6)} ms  p95 ${r.p95.toFixed(0).padStart(6)} ms  load ${loadavg().map((l) => l.toFixed(1)).join(' ')}${r.error ? `  error ${JSON.stringify(r.error)}` : ''}`);
}
if (opts.out) writeFileSync(opts.out, JSON.stringify(out, null, 1));
if (opts.compare) {
  const before = JSON.parse(readFileSync(opts.compare, 'utf8')) as typeof out;
  let differ = 0;
  for (const b of before) {
    const a = out.find((x) => x.text === b.text);
    if (!a) continue;
    const same = (k: 'values' | 'rows' | 'series' | 'comparison' | 'warnings' | 'error') => JSON.stringify(a[k]) === JSON.stringify(b[k]);
    const bad = (['values', 'rows', 'series', 'comparison', 'warnings', 'error'] as const).filter((k) => !same(k));
    if (bad.length > 0) differ++;
    console.log(`${b.text.padEnd(52)} ${bad.length === 0 ? 'same values' : `DIFFERS in ${bad.join(', ')}`}`);
  }
  if (differ > 0) process.exitCode = 1;
}
await store.close();
