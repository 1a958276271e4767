/**
 * A daily trend's previous period lines up by weekday (a Monday under a Monday) or is not drawn.
 * Fixture: previous-period values are the day of the month they belong to, so every expected value
 * below can be read off the calendar (1 Nov 2026 is a Sunday).
 */
import { describe, expect, it } from 'vitest';
import { buildTrendChart, type Series } from '../../src/core/charts/index.ts';

function days(from: string, count: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

/** Value = day of the month (so 25 Oct → 25). */
function byDate(name: string, from: string, count: number): Series {
  return { name, points: days(from, count).map((d) => ({ period_start: d, value: Number(d.slice(8)) })) };
}

function chartOf(current: Series, previous: Series) {
  return buildTrendChart({ title: 'Active users per day', grain: 'day', unit: 'Active users', series: [current], previous });
}

function previousRows(chart: ReturnType<typeof buildTrendChart>) {
  const rows = (chart.spec['data'] as { values: Record<string, unknown>[] }).values;
  return rows.filter((r) => r['style'] === 'previous').map((r) => [r['period_start'], r['value'], r['compared_day']]);
}

function legend(chart: ReturnType<typeof buildTrendChart>): unknown {
  const layer = (chart.spec['layer'] as { encoding: { color: { scale: { domain: unknown } } } }[])[0]!;
  return layer.encoding.color.scale.domain;
}

describe('daily trend against the previous period', () => {
  it('keeps a previous period whole weeks before where it is, day for day, without a note', () => {
    // 8–14 Nov against 1–7 Nov: 7 days apart, so each day sits over the same weekday.
    const chart = chartOf(byDate('Active users', '2026-11-08', 7), byDate('Previous period', '2026-11-01', 7));
    expect(previousRows(chart)).toEqual(days('2026-11-08', 7).map((d, i) => [d, i + 1, `2026-11-0${i + 1}`]));
    expect(legend(chart)).toEqual(['Active users', 'Previous period']);
    expect(chart.spec['title']).toEqual({ text: 'Active users per day' });
  });

  it('moves a previous period 10 days before by one whole week, leaving out the days it cannot give', () => {
    // 1–10 Nov against 22–31 Oct. Moved 7 days, 1–7 Nov meet 25–31 Oct (7 days); moved 14 days,
    // 5–10 Nov meet 22–27 Oct (6 days): 7 wins. 8–10 Nov would need 1–3 Nov: not in the previous period.
    const chart = chartOf(byDate('Active users', '2026-11-01', 10), byDate('Previous period', '2026-10-22', 10));
    expect(previousRows(chart)).toEqual([
      ['2026-11-01', 25, '2026-10-25'],
      ['2026-11-02', 26, '2026-10-26'],
      ['2026-11-03', 27, '2026-10-27'],
      ['2026-11-04', 28, '2026-10-28'],
      ['2026-11-05', 29, '2026-10-29'],
      ['2026-11-06', 30, '2026-10-30'],
      ['2026-11-07', 31, '2026-10-31'],
      ['2026-11-08', null, null],
      ['2026-11-09', null, null],
      ['2026-11-10', null, null],
    ]);
    expect(legend(chart)).toEqual(['Active users', '1 week earlier']);
    const note = 'Grey: the same weekday 1 week earlier, so weekdays line up.';
    expect((chart.spec['title'] as { subtitle: string[] }).subtitle).toEqual([note]);
    expect(chart.altText.endsWith(`the previous period, drawn faint, ended at 31. ${note}`)).toBe(true);
    expect(chart.fallbackText).toContain(note);
  });

  it('lines last month up with this one by weekday: Sunday 1 Nov over Sunday 4 Oct', () => {
    // November against October (31 days before). Moved 28 days: 1–28 Nov meet 4–31 Oct (28 days);
    // moved 35: 5–30 Nov meet 1–26 Oct (26 days). So 28: 29 and 30 Nov get no comparison.
    const chart = chartOf(byDate('Active users', '2026-11-01', 30), byDate('Previous period', '2026-10-01', 31));
    const rows = previousRows(chart);
    expect(rows.slice(0, 2)).toEqual([
      ['2026-11-01', 4, '2026-10-04'],
      ['2026-11-02', 5, '2026-10-05'],
    ]);
    expect(rows.slice(-3)).toEqual([
      ['2026-11-28', 31, '2026-10-31'],
      ['2026-11-29', null, null],
      ['2026-11-30', null, null],
    ]);
    for (const [day, , from] of rows) if (from !== null) expect(weekday(from as string)).toBe(weekday(day as string));
    expect(legend(chart)).toEqual(['Active users', '4 weeks earlier']);
  });

  it('does not draw a previous period none of whose days falls on a drawn weekday, and says so', () => {
    // 10–12 Nov against 7–9 Nov: one week back is 3–5 Nov, outside the previous period.
    const chart = chartOf(byDate('Active users', '2026-11-10', 3), byDate('Previous period', '2026-11-07', 3));
    expect(previousRows(chart)).toEqual([]);
    expect(legend(chart)).toEqual(['Active users']);
    const note = 'Previous period not drawn: none of its days lines up by weekday.';
    expect((chart.spec['title'] as { subtitle: string[] }).subtitle).toEqual([note]);
    expect(chart.altText.endsWith(note)).toBe(true);
  });

  it('draws no comparison over a day the current period has no data for', () => {
    const current = byDate('Active users', '2026-11-08', 7);
    current.points[2] = { period_start: '2026-11-10', value: null };
    const chart = chartOf(current, byDate('Previous period', '2026-11-01', 7));
    expect(previousRows(chart)[2]).toEqual(['2026-11-10', null, null]);
  });

  it('leaves weeks matched by position, as before', () => {
    const chart = buildTrendChart({
      title: 'Active users per week',
      grain: 'week',
      unit: 'Active users',
      series: [byDate('Active users', '2026-11-01', 1)],
      previous: byDate('Previous period', '2026-10-25', 1),
    });
    const rows = (chart.spec['data'] as { values: Record<string, unknown>[] }).values.filter((r) => r['style'] === 'previous');
    expect(rows.map((r) => [r['period_start'], r['value'], 'compared_day' in r])).toEqual([['2026-11-01', 25, false]]);
  });
});
