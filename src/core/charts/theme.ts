/**
 * The house look of every chart: one font (the bundled DejaVu Sans, see assets/fonts/), a
 * colour-blind-safe palette (Okabe–Ito), text sized to stay readable when Slack or Teams shows the
 * image at preview size, and a fixed canvas: every builder draws into at most
 * CHART_MAX_WIDTH × CHART_MAX_HEIGHT logical pixels, which the renderer doubles (2× density) to at
 * most 1024 px on the longer side (docs/design.md §9).
 */
import { cleanLabel } from './format.ts';
import type { ChartHeading, VegaLiteSpec } from './types.ts';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Must match the family name inside assets/fonts/DejaVuSans*.ttf (the renderer registers it). */
export const CHART_FONT_FAMILY = 'DejaVu Sans';

/** Logical size budget: 512 × 512 at 1× is 1024 × 1024 at 2×. */
export const CHART_MAX_WIDTH = 512;
export const CHART_MAX_HEIGHT = 512;
export const CHART_WIDTH = 512;
export const CHART_PADDING = 12;

/** Okabe & Ito (2008), ordered so the first colours stay distinct on white and in grey print. */
export const PALETTE = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#D55E00', // vermillion
  '#56B4E9', // sky blue
  '#CC79A7', // reddish purple
  '#000000', // black
  '#F0E442', // yellow (last: faint on white)
] as const;

/** Previous period, industry median and other reference marks. */
export const REFERENCE_COLOR = '#9A9A9A';
export const TEXT_COLOR = '#1F1F1F';
export const MUTED_TEXT_COLOR = '#5A5A5A';
export const GRID_COLOR = '#E6E6E6';

/** Sequential scheme for the heat map (single hue: safe for every colour-vision type). */
export const HEATMAP_SCHEME = 'blues';

/** Positive answers in blues, the others in oranges (darkest first): a colour-blind-safe diverging pair. */
export const POSITIVE_SHADES = ['#0072B2', '#3D93C8', '#7FB6DC', '#B4D4EC'] as const;
export const OTHER_SHADES = ['#D55E00', '#E69F00', '#F2C46D', '#F7DDA8', '#BDBDBD'] as const;

export const FONT_SIZE = {
  title: 17,
  subtitle: 12,
  label: 12,
  axisTitle: 12,
  markText: 12,
  empty: 14,
} as const;

/** Pixel widths at which labels are cut with an ellipsis (at 1×). */
export const LABEL_LIMIT = {
  axis: 170,
  legend: 150,
  /** Title and subtitle: the whole width inside the padding. */
  title: CHART_WIDTH - 2 * CHART_PADDING,
} as const;

export const NO_DATA_MESSAGE = 'No data for this period';

/** The Vega-Lite `config` of every chart. A fresh object each call (specs are mutable JSON). */
export function houseConfig(): Record<string, unknown> {
  return {
    font: CHART_FONT_FAMILY,
    background: '#FFFFFF',
    view: { stroke: null },
    title: {
      anchor: 'start',
      fontSize: FONT_SIZE.title,
      fontWeight: 'bold',
      color: TEXT_COLOR,
      limit: LABEL_LIMIT.title,
      subtitleFontSize: FONT_SIZE.subtitle,
      subtitleColor: MUTED_TEXT_COLOR,
      subtitlePadding: 5,
      offset: 14,
    },
    axis: {
      labelFontSize: FONT_SIZE.label,
      titleFontSize: FONT_SIZE.axisTitle,
      titleFontWeight: 'normal',
      labelColor: TEXT_COLOR,
      titleColor: MUTED_TEXT_COLOR,
      gridColor: GRID_COLOR,
      domainColor: '#8C8C8C',
      tickColor: '#8C8C8C',
      labelLimit: LABEL_LIMIT.axis,
      labelOverlap: true,
      titlePadding: 8,
    },
    axisBand: { grid: false, ticks: false, domain: false },
    legend: {
      labelFontSize: FONT_SIZE.label,
      titleFontSize: FONT_SIZE.label,
      titleFontWeight: 'normal',
      labelColor: TEXT_COLOR,
      labelLimit: LABEL_LIMIT.legend,
      orient: 'top',
      direction: 'horizontal',
      columnPadding: 14,
      symbolSize: 110,
      symbolStrokeWidth: 3,
    },
    range: { category: [...PALETTE], heatmap: { scheme: HEATMAP_SCHEME } },
    line: { strokeWidth: 2.5 },
    point: { filled: true },
    bar: { cornerRadiusEnd: 2 },
    text: { fontSize: FONT_SIZE.markText, color: TEXT_COLOR },
  };
}

/**
 * The top-level frame of every chart: schema, fixed outer size (autosize `fit` including padding,
 * so long labels shrink the plot instead of growing the image), title and subtitle lines, theme.
 */
export function chartFrame(
  heading: ChartHeading,
  size: { width?: number; height: number },
  notes: string[] = [],
): VegaLiteSpec {
  const subtitle = [heading.subtitle, ...notes]
    .filter((s): s is string => Boolean(s && s.trim()))
    .map((s) => cleanLabel(s, 120));
  return {
    $schema: VEGA_LITE_SCHEMA,
    // Whole pixels, so 2× density gives exactly twice the size.
    width: Math.round(Math.min(size.width ?? CHART_WIDTH, CHART_MAX_WIDTH)),
    height: Math.round(Math.min(size.height, CHART_MAX_HEIGHT)),
    autosize: { type: 'fit', contains: 'padding' },
    padding: CHART_PADDING,
    title: {
      text: cleanLabel(heading.title, 120),
      ...(subtitle.length > 0 ? { subtitle } : {}),
    },
    config: houseConfig(),
  };
}

/** A centred grey message layer for a chart with nothing to draw. */
export function emptyMessageLayer(message = NO_DATA_MESSAGE): Record<string, unknown> {
  return {
    data: { values: [{ message }] },
    mark: { type: 'text', fontSize: FONT_SIZE.empty, color: MUTED_TEXT_COLOR },
    encoding: {
      x: { value: { expr: 'width / 2' } },
      y: { value: { expr: 'height / 2' } },
      text: { field: 'message', type: 'nominal' },
    },
  };
}
