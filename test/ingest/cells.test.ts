import { describe, expect, it } from 'vitest';
import { parseJsonStringList } from '../../src/ingest/cells.ts';
import { grainOf, periodProblem } from '../../src/ingest/report-period.ts';
import { pgTextArray } from '../../src/ingest/bulk-insert.ts';

describe('the department JSON list', () => {
  it.each([
    ['["finance","analytics"]', ['finance', 'analytics']],
    ['[]', []],
    [' [ "r&d" , "o\'neil \\"x\\"" ] ', ['r&d', `o'neil "x"`]],
  ])('reads %s', (text, list) => {
    expect(parseJsonStringList(text)).toEqual(list);
  });

  it.each([
    ["['finance']", 'it is not valid JSON'],
    ['finance', 'it is not valid JSON'],
    ['{"a":1}', 'it is not a list'],
    ['"finance"', 'it is not a list'],
    ['["a",null]', 'it holds null, not a string'],
    ['[["a"]]', 'it holds ["a"], not a string'],
  ])('refuses %s', (text, why) => {
    expect(parseJsonStringList(text)).toBe(why);
  });
});

describe('report periods', () => {
  it('maps cadences to grains', () => {
    expect(['Weekly', 'Partial Weekly', 'Monthly', 'Partial Monthly', 'Date Range'].map((c) => grainOf(c as never))).toEqual([
      'week', 'week', 'month', 'month', 'range',
    ]);
  });

  it.each([
    ['Weekly', '2025-10-26', '2025-11-01'],
    ['Partial Weekly', '2025-10-26', '2025-10-26'],
    ['Partial Weekly', '2025-10-26', '2025-10-31'],
    ['Monthly', '2024-02-01', '2024-02-29'],
    ['Monthly', '2025-02-01', '2025-02-28'],
    ['Monthly', '2025-12-01', '2025-12-31'],
    ['Partial Monthly', '2025-11-01', '2025-11-29'],
    ['Date Range', '2025-01-15', '2025-03-03'],
    ['Date Range', '2025-01-15', '2025-01-15'],
  ])('accepts %s %s..%s', (cadence, start, end) => {
    expect(periodProblem(cadence as never, start, end)).toBeUndefined();
  });

  it.each([
    ['Weekly', '2025-10-25', '2025-10-31', 'period_start', 'a Weekly report starts on a Sunday (weeks run Sunday–Saturday); 2025-10-25 is a Saturday'],
    ['Weekly', '2025-10-26', '2025-11-02', 'period_end', 'a Weekly report starting 2025-10-26 ends on Saturday 2025-11-01, not 2025-11-02'],
    ['Partial Weekly', '2025-10-26', '2025-11-01', 'period_end', "a Partial Weekly report ends before the week's Saturday 2025-11-01; 2025-11-01 completes the week (that is a Weekly report)"],
    ['Monthly', '2025-02-01', '2025-02-29', 'period_end', 'a Monthly report starting 2025-02-01 ends on 2025-02-28, not 2025-02-29'],
    ['Monthly', '2024-02-01', '2024-02-28', 'period_end', 'a Monthly report starting 2024-02-01 ends on 2024-02-29, not 2024-02-28'],
    ['Partial Monthly', '2025-11-02', '2025-11-10', 'period_start', 'a Partial Monthly report starts on the 1st of a month, not 2025-11-02'],
    ['Partial Monthly', '2025-11-01', '2025-12-03', 'period_end', "a Partial Monthly report ends before the month's last day 2025-11-30; 2025-12-03 is past the month"],
  ])('refuses %s %s..%s', (cadence, start, end, column, message) => {
    expect(periodProblem(cadence as never, start, end)).toEqual({ column, message });
  });
});

describe('PostgreSQL array literals', () => {
  it('quote and escape every element', () => {
    expect(pgTextArray([])).toBe('{}');
    expect(pgTextArray(['a', 'b c', 'say "hi"', 'back\\slash', '{x,y}', 'NULL'])).toBe(
      '{"a","b c","say \\"hi\\"","back\\\\slash","{x,y}","NULL"}',
    );
  });
});
