import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import {
  customPeriod,
  defaultGrain,
  defaultPreset,
  describePeriod,
  formatRange,
  grainPeriods,
  parseIsoDate,
  presetPeriod,
  previousPeriod,
  type PresetName,
} from '../../src/core/periods.ts';

// Calendar facts used below, checked against a wall calendar:
// 2026-11-22 and 2026-11-29 are Sundays, 2026-11-28 a Saturday, 2026-11-26 a Thursday;
// 2025-12-28 is a Sunday, 2026-01-03 a Saturday; 2026-02-01 is a Sunday and 2026-02-28 a Saturday.

function range(preset: PresetName, today: string) {
  const p = presetPeriod(preset, today);
  return [p.start, p.end, p.nominalEnd, p.toDate];
}

describe('presets on a Thursday (2026-11-26)', () => {
  const today = '2026-11-26';
  it.each<[PresetName, string, string, string, boolean]>([
    ['this-week', '2026-11-22', '2026-11-26', '2026-11-28', true],
    ['this-month', '2026-11-01', '2026-11-26', '2026-11-30', true],
    ['last-week', '2026-11-15', '2026-11-21', '2026-11-21', false],
    ['last-month', '2026-10-01', '2026-10-31', '2026-10-31', false],
    ['last-4-weeks', '2026-10-25', '2026-11-21', '2026-11-21', false],
    ['last-12-weeks', '2026-08-30', '2026-11-21', '2026-11-21', false],
    ['last-3-months', '2026-08-01', '2026-10-31', '2026-10-31', false],
    ['last-6-months', '2026-05-01', '2026-10-31', '2026-10-31', false],
    ['last-12-months', '2025-11-01', '2026-10-31', '2026-10-31', false],
  ])('%s is %s … %s', (preset, start, end, nominalEnd, toDate) => {
    expect(range(preset, today)).toEqual([start, end, nominalEnd, toDate]);
  });
});

describe('presets across the year boundary (today Friday 2026-01-02)', () => {
  const today = '2026-01-02';
  it.each<[PresetName, string, string]>([
    ['this-week', '2025-12-28', '2026-01-02'],
    ['this-month', '2026-01-01', '2026-01-02'],
    ['last-week', '2025-12-21', '2025-12-27'],
    ['last-month', '2025-12-01', '2025-12-31'],
    ['last-4-weeks', '2025-11-30', '2025-12-27'],
    ['last-12-weeks', '2025-10-05', '2025-12-27'],
    ['last-3-months', '2025-10-01', '2025-12-31'],
    ['last-12-months', '2025-01-01', '2025-12-31'],
  ])('%s is %s … %s', (preset, start, end) => {
    const p = presetPeriod(preset, today);
    expect([p.start, p.end]).toEqual([start, end]);
  });
});

describe('today on a week boundary', () => {
  it('on a Sunday, this week is that one day and last week the seven before', () => {
    expect(range('this-week', '2026-11-29')).toEqual(['2026-11-29', '2026-11-29', '2026-12-05', true]);
    expect(range('last-week', '2026-11-29')).toEqual(['2026-11-22', '2026-11-28', '2026-11-28', false]);
    expect(range('last-4-weeks', '2026-11-29')).toEqual(['2026-11-01', '2026-11-28', '2026-11-28', false]);
  });

  it('on a Saturday, this week is complete and last week is the one before', () => {
    expect(range('this-week', '2026-11-28')).toEqual(['2026-11-22', '2026-11-28', '2026-11-28', false]);
    expect(range('last-week', '2026-11-28')).toEqual(['2026-11-15', '2026-11-21', '2026-11-21', false]);
  });

  it('on the first of a month, this month is that day and last month the whole previous one', () => {
    expect(range('this-month', '2026-03-01')).toEqual(['2026-03-01', '2026-03-01', '2026-03-31', true]);
    expect(range('last-month', '2026-03-01')).toEqual(['2026-02-01', '2026-02-28', '2026-02-28', false]);
  });
});

