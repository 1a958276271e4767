/**
 * The spec builders, read as plain JSON: what each chart says in words (alt text, fallback table)
 * and the promises its spec keeps (inline data, size budget, theme, nulls stay null).
 * Expected numbers are worked out by hand from the small inputs here.
 */
import { describe, expect, it } from 'vitest';
import {
  buildAnswerDistributionChart,
  buildBenchmarkChart,
  buildImpactDimensionsChart,
  buildMultiSeriesChart,
  buildStackedBarsChart,
  buildTaskHeatmapChart,
  buildTaskTypesChart,
  buildTopNChart,
  buildTrendChart,
  type ChartAttachment,
  type ChartKind,
} from '../../src/core/charts/index.ts';
import { CHART_FONT_FAMILY, PALETTE, REFERENCE_COLOR } from '../../src/core/charts/theme.ts';
import { badDataCharts, realisticCharts } from './samples.ts';

const heading = { title: 'Active users per week', subtitle: 'Last 4 weeks · team: Sales' };

/** Every layer's inline data rows (top level and per layer). */
function dataRows(spec: Record<string, unknown>): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const data = o['data'] as { values?: Record<string, unknown>[] } | undefined;
    if (data?.values) rows.push(...data.values);
    for (const layer of (o['layer'] as unknown[]) ?? []) visit(layer);
  };
  visit(spec);
  return rows;
}

function layers(spec: Record<string, unknown>): Record<string, unknown>[] {
  return (spec['layer'] as Record<string, unknown>[]) ?? [];
}

