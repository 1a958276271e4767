/**
 * Chart specs for answers and digests (docs/design.md §6): pure builders that return a ChartAttachment —
 * a Vega-Lite spec with its data inline, alt text and a text-table fallback. Render the spec with
 * `createChartRenderer()` from src/render/. This folder imports no vega, vega-lite or canvas.
 */
export type * from './types.ts';
export { buildTrendChart, buildMultiSeriesChart } from './trend.ts';
export { buildStackedBarsChart } from './stacked-bars.ts';
export { buildBenchmarkChart } from './benchmark.ts';
export { buildImpactDimensionsChart, buildAnswerDistributionChart } from './impact.ts';
export { buildTaskTypesChart, buildTaskHeatmapChart } from './tasks.ts';
export { buildTopNChart } from './top-n.ts';
export { buildPowerUsersChart } from './power-users.ts';
export { buildSeriesPanelsChart } from './panels.ts';
export { buildFunnelChart } from './funnel.ts';
export {
  chartHeading,
  formatCompact,
  formatDateRange,
  formatDay,
  formatInteger,
  formatPercent,
  formatValue,
} from './format.ts';
export { CHART_FONT_FAMILY, CHART_MAX_HEIGHT, CHART_MAX_WIDTH, PALETTE } from './theme.ts';
