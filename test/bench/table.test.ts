import { describe, expect, it } from 'vitest';
import { answerTarget, formatNumber, formatTable, ratioOf, targetOf, verdictOf, type Figure } from '../../bench/lib/table.ts';
import { firstWeekStart } from '../../bench/lib/sql-floors.ts';
import { percentile } from '../../bench/lib/stats.ts';

describe('bench table', () => {
  const answer: Figure = { name: 'answer p95 overview', backend: 'postgres', value: 450, unit: 'ms', target: 300, floor: 150, floorLabel: 'SQL' };
  const ingest: Figure = { name: 'event ingest', backend: 'pglite', value: 50_000, unit: 'events/s', target: 100_000, floor: 200_000 };

  it('ratios say how many times slower than the floor, for times and for rates', () => {
    expect(ratioOf(answer)).toBe(3); // 450 / 150
    expect(ratioOf(ingest)).toBe(4); // 200,000 / 50,000
    expect(ratioOf({ ...answer, floor: undefined })).toBeUndefined();
  });

  it('targets are maxima for times and minima for rates', () => {
    expect(verdictOf(answer)).toBe('MISSED');
    expect(verdictOf({ ...answer, value: 300 })).toBe('met');
    expect(verdictOf(ingest)).toBe('MISSED');
    expect(verdictOf({ ...ingest, value: 100_000 })).toBe('met');
    expect(verdictOf({ ...answer, target: undefined })).toBe('');
  });

  it('a ratio target is met only with the value target: both must hold', () => {
    const ack: Figure = { name: 'ack p99', backend: 'postgres', value: 33, unit: 'ms', target: 50, maxRatio: 3, floor: 4.3 };
    expect(verdictOf(ack)).toBe('MISSED'); // 33 ms is under 50, but 7.7× the bare ack
    expect(verdictOf({ ...ack, floor: 12 })).toBe('met'); // 2.75×
    expect(verdictOf({ ...ack, value: 60, floor: 30 })).toBe('MISSED'); // 2×, but over 50 ms
    expect(verdictOf({ ...ack, floor: undefined })).toBe('MISSED'); // no floor: the ratio cannot be shown met
    const pgliteIngest: Figure = { ...ingest, target: undefined, maxRatio: 2 };
    expect(verdictOf(pgliteIngest)).toBe('MISSED'); // 4×
    expect(verdictOf({ ...pgliteIngest, value: 100_000 })).toBe('met'); // 2×
    expect(targetOf(ack)).toBe('≤ 50.0, ≤ 3×');
    expect(targetOf(pgliteIngest)).toBe('≤ 2×');
  });

  it('answer targets: PGlite gets twice PostgreSQL\'s', () => {
    expect([answerTarget('postgres', 'text'), answerTarget('postgres', 'chart'), answerTarget('postgres', 'json')]).toEqual([300, 500, 1500]);
    expect([answerTarget('pglite', 'text'), answerTarget('pglite', 'chart'), answerTarget('pglite', 'json')]).toEqual([600, 1000, 3000]);
  });

  it('prints one aligned line per figure', () => {
    const lines = formatTable([answer, ingest]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^answer p95 overview\s+postgres\s+450\s+ms\s+≤ 300\s+MISSED\s+150\s+3\.00×\s+SQL$/);
    expect(lines[3]).toMatch(/^event ingest\s+pglite\s+50,000\s+events\/s\s+≥ 100,000\s+MISSED\s+200,000\s+4\.00×$/);
    // The value column ends at the same place on every line.
    expect(lines[2]!.indexOf('450') + 3).toBe(lines[3]!.indexOf('50,000') + 6);
    expect(formatNumber(12.345, 'ms')).toBe('12.3');
    expect(formatNumber(Number.NaN, 'ms')).toBe('n/a');
  });

  it('percentiles by nearest rank', () => {
    expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('reads week windows', () => {
    expect(firstWeekStart('2025-11-22', 4)).toBe('2025-10-26'); // a Sunday, 28 days ending on the Saturday
  });
});