describe('trend', () => {
  const chart = buildTrendChart({
    ...heading,
    grain: 'week',
    unit: 'Active users',
    series: [
      {
        name: 'Active users',
        points: [
          { period_start: '2025-09-21', value: null },
          { period_start: '2025-09-07', value: 100 },
          { period_start: '2025-09-14', value: 150 },
          { period_start: '2025-09-28', value: 120 },
        ],
      },
    ],
    previous: {
      name: 'Previous 4 weeks',
      points: [
        { period_start: '2025-08-10', value: 90 },
        { period_start: '2025-08-17', value: 95 },
        { period_start: '2025-08-24', value: null },
        { period_start: '2025-08-31', value: 110 },
      ],
    },
  });

  it('says what changed, with the peak and the previous period', () => {
    // 100 → 120 is +20%; the peak (150) is neither end; the previous period ends at 110.
    expect(chart.altText).toBe(
      'Line chart of active users per week, Last 4 weeks · team: Sales. ' +
        'Active users went from 100 in the week of 7 Sep 2025 to 120 in the week of 28 Sep 2025 (up 20%), ' +
        'peaking at 150 in the week of 14 Sep 2025; the previous period, drawn faint, ended at 110.',
    );
  });

  it('keeps nulls as nulls and draws the previous period over the current weeks, grey and dashed', () => {
    const rows = dataRows(chart.spec);
    const current = rows.filter((r) => r['style'] === 'current');
    expect(current.map((r) => [r['period_start'], r['value']])).toEqual([
      ['2025-09-07', 100],
      ['2025-09-14', 150],
      ['2025-09-21', null],
      ['2025-09-28', 120],
    ]);
    const previous = rows.filter((r) => r['style'] === 'previous');
    expect(previous.map((r) => [r['period_start'], r['value']])).toEqual([
      ['2025-09-07', 90],
      ['2025-09-14', 95],
      ['2025-09-21', null],
      ['2025-09-28', 110],
    ]);
    const encoding = layers(chart.spec)[0]!['encoding'] as Record<string, { scale: { domain: unknown[]; range: unknown[] } }>;
    expect(encoding['color']!.scale).toEqual({ domain: ['Active users', 'Previous 4 weeks'], range: [PALETTE[0], REFERENCE_COLOR] });
    expect(encoding['strokeDash']!.scale.range[1]).toEqual([6, 4]);
  });

  it('prints every week in the fallback, with the previous period beside it', () => {
    expect(chart.fallbackText).toBe(
      [
        'Active users per week',
        'Last 4 weeks · team: Sales',
        '',
        'Week starting  Active users  Previous 4 weeks',
        '-------------  ------------  ----------------',
        '2025-09-07              100                90',
        '2025-09-14              150                95',
        '2025-09-21          no data           no data',
        '2025-09-28              120               110',
      ].join('\n'),
    );
  });

  it('puts time ticks on the periods themselves, in UTC', () => {
    const x = (layers(chart.spec)[0]!['encoding'] as Record<string, Record<string, unknown>>)['x']!;
    expect(x['scale']).toEqual({ type: 'utc' });
    expect((x['axis'] as Record<string, unknown>)['values']).toEqual(['2025-09-07', '2025-09-14', '2025-09-21', '2025-09-28']);
    expect((x['axis'] as Record<string, unknown>)['format']).toBe('%-d %b');
  });

  it('names days and months as sentences do', () => {
    const daily = buildTrendChart({
      title: 'Active users per day',
      subtitle: '2 – 4 Nov 2025',
      grain: 'day',
      unit: 'Active users',
      series: [{ name: 'Active users', points: [{ period_start: '2025-11-02', value: 200 }, { period_start: '2025-11-04', value: 150 }] }],
    });
    expect(daily.altText).toBe(
      'Line chart of active users per day, 2 – 4 Nov 2025. Active users went from 200 on 2 Nov 2025 to 150 on 4 Nov 2025 (down 25%).',
    );
    const monthly = buildTrendChart({
      title: 'Active users per month',
      grain: 'month',
      unit: 'Active users',
      series: [{ name: 'Active users', points: [{ period_start: '2025-10-01', value: 12_000 }] }],
    });
    expect(monthly.altText).toBe('Line chart of active users per month. Active users: 12k in Oct 2025, the only month with data.');
    expect(monthly.fallbackText.split('\n').slice(-1)[0]).toBe('Oct 2025        12,000');
  });

  it('says when there is nothing to draw', () => {
    const empty = buildTrendChart({ ...heading, grain: 'week', unit: 'Active users', series: [] });
    expect(empty.altText).toBe('Line chart of active users per week, Last 4 weeks · team: Sales: there is no data for this period.');
    expect(JSON.stringify(empty.spec)).toContain('No data for this period');
  });

  it('lists every series in the latest period when there are many', () => {
    const weeks = ['2025-09-07', '2025-09-14'];
    const multi = buildMultiSeriesChart({
      title: 'Messages per week by kind',
      grain: 'week',
      unit: 'Messages',
      series: [
        { name: 'Messages', points: weeks.map((w, i) => ({ period_start: w, value: 40_000 + i * 2_345 })) },
        { name: 'GPT messages', points: weeks.map((w, i) => ({ period_start: w, value: 8_000 + i })) },
        { name: 'Skill messages', points: weeks.map((w) => ({ period_start: w, value: null })) },
      ],
    });
    expect(multi.kind).toBe('multi-series');
    expect(multi.altText).toBe(
      'Line chart of messages per week by kind. In the week of 14 Sep 2025: Messages 42.3k, GPT messages 8,001, Skill messages no data.',
    );
  });
});

