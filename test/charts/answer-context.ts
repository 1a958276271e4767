/** A ChartContext for the commands' chart functions: an answer about the last 4 weeks before Sun 6 Dec 2026. */
import type { ChartContext } from '../../commands/support/charts.ts';
import { presetPeriod } from '../../src/core/periods.ts';
import type { MetricAnswer } from '../../src/metrics/api.ts';

export function lastFourWeeks(values: MetricAnswer['values'], rows: MetricAnswer['rows'] = [], rowsTotal?: number): ChartContext {
  return {
    period: presetPeriod('last-4-weeks', '2026-12-06'),
    answer: {
      range: { start: '2026-11-08', end: '2026-12-05' },
      covered: { start: '2026-11-08', end: '2026-12-05' },
      partial: false,
      grain: null,
      dataThrough: '2026-12-05',
      lastUpdated: null,
      group: null,
      values,
      series: [],
      rows,
      warnings: [],
      ...(rowsTotal === undefined ? {} : { rowsTotal }),
    },
    before: null,
    minGroupSize: null,
  };
}
