import { describe, expect, it } from 'vitest';
import {
  chartHeading,
  cleanLabel,
  describeChange,
  distinctLabels,
  fitLabel,
  formatCompact,
  formatDateRange,
  formatDay,
  formatInteger,
  formatPercent,
  formatPeriodStart,
  formatValue,
  textTable,
} from '../../src/core/charts/format.ts';

describe('number formats', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1k'],
    [1234, '1.23k'],
    [12_345, '12.3k'],
    [123_456, '123k'],
    [999_950, '1M'],
    [1_234_567, '1.23M'],
    [4_200_000_000, '4.2B'],
    [23.456, '23.5'],
    [0.25, '0.25'],
    [-12_345, '-12.3k'],
  ])('compact %d → %s', (value, text) => {
    expect(formatCompact(value)).toBe(text);
  });

  it.each([
    [0, '0%'],
    [0.453, '45%'],
    [0.455, '46%'],
    [1, '100%'],
    [0.004, '0.4%'],
    [0.0001, '0%'],
  ])('percent %d → %s', (value, text) => {
    expect(formatPercent(value)).toBe(text);
  });

  it('integers get thousands separators, nulls say so', () => {
    expect(formatInteger(1234567)).toBe('1,234,567');
    expect(formatInteger(-1234.56)).toBe('-1,234.6');
    expect(formatValue(null)).toBe('no data');
    expect(formatValue(Number.NaN, 'percent')).toBe('no data');
    expect(formatValue(0.8231, 'percent')).toBe('82%');
    expect(formatValue(23.46, 'decimal')).toBe('23.5');
  });

  it('describes change against the first value', () => {
    expect(describeChange(100, 112)).toBe('up 12%');
    expect(describeChange(200, 150)).toBe('down 25%');
    expect(describeChange(100, 100.2)).toBe('unchanged');
    expect(describeChange(0, 10)).toBeNull();
    expect(describeChange(null, 10)).toBeNull();
  });
});

describe('dates', () => {
  it('formats UTC days without the machine time zone', () => {
    expect(formatDay('2025-09-07')).toBe('7 Sep 2025');
    expect(formatDay('2025-09-07', false)).toBe('7 Sep');
    expect(formatPeriodStart('2025-09-07', 'week')).toBe('week of 7 Sep 2025');
    expect(formatPeriodStart('2025-11-01', 'month')).toBe('Nov 2025');
    expect(formatDateRange('2025-09-07', '2025-11-29')).toBe('7 Sep – 29 Nov 2025');
    expect(formatDateRange('2024-12-29', '2025-01-04')).toBe('29 Dec 2024 – 4 Jan 2025');
    expect(formatDateRange('2025-01-04', '2025-01-04')).toBe('4 Jan 2025');
  });

  it('builds a heading from metric, period and filter', () => {
    expect(chartHeading({ metric: 'Active users per week', period: 'Last 12 weeks', filter: 'team: Sales' })).toEqual({
      title: 'Active users per week',
      subtitle: 'Last 12 weeks · team: Sales',
    });
    expect(chartHeading({ metric: 'Messages', period: 'This week', partial: true }).subtitle).toBe('This week (partial)');
  });
});

describe('labels', () => {
  it('flattens control characters and cuts by code point with an ellipsis', () => {
    expect(cleanLabel('a\nb\tc\u0000d')).toBe('a b c d');
    expect(cleanLabel('   ')).toBe('(unnamed)');
    const emoji = '🎉'.repeat(60);
    const cut = cleanLabel(emoji, 10);
    expect(Array.from(cut)).toHaveLength(10);
    expect(cut.endsWith('…')).toBe(true);
    // No lone surrogate: every code point is a whole emoji or the ellipsis.
    expect(Array.from(cut).every((ch) => ch === '🎉' || ch === '…')).toBe(true);
  });

  it('keeps cut names distinct, with the suffix inside the pixel budget', () => {
    const long = 'Extraordinarily long group name that keeps going and going';
    const [a, b, c] = distinctLabels([long, long, 'Sales'], 48, 120);
    expect(a).not.toBe(b);
    expect(b!.endsWith(' (2)')).toBe(true);
    expect(c).toBe('Sales');
    expect(fitLabel('Short', 120)).toBe('Short');
    expect(fitLabel(long, 120).endsWith('…')).toBe(true);
  });

  it('prints aligned text tables and counts what it leaves out', () => {
    const table = textTable(
      ['Group', 'Members'],
      [
        ['Sales', '1,234'],
        ['Équipe', '56'],
        ['IT', '7'],
      ],
      { alignRight: [false, true], maxRows: 2, moreNoun: 'groups' },
    );
    expect(table).toBe(['Group   Members', '------  -------', 'Sales     1,234', 'Équipe       56', '… and 1 more'].join('\n'));
    expect(textTable(['A'], [])).toBe('A\n-\n(no data)');
  });
});