describe('bars', () => {
  it('stacked bars: largest totals first, the rest counted', () => {
    const chart = buildStackedBarsChart({
      title: 'Active members by group',
      unit: 'Members',
      segments: ['Active', 'Not active'],
      maxBars: 2,
      bars: [
        { label: 'Legal', values: { Active: 10, 'Not active': 5 } },
        { label: 'Sales', values: { Active: 300, 'Not active': 100 } },
        { label: 'IT', values: { Active: 20, 'Not active': null } },
      ],
    });
    // Totals: Sales 400, IT 20 (null counts as nothing), Legal 15.
    expect(chart.altText).toBe(
      'Stacked bar chart of active members by group, 2 groups of 3. Largest: Sales 400 (active 300, not active 100); IT 20 (active 20, not active no data).',
    );
    // The fallback keeps every group, the chart only the largest two.
    expect(chart.fallbackText).toBe(
      [
        'Active members by group',
        'Showing the 2 largest of 3 groups',
        '',
        'Group  Active  Not active  Total',
        '-----  ------  ----------  -----',
        'Sales     300         100    400',
        'IT         20     no data     20',
        'Legal      10           5     15',
      ].join('\n'),
    );
    expect(dataRows(chart.spec).filter((r) => r['segment'] === 'Active').map((r) => r['bar'])).toEqual(['Sales', 'IT']);
  });

  it('top-N: sorted by value, ties by name, nulls last', () => {
    const chart = buildTopNChart({
      title: 'Top users by messages',
      entity: 'users',
      unit: 'Messages',
      limit: 3,
      items: [
        { name: 'Bob', value: 50 },
        { name: 'Ann', value: 50 },
        { name: 'Cy', value: null },
        { name: 'Dee', value: 1_234 },
      ],
    });
    expect(chart.altText).toBe('Bar chart of the top 3 users by messages: Dee 1,234, Ann 50, Bob 50.');
    expect(chart.fallbackText.split('\n').slice(3)).toEqual(['#  Users  Messages', '-  -----  --------', '1  Dee       1,234', '2  Ann          50', '3  Bob          50']);
    // A ranking with its own tie rule (top-users: public_id) keeps the order it came in.
    const ranked = buildTopNChart({
      title: 'Top users by messages',
      entity: 'users',
      unit: 'Messages',
      ranked: true,
      items: [
        { name: 'Bob', value: 50 },
        { name: 'Ann', value: 50 },
        { name: 'Dee', value: 1_234 },
      ],
    });
    expect(ranked.altText).toBe('Bar chart of the top 3 users by messages: Dee 1,234, Bob 50, Ann 50.');
  });

  it('task types: total and shares in words', () => {
    const chart = buildTaskTypesChart({
      title: 'Conversations by task type',
      rows: [
        { task_type: 'Coding', conversations: 300, share: 0.3 },
        { task_type: 'Writing', conversations: 600, share: 0.6 },
        { task_type: 'Other', conversations: 100, share: 0.1 },
      ],
    });
    expect(chart.altText).toBe('Bar chart of conversations by task type (1,000 conversations): Writing 600 (60%), Coding 300 (30%), Other 100 (10%).');
    expect(dataRows(chart.spec).map((r) => r['text'])).toEqual(['600 · 60%', '300 · 30%', '100 · 10%']);
  });
});

describe('benchmark', () => {
  const input = {
    title: 'Benchmarks',
    industry: 'Technology',
    medianIllustrative: true,
    metrics: [
      { metric: 'activation_rate', label: 'Activation rate', value: 0.8, median: 0.5, format: 'percent' as const },
      { metric: 'messages_per_wau', label: 'Messages per WAU', value: 12, median: 24, format: 'decimal' as const },
    ],
  };

  it('labels illustrative medians as illustrative everywhere', () => {
    const chart = buildBenchmarkChart(input);
    expect(chart.altText).toBe(
      'Bar chart comparing this workspace with the illustrative Technology industry median: activation rate 80% against 50%; messages per WAU 12 against 24.',
    );
    expect(chart.fallbackText).toContain('Industry medians are illustrative, not measured figures');
    expect(chart.fallbackText).toContain('Technology median (illustrative)');
    expect(JSON.stringify(chart.spec)).toContain('Technology median (illustrative)');
  });

  it('scales each metric to its own larger value', () => {
    const rows = dataRows(buildBenchmarkChart(input).spec);
    expect(rows.map((r) => [r['metric'], r['length'], r['text']])).toEqual([
      ['Activation rate', 1, '80%'],
      ['Activation rate', 0.625, '50%'],
      ['Messages per WAU', 0.5, '12'],
      ['Messages per WAU', 1, '24'],
    ]);
  });

  it('drops the word illustrative once an admin imported real medians', () => {
    const chart = buildBenchmarkChart({ ...input, medianIllustrative: false });
    expect(chart.altText).not.toContain('illustrative');
    expect(JSON.stringify(chart.spec)).not.toContain('illustrative');
  });
});

