/**
 * The renderer's own promises, with real vega, vega-lite and canvas: the 1024 px cap, RenderError
 * on every kind of failure, warnings as a hook (and as errors when strict), bounded concurrency,
 * deterministic output, the bundled font, and close().
 */
import { createCanvas } from 'canvas';
import { afterAll, describe, expect, it } from 'vitest';
import { RenderError } from '../../src/core/errors.ts';
import type { VegaLiteSpec } from '../../src/core/charts/types.ts';
import { CHART_FONT_FAMILY, VEGA_LITE_SCHEMA } from '../../src/core/charts/theme.ts';
import { compileChartSpec, createChartRenderer } from '../../src/render/chart-renderer.ts';
import { FONT_DIR, registerChartFonts } from '../../src/render/fonts.ts';
import { realisticCharts } from '../charts/samples.ts';
import { decodePng, inkPixels } from './png.ts';

function barSpec(width: number, height: number, extra: Record<string, unknown> = {}): VegaLiteSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    width,
    height,
    data: { values: [{ a: 'x', b: 1 }, { a: 'y', b: 3 }] },
    mark: 'bar',
    encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
    ...extra,
  };
}

const renderer = createChartRenderer({ strictWarnings: true });
afterAll(() => renderer.close());

describe('size', () => {
  it('shrinks the density of a spec larger than 512 px so the longer side stays within 1024', async () => {
    const image = await renderer.render(barSpec(1500, 300));
    const png = decodePng(image.png);
    expect(Math.max(png.width, png.height)).toBeLessThanOrEqual(1024);
    expect(png.width).toBeGreaterThan(1000); // shrunk to fit, not cropped to a sliver
    expect(image.scaleFactor).toBeLessThan(1);
    expect(image.logicalWidth).toBeGreaterThan(1500);
  });

  it('keeps 2× for a small spec', async () => {
    const image = await renderer.render(barSpec(200, 100));
    expect(image.scaleFactor).toBe(2);
    expect(image.width).toBe(2 * image.logicalWidth);
  });

  it('honours a smaller cap and density', async () => {
    const small = createChartRenderer({ maxSide: 400, scaleFactor: 1 });
    const image = await small.render(barSpec(600, 200));
    expect(Math.max(image.width, image.height)).toBeLessThanOrEqual(400);
    await small.close();
  });
});

describe('failures are RenderErrors', () => {
  it('a spec that does not compile', async () => {
    const error = await renderer.renderPng({ $schema: VEGA_LITE_SCHEMA, mark: 'no-such-mark' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderError);
    expect((error as RenderError).code).toBe('render');
    expect((error as RenderError).userFacing).toBe(false);
  });

  it('data from a URL or file is refused: charts carry their data inline (strict or not)', async () => {
    const lenient = createChartRenderer();
    for (const r of [renderer, lenient]) {
      const spec = { ...barSpec(200, 100), data: { url: 'https://example.invalid/data.json' } };
      await expect(r.renderPng(spec)).rejects.toBeInstanceOf(RenderError);
      const file = { ...barSpec(200, 100), data: { url: '/etc/passwd', format: { type: 'csv' } } };
      await expect(r.renderPng(file)).rejects.toThrow(/no external data/);
    }
    await lenient.close();
  });

  it('a spec with no area to draw', async () => {
    const spec = { $schema: VEGA_LITE_SCHEMA, width: 0, height: 0, padding: 0, data: { values: [] }, mark: 'point' };
    await expect(renderer.renderPng(spec)).rejects.toBeInstanceOf(RenderError);
  });
});

describe('warnings', () => {
  // A shape on a bar is dropped by Vega-Lite with a warning.
  const warned = barSpec(200, 100, {
    encoding: {
      x: { field: 'a', type: 'nominal' },
      y: { field: 'b', type: 'quantitative' },
      shape: { field: 'a', type: 'nominal' },
    },
  });

  it('fail a strict render', async () => {
    const error = await renderer.renderPng(warned).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RenderError);
    expect((error as Error).message).toMatch(/warning/i);
  });

  it('reach the hook of a lenient renderer, which still renders', async () => {
    const seen: string[] = [];
    const lenient = createChartRenderer({ onWarning: (m) => seen.push(m) });
    const png = decodePng(await lenient.renderPng(warned));
    expect(png.width).toBeGreaterThan(0);
    expect(seen.join('\n')).toMatch(/shape/i);
    await lenient.close();
  });

  it('are listed by compileChartSpec', async () => {
    const compiled = await compileChartSpec(warned);
    expect(compiled.warnings.length).toBeGreaterThan(0);
  });
});

describe('concurrency and determinism', () => {
  it('queues renders beyond the bound and finishes all of them, byte-identical for one spec', async () => {
    const one = createChartRenderer({ maxConcurrent: 1, strictWarnings: true });
    const spec = realisticCharts()['trend-active-users']!.spec;
    const images = await Promise.all(Array.from({ length: 5 }, () => one.renderPng(spec)));
    for (const image of images) expect(image.equals(images[0]!)).toBe(true);
    await one.close();
  });

  it("draws the same image whatever the machine's time zone (dates are UTC)", async () => {
    const spec = realisticCharts()['trend-daily']!.spec;
    const saved = process.env['TZ'];
    // On this thread: a render thread keeps the environment it started with, so changing TZ here
    // would not reach it and the test could not fail.
    const renderer = createChartRenderer({ workers: 0, strictWarnings: true });
    try {
      process.env['TZ'] = 'UTC';
      const utc = await renderer.renderPng(spec);
      process.env['TZ'] = 'Pacific/Kiritimati'; // UTC+14
      const far = await renderer.renderPng(spec);
      // UTC−8: a local-time axis would put every date a day early (checked: it then differs).
      process.env['TZ'] = 'America/Los_Angeles';
      const west = await renderer.renderPng(spec);
      expect(far.equals(utc)).toBe(true);
      expect(west.equals(utc)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
      await renderer.close();
    }
  });

  it('close() waits for renders in flight, then refuses new ones', async () => {
    const r = createChartRenderer();
    const inFlight = r.renderPng(realisticCharts()['task-types']!.spec);
    await r.close();
    const png = decodePng(await inFlight);
    expect(inkPixels(png)).toBeGreaterThan(1000);
    await expect(r.renderPng(barSpec(100, 100))).rejects.toBeInstanceOf(RenderError);
  });
});

describe('bundled font', () => {
  it('is in the repository with its licence', async () => {
    const { existsSync } = await import('node:fs');
    for (const file of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'LICENSE-DejaVu.txt']) {
      expect(existsSync(`${FONT_DIR}${file}`), file).toBe(true);
    }
  });

  it('is what canvas measures text with: DejaVu Sans advance widths', () => {
    registerChartFonts();
    const ctx = createCanvas(10, 10).getContext('2d');
    // DejaVu Sans advance widths (units per em 2048, read from the file's hmtx table): "M" 1767,
    // "i" 569. At 2048 px the measured widths are exactly those.
    ctx.font = `2048px "${CHART_FONT_FAMILY}"`;
    expect(ctx.measureText('M').width).toBeCloseTo(1767, 0);
    expect(ctx.measureText('i').width).toBeCloseTo(569, 0);
    ctx.font = `bold 2048px "${CHART_FONT_FAMILY}"`;
    // DejaVu Sans Bold: "M" 2038, "i" 702 (read from the files' hmtx tables).
    expect(ctx.measureText('M').width).toBeCloseTo(2038, 0);
    expect(ctx.measureText('i').width).toBeCloseTo(702, 0);
  });
});
