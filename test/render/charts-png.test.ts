/**
 * Every sample chart (realistic and bad data) compiled and rendered for real, then decoded and
 * inspected: size and density, not blank, title text where the title is, nothing drawn off the
 * edge, and not one Vega-Lite or Vega warning on the way.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CHART_MAX_HEIGHT, CHART_MAX_WIDTH, CHART_PADDING } from '../../src/core/charts/theme.ts';
import type { ChartAttachment } from '../../src/core/charts/types.ts';
import { compileChartSpec, createChartRenderer } from '../../src/render/chart-renderer.ts';
import { badDataCharts, realisticCharts } from '../charts/samples.ts';
import { darkPixels, decodePng, inkOnBorder, inkPixels, isOpaqueWhite } from './png.ts';

const renderer = createChartRenderer({ strictWarnings: true });
afterAll(() => renderer.close());

/** [name, chart, least share of pixels that must be ink]: real data draws a lot, "no data" a title and a line. */
const charts: [string, ChartAttachment, number][] = [
  ...Object.entries(realisticCharts()).map(([name, chart]): [string, ChartAttachment, number] => [name, chart, 0.03]),
  ...Object.entries(badDataCharts()).map(([name, chart]): [string, ChartAttachment, number] => [`bad: ${name}`, chart, 0.005]),
];

describe.each(charts)('%s', (_name, chart, minInk) => {
  it('compiles with no Vega-Lite warning', async () => {
    const compiled = await compileChartSpec(chart.spec);
    expect(compiled.warnings).toEqual([]);
    expect(compiled.vega).toHaveProperty('marks');
  });

  it('renders a decodable PNG at 2×, within 1024 px, the size the spec asks for', async () => {
    const image = await renderer.render(chart.spec);
    const png = decodePng(image.png);
    expect([png.width, png.height]).toEqual([image.width, image.height]);
    expect(Math.max(png.width, png.height)).toBeLessThanOrEqual(1024);
    expect(image.scaleFactor).toBe(2);
    if (chart.spec['hconcat'] || chart.spec['vconcat']) {
      // Panels have sizes of their own (no "fit" for concatenated views): within the budget still.
      expect(image.logicalWidth).toBeLessThanOrEqual(CHART_MAX_WIDTH);
      expect(image.logicalHeight).toBeLessThanOrEqual(CHART_MAX_HEIGHT);
    } else {
      // autosize "fit": long or odd names shrink the plot, never grow or shift the image.
      expect(image.logicalWidth).toBe(chart.spec['width']);
      expect(image.logicalHeight).toBe(chart.spec['height']);
    }
    expect(png.width).toBe(2 * image.logicalWidth);
    expect(png.height).toBe(2 * image.logicalHeight);

    // Not blank: a real chart (or at least its frame and "no data" message) is drawn.
    const ink = inkPixels(png);
    expect(ink).toBeGreaterThan(minInk * png.width * png.height);
    // An opaque white background, so dark-mode clients show it as drawn.
    expect(isOpaqueWhite(png, 0, 0)).toBe(true);

    // Title text in the top-left, inside the padding: dark pixels there, white above it.
    const pad = 2 * CHART_PADDING;
    expect(darkPixels(png, { x: pad, y: pad, w: 300, h: 40 })).toBeGreaterThan(250);
    expect(inkPixels(png, { x: 0, y: 0, w: png.width, h: pad - 6 })).toBe(0);
    // Nothing runs off the canvas: the outer 8 px (4 logical) stay background on every side.
    expect(inkOnBorder(png, 8)).toBe(0);
  });
});
