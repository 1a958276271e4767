/**
 * The chart and ack figures come from the scripts their authors wrote (bench/charts.ts and
 * bench/slack-ack.ts), run as child processes: both are top-level scripts without exported
 * functions, and the ack benchmark needs its server in a process of its own anyway.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild } from './children.ts';

const CHARTS = fileURLToPath(new URL('../charts.ts', import.meta.url));
const SLACK_ACK = fileURLToPath(new URL('../slack-ack.ts', import.meta.url));

export interface ChartFigures {
  coldMs: number;
  /** Per chart kind: our renderer warm (median, p95) and the bare vega-lite → vega → canvas render. */
  rows: Array<{ kind: string; firstMs: number; warmMedianMs: number; warmP95Ms: number; bareMedianMs: number; bareP95Ms: number }>;
}

export async function chartFigures(runs: number, workRoot: string): Promise<ChartFigures> {
  const json = join(workRoot, `charts-${process.pid}.json`);
  try {
    await runChild(process.execPath, ['--import', 'tsx', CHARTS, '--runs', String(runs), '--json', json]);
    return JSON.parse(readFileSync(json, 'utf8')) as ChartFigures;
  } finally {
    rmSync(json, { force: true });
  }
}

export interface AckFigures {
  /** Variant → p50/p99 of the ack, ms. */
  [variant: string]: { p50: number; p99: number; n: number };
}

/** Parses slack-ack's summary lines: `bare   ack p50 1.23 ms · p99 4.56 ms · max … (n=…)`. */
export function parseAckOutput(stdout: string): AckFigures {
  const out: AckFigures = {};
  for (const m of stdout.matchAll(/^(\w+)\s+ack p50 ([\d.]+) ms · p99 ([\d.]+) ms · max [\d.]+ ms \(n=(\d+)\)/gm)) {
    out[m[1]!] = { p50: Number(m[2]), p99: Number(m[3]), n: Number(m[4]) };
  }
  return out;
}

export async function ackFigures(rounds: number, concurrency = 20): Promise<AckFigures> {
  const r = await runChild(process.execPath, ['--import', 'tsx', SLACK_ACK, '--variants', 'bare,text', '--rounds', String(rounds), '--concurrency', String(concurrency)]);
  return parseAckOutput(r.stdout);
}
