/**
 * Renders in worker threads (chart-renderer.ts, docs/design.md §10: the server's event loop must not wait
 * on a render): real vega, vega-lite and canvas in real threads. The image is the one the calling
 * thread would draw; a thread that dies fails only its own render, with a RenderError (the chart's
 * text fallback then stands in), and is replaced; close() ends the threads.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { threadId as mainThreadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RenderError } from '../../src/core/errors.ts';
import type { VegaLiteSpec } from '../../src/core/charts/types.ts';
import { VEGA_LITE_SCHEMA } from '../../src/core/charts/theme.ts';
import { createChartRenderer, type ChartRenderer } from '../../src/render/chart-renderer.ts';
import { realisticCharts } from '../charts/samples.ts';
import { decodePng, inkPixels } from './png.ts';

function points(n: number): VegaLiteSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    width: 200,
    height: 100,
    data: { values: Array.from({ length: n }, (_, i) => ({ a: i, b: i % 97, c: `label ${i}` })) },
    mark: 'point',
    encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } },
  };
}

const charts = realisticCharts();
const kinds = Object.keys(charts).slice(0, 6);

// The calling thread's renderer draws the reference images.
const here = createChartRenderer({ workers: 0, strictWarnings: true });
afterAll(() => here.close());

describe('a pool of two render threads', () => {
  let pool: ChartRenderer;
  beforeAll(() => {
    pool = createChartRenderer({ workers: 2, strictWarnings: true });
  });
  afterAll(() => pool.close());

  it('starts no thread before there is something to render', () => {
    expect(pool.threadIds()).toEqual([]);
  });

  it('renders concurrent charts in both threads, each image byte-identical to one drawn on this thread', async () => {
    const images = await Promise.all(kinds.map((kind) => pool.render(charts[kind]!.spec)));
    const threads = new Set(images.map((image) => image.threadId));
    expect(threads.has(mainThreadId)).toBe(false);
    expect([...threads].sort()).toEqual([...pool.threadIds()].sort());
    expect(threads.size).toBe(2);
    for (const [i, kind] of kinds.entries()) {
      const reference = await here.render(charts[kind]!.spec);
      expect(reference.threadId).toBe(mainThreadId);
      expect(images[i]!.png.equals(reference.png), kind).toBe(true);
      const { png: _a, threadId: _b, ...size } = images[i]!;
      const { png: _c, threadId: _d, ...referenceSize } = reference;
      expect(size).toEqual(referenceSize);
    }
  });

  it('returns warnings and failures as the calling thread does', async () => {
    const spec = { ...points(3), data: { url: 'https://example.invalid/data.json' } };
    await expect(pool.renderPng(spec)).rejects.toThrow(RenderError);
    await expect(pool.renderPng(spec)).rejects.toThrow(/no external data/);
    // A shape on a bar is dropped by Vega-Lite with a warning.
    const warned = { ...points(3), mark: 'bar', encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' }, shape: { field: 'a', type: 'nominal' } } };
    await expect(pool.renderPng(warned)).rejects.toThrow(/warning/i);
    expect(pool.threadIds()).toHaveLength(2); // a failed render is not a dead thread
  });
});

describe('a render thread that dies', () => {
  // A 48 MB heap holds vega and an ordinary chart; 100,000 points do not fit.
  const r = createChartRenderer({ workers: 1, workerMemoryMb: 48 });
  afterAll(() => r.close());

  it('fails its render with a RenderError and is replaced by a new thread for the next one', async () => {
    const before = await r.render(points(100));
    expect(r.threadIds()).toEqual([before.threadId]);

    const error = await r.render(points(100_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderError);
    expect((error as Error).message).toMatch(/memory limit/);
    expect(r.threadIds()).toEqual([]);

    const after = await r.render(points(100));
    expect(after.threadId).not.toBe(before.threadId);
    expect(r.threadIds()).toEqual([after.threadId]);
    expect(after.png.equals(before.png)).toBe(true);
    expect(inkPixels(decodePng(after.png))).toBeGreaterThan(100);
  });

  it('is stopped when a render outlasts the time limit, and that render fails', async () => {
    const slow = createChartRenderer({ workers: 1, renderTimeoutMs: 1 });
    try {
      // A fresh thread needs far more than 1 ms to load vega: the render times out.
      await expect(slow.render(points(10))).rejects.toThrow(/longer than 1 ms/);
      expect(slow.threadIds()).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});

/** Linux: the nice value of each of this process's threads (field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // The command name (field 2) is in parentheses and may hold spaces: count from after it.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [Number(fields[16])];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

describe.runIf(process.platform === 'linux')('render thread priority (Linux)', () => {
  it('is lowered for the render thread alone, so the server thread wins a contended core', async () => {
    const before = threadNiceValues().filter((n) => n === 7).length;
    const r = createChartRenderer({ workers: 1, workerNice: 7 });
    try {
      await r.warm();
      expect(threadNiceValues().filter((n) => n === 7).length).toBe(before + 1);
      expect(threadNiceValues()).toContain(0); // this thread, among others, is untouched
    } finally {
      await r.close();
    }
    expect(threadNiceValues().filter((n) => n === 7).length).toBe(before);
  });
});

describe('close()', () => {
  it('waits for queued and running renders, ends the threads, then refuses new renders', async () => {
    const r = createChartRenderer({ workers: 1 });
    await r.warm();
    const [thread] = r.threadIds();
    expect(thread).toBeGreaterThan(0);
    const pending = kinds.slice(0, 3).map((kind) => r.renderPng(charts[kind]!.spec));
    await r.close();
    for (const png of await Promise.all(pending)) expect(inkPixels(decodePng(png))).toBeGreaterThan(1000);
    expect(r.threadIds()).toEqual([]);
    await expect(r.renderPng(points(3))).rejects.toThrow(/closed/);
    await expect(r.warm()).rejects.toThrow(/closed/);
  });
});
