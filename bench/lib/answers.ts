/**
 * Answer times (docs/design.md §10: p95 ≤ 300 ms without chart, ≤ 500 ms with): every data command
 * in-process through answer(), the path the server uses (a chat message's row limit), as the
 * operator; "with chart" adds the rendering of the Reply's charts by the real renderer (warm),
 * timed in the same sample. `top-users` is also timed as the JSON answer gives it (every sender,
 * `wsa ask --json`: rows streamed and written by writeReplyJson into a sink that keeps nothing),
 * with fewer runs: it reads every sender's facts and maps.
 */
import { fixedClock } from '../../src/core/clock.ts';
import { answer } from '../../src/core/answer.ts';
import { registry } from '../../commands/index.ts';
import type { Reply } from '../../src/core/reply.ts';
import { writeReplyJson } from '../../src/core/reply-json.ts';
import { Writable } from 'node:stream';
import { silentLogger } from '../../src/log.ts';
import type { ChartRenderer } from '../../src/render/chart-renderer.ts';
import { MAX_DISPLAY_ROWS } from '../../src/adapters/slack/limits.ts';
import type { DbOrTx } from '../../src/store/schema.ts';
import { percentile } from './stats.ts';
import { runFloor, SQL_FLOORS } from './sql-floors.ts';
import { BENCH_NOW } from './workspaces.ts';

/** Every data command, as typed (defaults), and the four representative answers with the periods their SQL floors use. */
export const COMMAND_TEXTS = [
  'overview',
  'active-users',
  'messages',
  'groups',
  'users',
  'benchmarks',
  'impact',
  'tasks',
  'heatmap',
  'top-users',
  'power-users',
  'gpts',
  'projects',
  'skills',
  ...SQL_FLOORS.map((f) => f.command),
] as const;

/** Commands also timed with every row (the JSON answer), and their runs at most. */
export const JSON_TEXTS = ['top-users'] as const;
const JSON_RUNS = 3;

export interface AnswerTiming {
  text: string;
  /** Every row (the JSON answer) rather than a chat message's first rows. */
  json: boolean;
  /** Null when answered; the error code otherwise (e.g. a source without task data). */
  error: string | null;
  charts: number;
  noChart: { p50: number; p95: number };
  withChart: { p50: number; p95: number };
  samples: number;
  values: Reply['values'];
}

export interface FloorTiming {
  command: string;
  label: string;
  p50: number;
  p95: number;
  result: Record<string, unknown>[];
}

const caller = { kind: 'operator' } as const;

export async function measureAnswers(db: DbOrTx, renderer: ChartRenderer, runs: number): Promise<AnswerTiming[]> {
  const out: AnswerTiming[] = [];
  for (const text of COMMAND_TEXTS) out.push(await measureOne(db, renderer, text, runs, false));
  for (const text of JSON_TEXTS) out.push(await measureOne(db, renderer, text, Math.min(runs, JSON_RUNS), true));
  return out;
}

async function measureOne(db: DbOrTx, renderer: ChartRenderer, text: string, runs: number, json: boolean): Promise<AnswerTiming> {
  const clock = fixedClock(BENCH_NOW);
  const logger = silentLogger();
  const plain: number[] = [];
  const charted: number[] = [];
  let last: Reply | undefined;
  // One warm-up (plans cached, pages in memory), then `runs` samples.
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    const reply = await answer({ db, clock, logger, registry, caller, text, ...(json ? { streamRows: true } : { rowLimit: MAX_DISPLAY_ROWS }) });
    // The JSON answer is answered once it is written, as `wsa ask --json` writes it.
    if (json) await writeReplyJson(reply, new Writable({ write: (_chunk, _enc, cb) => cb() }));
    const answered = performance.now();
    for (const chart of reply.charts) await renderer.renderPng(chart.spec);
    const rendered = performance.now();
    if (i > 0) {
      plain.push(answered - started);
      charted.push(rendered - started);
    }
    last = reply;
  }
  return {
    text,
    json,
    error: last?.error ? last.error.code : null,
    charts: last?.charts.length ?? 0,
    noChart: { p50: percentile(plain, 0.5), p95: percentile(plain, 0.95) },
    withChart: { p50: percentile(charted, 0.5), p95: percentile(charted, 0.95) },
    samples: plain.length,
    values: last?.values ?? {},
  };
}

export async function measureSqlFloors(db: DbOrTx, endDate: string, runs: number): Promise<FloorTiming[]> {
  const out: FloorTiming[] = [];
  for (const floor of SQL_FLOORS) {
    const times: number[] = [];
    let result: Record<string, unknown>[] = [];
    for (let i = 0; i <= runs; i++) {
      const started = performance.now();
      result = await runFloor(db, floor, endDate);
      if (i > 0) times.push(performance.now() - started);
    }
    out.push({ command: floor.command, label: floor.label, p50: percentile(times, 0.5), p95: percentile(times, 0.95), result });
  }
  return out;
}