describe('impact', () => {
  it('dimensions: best and worst in words, respondents in the caption', () => {
    const chart = buildImpactDimensionsChart({
      title: 'Impact',
      respondents: 40,
      participation_rate: 0.2,
      dimensions: [
        { dimension: 'productivity', share_positive: 0.75, respondents: 40 },
        { dimension: 'time_saved', share_positive: 0.5, respondents: 38 },
        { dimension: 'new_tasks', share_positive: null, respondents: 0 },
      ],
    });
    expect(chart.altText).toBe(
      'Bar chart of the share of respondents reporting a positive impact, by dimension, 40 respondents · participation 20%: highest productivity 75%, lowest time saved 50%.',
    );
    expect(dataRows(chart.spec).map((r) => r['text'])).toEqual(['75%  (n=40)', '50%  (n=38)', 'no answers']);
  });

  it('answers: segments tile 0–100% per question; positive share range in words', () => {
    const chart = buildAnswerDistributionChart({
      title: 'Survey answers',
      questions: [
        {
          question_id: 'q1',
          text: 'ChatGPT makes me more productive',
          answers: [
            { label: 'No', respondents: 1, positive: false },
            { label: 'Yes', respondents: 3, positive: true },
          ],
        },
        {
          question_id: 'q2',
          text: 'Time saved',
          answers: [
            { label: 'No', respondents: 3, positive: false },
            { label: 'Yes', respondents: 1, positive: true },
          ],
        },
      ],
    });
    // q1: 3 of 4 positive (75%), q2: 1 of 4 (25%).
    expect(chart.altText).toBe(
      'Stacked bar chart of how respondents answered 2 questions, survey answers. Positive answers range from 25% ("Time saved") to 75% ("ChatGPT makes me more productive").',
    );
    const rows = dataRows(chart.spec);
    expect(rows.map((r) => [r['answer'], r['x0'], r['x1']])).toEqual([
      ['No', 0, 0.25],
      ['Yes', 0.25, 1],
      ['No', 0, 0.75],
      ['Yes', 0.75, 1],
    ]);
    // Both questions offer the same answers: one legend entry per answer.
    expect(JSON.stringify(chart.spec)).toContain('"domain":["No","Yes"]');
    // The question is named once; its other answer rows leave the cell blank.
    expect(chart.fallbackText.split('\n').slice(-4)).toEqual([
      'ChatGPT makes me more productive  No                 1    25%',
      '                                  Yes (+)            3    75%',
      'Time saved                        No                 3    75%',
      '                                  Yes (+)            1    25%',
    ]);
  });
});

describe('odd data', () => {
  it('a question nobody answered keeps its row and says so', () => {
    const chart = buildAnswerDistributionChart({
      title: 'Survey answers',
      questions: [
        { question_id: 'q1', text: 'Asked, never answered', answers: [{ label: 'Yes', respondents: 0, positive: true }] },
        { question_id: 'q2', text: 'Answered', answers: [{ label: 'Yes', respondents: 2, positive: true }] },
      ],
    });
    expect(dataRows(chart.spec)).toContainEqual({ question: 'Asked, never answered', text: 'no answers' });
    expect(chart.fallbackText).toContain('Asked, never answered  Yes (+)            0  no data');
  });

  it('count axes print billions as B, like the words do', () => {
    const chart = buildTopNChart({ title: 'Top', entity: 'GPTs', unit: 'Messages', items: [{ name: 'Big', value: 4_200_000_000 }] });
    expect(JSON.stringify(chart.spec)).toContain(`"labelExpr":"replace(datum.label, 'G', 'B')"`);
    expect(chart.altText).toContain('Big 4.2B');
  });
});

