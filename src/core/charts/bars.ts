/**
 * Pieces shared by the horizontal bar charts: height from the number of bars, a value axis with
 * room for the labels drawn at the bar ends, and the category axis.
 */
import { axisFormat, COUNT_AXIS, estimateTextWidth } from './format.ts';
import { CHART_MAX_HEIGHT, CHART_PADDING, CHART_WIDTH, FONT_SIZE, LABEL_LIMIT } from './theme.ts';
import type { ValueFormat } from './types.ts';

/** Logical pixels per bar (band), enough for 12 px labels with air between bars. */
export const BAR_ROW_HEIGHT = 26;
/** Title, subtitle, axis and padding around the bars. */
const FRAME_HEIGHT = 118;
/** Bars drawn at most, so 20 rows still fit in 512 px. */
export const MAX_BARS = 20;

export function barChartHeight(bars: number, extra = 0): number {
  return Math.min(CHART_MAX_HEIGHT, FRAME_HEIGHT + extra + Math.max(bars, 1) * BAR_ROW_HEIGHT);
}

/** Clamp a caller's "how many bars" to [1, MAX_BARS]. */
export function barLimit(wanted: number | undefined, fallback: number): number {
  const n = Math.floor(wanted ?? fallback);
  return Math.max(1, Math.min(MAX_BARS, Number.isFinite(n) ? n : fallback));
}

/** Width left for bars beside category labels (cut at LABEL_LIMIT.axis) inside the padded frame. */
export function plotWidthBeside(categoryLabels: string[]): number {
  const labels = Math.min(LABEL_LIMIT.axis, Math.max(0, ...categoryLabels.map((text) => estimateTextWidth(text))));
  return CHART_WIDTH - 2 * CHART_PADDING - labels - 12;
}

/**
 * How far past the largest value the x scale must reach so the widest end-of-bar label still fits
 * inside the plot: domain max = max × headroom.
 */
export function endLabelHeadroom(endLabels: string[], plotWidth: number): number {
  const px = Math.max(0, ...endLabels.map((text) => estimateTextWidth(text))) + 10;
  return 1 / (1 - Math.min(0.6, px / Math.max(plotWidth, 1)));
}

/** Quantitative x with room for end-of-bar labels; [0, 1] when there is nothing to show. */
export function valueAxisX(
  field: string,
  max: number,
  unit: string,
  format: ValueFormat,
  room: { categoryLabels: string[]; endLabels: string[] },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const top = max > 0 ? max * endLabelHeadroom(room.endLabels, plotWidthBeside(room.categoryLabels)) : 1;
  return {
    field,
    type: 'quantitative',
    scale: { domain: [0, top], nice: false, zero: true },
    axis: {
      title: unit,
      format: axisFormat(format),
      tickCount: 5,
      grid: true,
      ...(format === 'count' ? COUNT_AXIS : {}),
    },
    ...extra,
  };
}

/** Nominal y in the given order (labels are already distinct and cut). */
export function categoryAxisY(field: string, order: string[], title: string | null = null): Record<string, unknown> {
  return {
    field,
    type: 'nominal',
    sort: order,
    scale: { paddingInner: 0.25, paddingOuter: 0.1 },
    axis: { title, labelLimit: LABEL_LIMIT.axis, labelFontSize: FONT_SIZE.label },
  };
}

/** The value label just past a bar's end. */
export function endLabelMark(): Record<string, unknown> {
  return { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: FONT_SIZE.markText };
}

/**
 * Another field on an existing quantitative x scale (value labels, segment midpoints): same type
 * and scale, no axis and no stacking of its own, so the first layer's axis (with its unit) is the
 * one drawn.
 */
export function onSameScale(x: Record<string, unknown>, field: string): Record<string, unknown> {
  return { field, type: x['type'], scale: x['scale'] };
}
