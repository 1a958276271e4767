/**
 * The power-users chart: each person shown against the two thresholds of docs/design.md §5
 * (75 messages a week, 3 distinct tools). Numbers worked out by hand: over 28 days, messages per
 * week = messages / 4.
 */
import { describe, expect, it } from 'vitest';
import { buildPowerUsersChart } from '../../src/core/charts/index.ts';
import { powerUsersChart } from '../../commands/support/charts.ts';
import { lastFourWeeks } from './answer-context.ts';

type Spec = Record<string, unknown>;
const panels = (spec: Spec) => spec['hconcat'] as { layer: Spec[] }[];
const rowsOf = (spec: Spec) => (spec['data'] as { values: Record<string, unknown>[] }).values;

/** The threshold rules and their labels, per panel: [field, value, label]. */
function thresholds(spec: Spec): unknown[] {
  return panels(spec).map((p) => {
    const rule = p.layer.find((l) => (l['mark'] as { type: string }).type === 'rule')!;
    const label = p.layer.find((l) => (l['data'] as { values: Spec[] } | undefined)?.values[0]?.['label'])!;
    const [value] = Object.entries((rule['data'] as { values: Spec[] }).values[0]!);
    return [...value!, (label['data'] as { values: Spec[] }).values[0]!['label']];
  });
}

describe('power-users chart', () => {
  const chart = buildPowerUsersChart({
    title: 'Power users: messages and tools',
    subtitle: 'last 4 weeks',
    days: 28,
    thresholds: { messagesPerWeek: 75, tools: 3 },
    people: [
      { name: 'Ann Able', messages: 600, tools: 4 },
      { name: 'Bo Bright', messages: 310, tools: 3 },
      { name: 'Cy Clear', messages: 300, tools: 7 },
    ],
    total: 5,
  });

  it('draws messages per week and distinct tools per person, in rank order', () => {
    // 600 / 4 = 150; 310 / 4 = 77.5; 300 / 4 = 75 (exactly on the rule).
    expect(rowsOf(chart.spec).map((r) => [r['label'], r['per_week'], r['tools']])).toEqual([
      ['Ann Able', 150, 4],
      ['Bo Bright', 77.5, 3],
      ['Cy Clear', 75, 7],
    ]);
    expect(rowsOf(chart.spec).map((r) => r['per_week_text'])).toEqual(['150', '78', '75']);
  });

  it('draws and labels the two thresholds, one per panel', () => {
    expect(thresholds(chart.spec)).toEqual([
      ['per_week', 75, '75 a week'],
      ['tools', 3, '3 tools'],
    ]);
    // the right panel shares the names of the left one and does not repeat them
    expect(chart.spec['resolve']).toEqual({ scale: { y: 'shared' } });
    const y = (p: { layer: Spec[] }) => ((p.layer[0]!['encoding'] as Spec)['y'] as Spec)['axis'];
    expect(y(panels(chart.spec)[1]!)).toBeNull();
  });

  it('says it shows the first of more, in the caption, the fallback and the alt text', () => {
    expect((chart.spec['title'] as { subtitle: string[] }).subtitle).toEqual(['last 4 weeks', 'Top 3 of 5 power users']);
    expect(chart.fallbackText.split('\n')).toEqual([
      'Power users: messages and tools',
      'last 4 weeks',
      'Top 3 of 5 power users',
      '',
      '#  Person     Messages per week  Tools',
      '-  ---------  -----------------  -----',
      '1  Ann Able                 150      4',
      '2  Bo Bright               77.5      3',
      '3  Cy Clear                  75      7',
    ]);
    expect(chart.altText).toBe(
      "Bar chart of power users: messages and tools, last 4 weeks: the top 3 of 5 power users' messages per week against " +
        'the 75-a-week threshold and their distinct tools against the 3-tool threshold. ' +
        'The first, Ann Able, averages 150 messages a week with 4 tools.',
    );
  });

  it('draws at most the limit', () => {
    const two = buildPowerUsersChart({
      title: 'P',
      days: 7,
      thresholds: { messagesPerWeek: 75, tools: 3 },
      people: [
        { name: 'A', messages: 80, tools: 3 },
        { name: 'B', messages: 79, tools: 3 },
        { name: 'C', messages: 78, tools: 3 },
      ],
      limit: 2,
    });
    expect(rowsOf(two.spec).map((r) => r['per_week'])).toEqual([80, 79]);
    expect((two.spec['title'] as { subtitle: string[] }).subtitle).toEqual(['Top 2 of 3 power users']);
  });
});

describe('power-users chart of an answer', () => {
  const ctx = (rows: Record<string, unknown>[]) => lastFourWeeks({ power_users: 5, senders: 12 }, rows, 5);

  it('takes the rows shown, their messages over the 28 covered days and their tools, and where the top 20% ends', () => {
    const [chart] = powerUsersChart(
      ctx([
        { public_id: 'u1', name: 'Ann Able', email: 'ann@example.com', messages: 600, tools_messaged: 4 },
        { public_id: 'u2', name: '', email: 'bo@example.com', messages: 310, tools_messaged: 3 },
      ]),
    );
    expect(chart!.kind).toBe('power-users');
    expect(rowsOf(chart!.spec).map((r) => [r['label'], r['per_week'], r['tools']])).toEqual([
      ['Ann Able', 150, 4],
      ['bo@example.com', 77.5, 3],
    ]);
    // ceil(12 / 5) = 3 senders make the top 20%
    expect((chart!.spec['title'] as { subtitle: string[] }).subtitle).toEqual([
      'last 4 weeks (8 Nov – 5 Dec 2026)',
      'Top 2 of 5 power users',
      'All in the top 20% of senders by messages: the first 3 of 12.',
    ]);
  });

  it('draws nothing where the answer names nobody (the aggregate form has no rows)', () => {
    expect(powerUsersChart(ctx([]))).toEqual([]);
  });
});