describe('heat map', () => {
  const chart = buildTaskHeatmapChart({
    title: 'Task types by group',
    columnKind: 'group',
    groups_hidden: 2,
    minGroupSize: 10,
    rows: [
      { task_type: 'Coding', column: 'Engineering', conversations: 90 },
      { task_type: 'Writing', column: 'Engineering', conversations: 10 },
      { task_type: 'Writing', column: 'Sales', conversations: 30 },
    ],
  });

  it('notes hidden groups in the caption and in the alt text', () => {
    expect(JSON.stringify(chart.spec)).toContain('2 groups hidden for privacy');
    expect(chart.fallbackText).toContain('2 groups hidden for privacy');
    // Engineering: Coding 90 of 100 = 90%; Sales: Writing 30 of 30 = 100% (the strongest).
    expect(chart.altText).toBe(
      "Heat map of task types by group: 2 task types by 2 groups. The strongest cell is Writing with 100% of Sales's conversations (30). 2 groups are hidden for privacy.",
    );
  });

  it('fills missing cells with zero and colours by share of the column', () => {
    const rows = dataRows(chart.spec).map((r) => [r['task'], r['column'], r['conversations'], r['share']]);
    // Task types by total conversations (Coding 90, Writing 40), columns likewise (Engineering 100, Sales 30).
    expect(rows).toEqual([
      ['Coding', 'Engineering', 90, 0.9],
      ['Coding', 'Sales', 0, 0],
      ['Writing', 'Engineering', 10, 0.1],
      ['Writing', 'Sales', 30, 1],
    ]);
  });
});

const ALL: [string, ChartAttachment][] = [...Object.entries(realisticCharts()), ...Object.entries(badDataCharts())];
const KINDS: ChartKind[] = [
  'trend',
  'multi-series',
  'stacked-bars',
  'benchmark',
  'impact-dimensions',
  'answer-distribution',
  'task-types',
  'task-heatmap',
  'top-n',
  'power-users',
  'series-panels',
  'funnel',
];