describe('custom ranges', () => {
  const today = '2026-11-26';
  it('accepts a range up to the day before from + 12 months', () => {
    const p = customPeriod('2025-01-01', '2025-12-31', today);
    expect([p.start, p.end, p.preset, p.toDate]).toEqual(['2025-01-01', '2025-12-31', null, false]);
  });

  it('defaults to today when only from: is given', () => {
    const p = customPeriod('2026-11-01', undefined, today);
    expect([p.start, p.end]).toEqual(['2026-11-01', '2026-11-26']);
  });

  it('takes a one-day range and a range ending today', () => {
    expect(customPeriod('2026-11-26', '2026-11-26', today).end).toBe('2026-11-26');
  });

  it('lets a range from 29 February run to 28 February of the next year', () => {
    expect(customPeriod('2024-02-29', '2025-02-28', today).end).toBe('2025-02-28');
    expect(() => customPeriod('2024-02-29', '2025-03-01', today)).toThrow(/longer than 12 months/);
  });

  it.each([
    ['2025-01-01', '2026-01-01', /longer than 12 months.*ends 2025-12-31/],
    ['2026-11-10', '2026-11-09', /to:2026-11-09 is before from:2026-11-10/],
    ['2026-11-01', '2026-11-27', /to:2026-11-27 is after today \(2026-11-26\)/],
    ['2026-12-01', undefined, /from:2026-12-01 is after today/],
    ['2026-02-30', '2026-03-01', /from:2026-02-30 is not a date.*YYYY-MM-DD/],
    ['2026-11-01', '26/11/2026', /to:26\/11\/2026 is not a date/],
    ['yesterday', undefined, /from:yesterday is not a date/],
  ])('from:%s to:%s is refused', (from, to, message) => {
    let error: unknown;
    try {
      customPeriod(from, to, today);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('the previous period of the same kind', () => {
  it.each<[string, string, string, string]>([
    // [preset, today, previous start, previous end]
    ['last-week', '2026-11-26', '2026-11-08', '2026-11-14'],
    ['this-week', '2026-11-26', '2026-11-15', '2026-11-21'],
    ['last-4-weeks', '2026-11-26', '2026-09-27', '2026-10-24'],
    ['last-12-weeks', '2026-11-26', '2026-06-07', '2026-08-29'],
    ['last-month', '2026-02-10', '2025-12-01', '2025-12-31'],
    ['this-month', '2024-03-05', '2024-02-01', '2024-02-29'],
    ['last-3-months', '2026-01-15', '2025-07-01', '2025-09-30'],
    ['last-6-months', '2026-11-26', '2025-11-01', '2026-04-30'],
    ['last-12-months', '2026-01-15', '2024-01-01', '2024-12-31'],
  ])('before %s (today %s) is %s … %s', (preset, today, start, end) => {
    expect(previousPeriod(presetPeriod(preset as PresetName, today))).toEqual({ start, end });
  });

  it('before a custom range is the equal-length range just before it', () => {
    // 10 days: 2026-01-10 … 2026-01-19; the 10 days before run 2025-12-31 … 2026-01-09.
    expect(previousPeriod(customPeriod('2026-01-10', '2026-01-19', '2026-11-26'))).toEqual({
      start: '2025-12-31',
      end: '2026-01-09',
    });
  });
});

describe('the default trend grain', () => {
  it.each([
    ['2026-10-25', '2026-11-21', 'week'], // four Sunday–Saturday weeks
    ['2026-10-01', '2026-10-31', 'month'], // October starts on a Thursday
    ['2025-11-01', '2026-10-31', 'month'],
    ['2026-02-01', '2026-02-28', 'week'], // whole weeks and a whole month: weeks come first
    ['2026-11-01', '2026-11-26', 'day'], // this month so far
    ['2026-11-22', '2026-11-28', 'week'],
    ['2026-11-22', '2026-11-26', 'day'],
  ])('%s … %s → %s', (start, end, grain) => {
    expect(defaultGrain({ start, end })).toBe(grain);
  });
});

describe('series entries', () => {
  it('are the grain periods overlapping the range, clipped to it', () => {
    expect(grainPeriods({ start: '2026-10-25', end: '2026-11-21' }, 'month')).toEqual([
      { start: '2026-10-25', end: '2026-10-31' },
      { start: '2026-11-01', end: '2026-11-21' },
    ]);
    expect(grainPeriods({ start: '2026-10-01', end: '2026-10-12' }, 'week')).toEqual([
      { start: '2026-10-01', end: '2026-10-03' },
      { start: '2026-10-04', end: '2026-10-10' },
      { start: '2026-10-11', end: '2026-10-12' },
    ]);
    expect(grainPeriods({ start: '2025-12-30', end: '2026-01-02' }, 'day')).toHaveLength(4);
  });
});

describe('defaults and words', () => {
  it('gives the long default to the trend commands and the short one to the rest', () => {
    expect(['overview', 'active-users', 'messages', 'skills', 'apps'].map(defaultPreset)).toEqual(
      Array(5).fill('last-12-weeks'),
    );
    expect(['groups', 'tasks', 'top-users', 'impact'].map(defaultPreset)).toEqual(
      Array(4).fill('last-4-weeks'),
    );
  });

  it('writes dates for people', () => {
    expect(formatRange({ start: '2026-10-25', end: '2026-11-21' })).toBe('25 Oct – 21 Nov 2026');
    expect(formatRange({ start: '2025-12-28', end: '2026-01-03' })).toBe('28 Dec 2025 – 3 Jan 2026');
    expect(formatRange({ start: '2026-11-01', end: '2026-11-07' })).toBe('1–7 Nov 2026');
    expect(describePeriod(presetPeriod('last-4-weeks', '2026-11-26'))).toBe(
      'last 4 weeks (25 Oct – 21 Nov 2026)',
    );
  });

  it('recognises real dates only', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2025-02-29')).toBeUndefined();
    expect(parseIsoDate('2025-2-1')).toBeUndefined();
  });
});
