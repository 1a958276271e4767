/** The pure rules under the metrics: periods, trend entries, the directory "as of" rule, privacy. */
import { describe, expect, it } from 'vitest';
import { snapshotAsOf, type Snapshot } from '../../src/metrics/context.ts';
import { completeWeeks, defaultGrain, grainPeriods, previousPeriod } from '../../src/core/periods.ts';
import { hideSmallGroups } from '../../src/metrics/privacy.ts';

describe('previous period of the same kind', () => {
  it('N whole weeks → the N weeks before', () => {
    // Sun Feb 8 – Sat Feb 14 2026 → Sun Feb 1 – Sat Feb 7.
    expect(previousPeriod({ start: '2026-02-08', end: '2026-02-14', preset: 'last-week' })).toEqual({ start: '2026-02-01', end: '2026-02-07' });
    // 4 weeks Feb 1–28 → Jan 4–31.
    expect(previousPeriod({ start: '2026-02-01', end: '2026-02-28', preset: 'last-4-weeks' })).toEqual({ start: '2026-01-04', end: '2026-01-31' });
  });
  it('N whole months → the N months before', () => {
    expect(previousPeriod({ start: '2025-03-01', end: '2025-03-31', preset: 'last-month' })).toEqual({ start: '2025-02-01', end: '2025-02-28' });
    // Jan–Mar 2026 → Oct–Dec 2025.
    expect(previousPeriod({ start: '2026-01-01', end: '2026-03-31', preset: 'last-3-months' })).toEqual({ start: '2025-10-01', end: '2025-12-31' });
  });
  it('a custom range → the equal-length range before', () => {
    // Feb 4–20: 17 days → Jan 18 – Feb 3.
    expect(previousPeriod({ start: '2026-02-04', end: '2026-02-20', preset: null })).toEqual({ start: '2026-01-18', end: '2026-02-03' });
  });
  it('a custom range of whole months is still a custom range → the equal-length range before', () => {
    // Mar 1–31 2025: 31 days → Jan 29 – Feb 28 (not February: only last-month compares months).
    expect(previousPeriod({ start: '2025-03-01', end: '2025-03-31', preset: null })).toEqual({ start: '2025-01-29', end: '2025-02-28' });
  });
});

describe('trend grain and entries', () => {
  it('defaults to week for whole weeks (also when whole months), month for whole months, else day', () => {
    expect(defaultGrain({ start: '2026-02-01', end: '2026-02-28' })).toBe('week'); // both: weeks first
    expect(defaultGrain({ start: '2026-03-01', end: '2026-03-31' })).toBe('month'); // Tue Mar 31
    expect(defaultGrain({ start: '2026-03-01', end: '2026-03-05' })).toBe('day');
  });
  it('entries are the grain periods overlapping the range, clipped to it', () => {
    expect(grainPeriods({ start: '2026-01-28', end: '2026-02-10' }, 'week')).toEqual([
      { start: '2026-01-28', end: '2026-01-31' },
      { start: '2026-02-01', end: '2026-02-07' },
      { start: '2026-02-08', end: '2026-02-10' },
    ]);
    expect(grainPeriods({ start: '2026-01-28', end: '2026-02-10' }, 'month')).toEqual([
      { start: '2026-01-28', end: '2026-01-31' },
      { start: '2026-02-01', end: '2026-02-10' },
    ]);
    expect(completeWeeks({ start: '2026-01-28', end: '2026-02-10' })).toEqual([{ start: '2026-02-01', end: '2026-02-07' }]);
  });
});

describe('directory as of a day', () => {
  const snaps: Snapshot[] = [
    { id: 1, period_start: '2026-02-01', as_of: '2026-02-07' }, // weekly W1
    { id: 2, period_start: '2026-02-01', as_of: '2026-02-28' }, // monthly February
    { id: 3, period_start: '2026-02-22', as_of: '2026-02-28' }, // weekly W4
    { id: 4, period_start: '2026-03-01', as_of: '2026-03-07' },
  ];
  it('is the newest snapshot ending on or before the day', () => {
    expect(snapshotAsOf(snaps, '2026-02-10')!.id).toBe(1);
    expect(snapshotAsOf(snaps, '2026-03-03')!.id).toBe(3);
    expect(snapshotAsOf(snaps, '2026-03-10')!.id).toBe(4);
  });
  it('prefers the shorter of two ending the same day', () => {
    expect(snapshotAsOf(snaps, '2026-02-28')!.id).toBe(3);
  });
  it('else the oldest one after the day', () => {
    expect(snapshotAsOf(snaps, '2026-01-15')!.id).toBe(1);
    expect(snapshotAsOf([], '2026-01-15')).toBeNull();
  });
});

describe('privacy in group breakdowns', () => {
  const g = (key: string, members: number) => ({ key, name: key, members });
  it('hides groups under the minimum, then the next smallest until the hidden reach it', () => {
    // D 6 + E 3 = 9 < 10 → C (10) goes too: 19.
    const r = hideSmallGroups([g('A', 15), g('B', 12), g('C', 10), g('D', 6), g('E', 3)], 10);
    expect(r.shown.map((x) => x.key)).toEqual(['A', 'B']);
    expect(r.hidden.map((x) => x.key)).toEqual(['E', 'D', 'C']);
  });
  it('hides nothing more when the small ones already reach the minimum', () => {
    // 7 + 4 = 11 ≥ 10.
    const r = hideSmallGroups([g('A', 15), g('B', 7), g('C', 4)], 10);
    expect(r.shown.map((x) => x.key)).toEqual(['A']);
    expect(r.hidden).toHaveLength(2);
  });
  it('hides nothing when every group is large enough', () => {
    expect(hideSmallGroups([g('A', 10), g('B', 11)], 10).hidden).toEqual([]);
  });
  it('breaks ties in "next smallest" by name', () => {
    // E 2 < 10 → next smallest of B 12 / C 12 by name: B.
    const r = hideSmallGroups([g('C', 12), g('B', 12), g('A', 30), g('E', 2)], 10);
    expect(r.hidden.map((x) => x.key)).toEqual(['E', 'B']);
  });
});