describe('every chart', () => {
  it('covers every kind with realistic data', () => {
    expect(new Set(Object.values(realisticCharts()).map((c) => c.kind))).toEqual(new Set(KINDS));
  });

  it.each(ALL)('%s: inline JSON data, house theme, size budget, words', (_name, chart) => {
    const spec = chart.spec;
    const json = JSON.stringify(spec);
    expect(JSON.parse(json)).toEqual(spec); // plain JSON, nothing lost in transit
    expect(json).not.toMatch(/"url"\s*:/);
    expect(spec.$schema).toMatch(/vega-lite\/v6/);
    expect((spec['config'] as Record<string, unknown>)['font']).toBe(CHART_FONT_FAMILY);
    if (spec['hconcat'] || spec['vconcat']) {
      // Panels: Vega-Lite fits only single views, so each panel has a size of its own (the
      // rendered image is checked against the budget in test/render/charts-png.test.ts).
      expect(spec['autosize']).toEqual({ type: 'pad' });
      expect(spec['width']).toBeUndefined();
    } else {
      expect(spec['width']).toBeLessThanOrEqual(512);
      expect(spec['height']).toBeLessThanOrEqual(512);
      expect(spec['autosize']).toEqual({ type: 'fit', contains: 'padding' });
    }
    expect(chart.altText.length).toBeGreaterThan(20);
    expect(chart.altText.length).toBeLessThan(600);
    expect(chart.altText.endsWith('.')).toBe(true);
    expect(chart.fallbackText.split('\n')[0]!.length).toBeGreaterThan(0);
    expect(chart.fallbackText).not.toMatch(/undefined|NaN|\[object/);
    expect(chart.altText).not.toMatch(/undefined|NaN|\[object/);
  });
});

describe('trend with periods the data does not cover', () => {
  // Weeks 1–2 before the data, week 3 a real 0 (covered, nobody active), week 5 partial.
  const points = [
    { period_start: '2025-09-07', value: null },
    { period_start: '2025-09-14', value: null },
    { period_start: '2025-09-21', value: 0 },
    { period_start: '2025-09-28', value: 120 },
    { period_start: '2025-10-05', value: 30, partial: true },
  ];
  const chart = buildTrendChart({
    title: 'Active users per week',
    subtitle: 'Last 5 weeks',
    notes: ['Gaps: no data before Sun 21 Sep 2025.', 'Hollow point, dashed: partial week, data through Mon 6 Oct 2025.'],
    grain: 'week',
    unit: 'Active users',
    series: [{ name: 'Active users', points }],
    previous: { name: 'Previous period', points: [10, 20, 30, 40, 50].map((value, i) => ({ period_start: `2025-08-${String(3 + 7 * i).padStart(2, '0')}`, value })) },
  });
  const rows = dataRows(chart.spec);

  it('keeps no data as null (never 0) and a covered empty week as a real 0', () => {
    const line = rows.filter((r) => r['series'] === 'Active users' && !r['anchor']);
    expect(line.map((r) => [r['period_start'], r['value']])).toEqual([
      ['2025-09-07', null],
      ['2025-09-14', null],
      ['2025-09-21', 0],
      ['2025-09-28', 120],
      ['2025-10-05', 30],
    ]);
  });

  it('draws no previous-period line over weeks without data', () => {
    const previous = rows.filter((r) => r['style'] === 'previous');
    expect(previous.map((r) => r['value'])).toEqual([null, null, 30, 40, 50]);
  });

  it('leaves out a previous period without any data, legend entry included', () => {
    const alone = buildTrendChart({
      title: 'Active users per week',
      grain: 'week',
      unit: 'Active users',
      series: [{ name: 'Active users', points }],
      previous: { name: 'Previous period', points: points.map((p) => ({ period_start: p.period_start, value: null })) },
    });
    expect(dataRows(alone.spec).some((r) => r['style'] === 'previous')).toBe(false);
    expect(JSON.stringify(alone.spec)).not.toContain('Previous period');
  });

  it('marks the partial week: its own dashed segment from the week before, a hollow point', () => {
    const partial = rows.filter((r) => r['style'] === 'partial');
    expect(partial.map((r) => [r['period_start'], r['value'], r['partial'], r['anchor']])).toEqual([
      ['2025-10-05', 30, true, false],
      ['2025-09-28', 120, false, true],
    ]);
    const marks = layers(chart.spec).map((l) => l['mark'] as Record<string, unknown>);
    expect(marks.some((m) => m['type'] === 'point' && m['filled'] === false)).toBe(true);
    const line = layers(chart.spec)[0]!['encoding'] as Record<string, { scale?: { domain: unknown[]; range: unknown[] }; field?: string }>;
    expect(line['strokeDash']!.scale!.domain).toContain('partial');
    expect(line['detail']!.field).toBe('segment');
  });

  it('says so in the subtitle, the fallback and the alt text', () => {
    const title = chart.spec['title'] as { subtitle: string[] };
    expect(title.subtitle).toEqual([
      'Last 5 weeks',
      'Gaps: no data before Sun 21 Sep 2025.',
      'Hollow point, dashed: partial week, data through Mon 6 Oct 2025.',
    ]);
    expect(chart.fallbackText).toContain('no data');
    expect(chart.fallbackText).toContain('30 (partial)');
    expect(chart.altText).toContain('30 in the week of 5 Oct 2025, a partial week');
  });
});
