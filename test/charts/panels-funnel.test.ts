/**
 * Messages by kind in panels (small kinds on their own scale, kinds the data cannot give left out
 * of the legend) and the seats funnel. Expected values worked out by hand from the inputs here.
 */
import { describe, expect, it } from 'vitest';
import { buildFunnelChart, buildSeriesPanelsChart, type Series } from '../../src/core/charts/index.ts';
import { PALETTE } from '../../src/core/charts/theme.ts';
import { seatsFunnelChart } from '../../commands/support/charts.ts';
import { lastFourWeeks } from './answer-context.ts';

type Spec = Record<string, unknown>;
const weeks = ['2026-11-15', '2026-11-22'];
const kind = (name: string, values: (number | null)[]): Series => ({
  name,
  points: weeks.map((period_start, i) => ({ period_start, value: values[i] ?? null })),
});

/** Per panel: its title, its legend (colour domain and range), its rows as [series, week, value]. */
function panelsOf(spec: Spec) {
  return (spec['vconcat'] as Spec[]).map((p) => {
    const color = ((p['layer'] as Spec[])[0]!['encoding'] as Record<string, { scale: { domain: string[]; range: string[] } }>)['color']!;
    const rows = (p['data'] as { values: Spec[] }).values.map((r) => [r['series'], r['period_start'], r['value']]);
    return { title: (p['title'] as { text: string }).text, legend: color.scale, rows };
  });
}

describe('messages in panels', () => {
  const input = (skills: (number | null)[], apps: (number | null)[]) => ({
    title: 'Messages by kind per week',
    subtitle: 'last 2 weeks',
    grain: 'week' as const,
    unit: 'Messages',
    panels: [
      { title: 'All messages and tool messages', series: [kind('Messages', [40_000, 42_000]), kind('Tool messages', [12_000, 13_000])] },
      {
        title: 'Smaller kinds, on their own scale',
        series: [kind('GPT messages', [900, 1_100]), kind('Project messages', [0, 30]), kind('Skill messages', skills), kind('App messages', apps)],
      },
    ],
  });

  it('draws the small kinds in a panel and a colour scale of their own', () => {
    const chart = buildSeriesPanelsChart(input([5, 7], [11, 13]));
    expect(chart.kind).toBe('series-panels');
    const [big, small] = panelsOf(chart.spec);
    expect(big!.legend).toEqual({ domain: ['Messages', 'Tool messages'], range: [PALETTE[0], PALETTE[1]] });
    expect(small!.title).toBe('Smaller kinds, on their own scale');
    // colours go on where the first panel stopped, so no two kinds share one
    expect(small!.legend).toEqual({
      domain: ['GPT messages', 'Project messages', 'Skill messages', 'App messages'],
      range: [PALETTE[2], PALETTE[3], PALETTE[4], PALETTE[5]],
    });
    expect(small!.rows).toContainEqual(['Project messages', '2026-11-15', 0]); // a real 0 stays drawn
    expect(chart.spec['resolve']).toEqual({ scale: { y: 'independent', color: 'independent' }, legend: { color: 'independent' } });
    expect(chart.altText).toBe(
      'Line charts of messages by kind per week, last 2 weeks. In the week of 22 Nov 2026: Messages 42k, Tool messages 13k, ' +
        'GPT messages 1,100, Project messages 30, Skill messages 7, App messages 13. ' +
        'Drawn in two panels, each on its own scale: all messages and tool messages; smaller kinds, on their own scale.',
    );
  });

  it('leaves kinds the data cannot give (null, not 0) out of the legend and says so', () => {
    const chart = buildSeriesPanelsChart(input([null, null], [null, null]));
    const [, small] = panelsOf(chart.spec);
    expect(small!.legend.domain).toEqual(['GPT messages', 'Project messages']);
    expect(small!.rows.map((r) => r[0])).not.toContain('Skill messages');
    expect((chart.spec['title'] as { subtitle: string[] }).subtitle).toEqual([
      'last 2 weeks',
      'Not in this data: skill messages and app messages.',
    ]);
    expect(chart.fallbackText.split('\n').slice(4, 6)).toEqual([
      'Week starting  Messages  Tool messages  GPT messages  Project messages',
      '-------------  --------  -------------  ------------  ----------------',
    ]);
  });

  it('draws one plain chart when only one panel has data, and "no data" when none has', () => {
    const one = input([null, null], [null, null]);
    one.panels[1]!.series = one.panels[1]!.series.map((s) => kind(s.name, [null, null]));
    expect(buildSeriesPanelsChart(one).kind).toBe('multi-series');
    const none = input([null, null], [null, null]);
    none.panels = none.panels.map((p) => ({ ...p, series: p.series.map((s) => kind(s.name, [null, null])) }));
    const chart = buildSeriesPanelsChart(none);
    expect(chart.altText).toBe('Line chart of messages by kind per week, last 2 weeks: there is no data for this period.');
    expect(JSON.stringify(chart.spec)).not.toContain('Not in this data');
  });
});

describe('seats funnel', () => {
  it('draws each step with its share of the step before', () => {
    const chart = buildFunnelChart({
      title: 'From seats to active users',
      unit: 'Seats and people',
      steps: [
        { label: 'Seats purchased', value: 600 },
        { label: 'Seats enabled', value: 450 },
        { label: 'Activated users', value: 360 },
        { label: 'Active users', value: 90 },
      ],
    });
    expect(chart.kind).toBe('funnel');
    // 450 / 600 = 75%, 360 / 450 = 80%, 90 / 360 = 25%
    expect((chart.spec['data'] as { values: Spec[] }).values.map((r) => [r['label'], r['value'], r['text']])).toEqual([
      ['Seats purchased', 600, '600'],
      ['Seats enabled', 450, '450 · 75% of seats purchased'],
      ['Activated users', 360, '360 · 80% of seats enabled'],
      ['Active users', 90, '90 · 25% of activated users'],
    ]);
    expect(chart.altText).toBe(
      'Funnel of from seats to active users: 600 seats purchased, then 450 seats enabled (75% of seats purchased), ' +
        'then 360 activated users (80% of seats enabled), then 90 active users (25% of activated users).',
    );
  });

  it('users: leaves out seats purchased when nobody set it, and says so', () => {
    const [chart] = seatsFunnelChart(lastFourWeeks({ seats_purchased: null, seats_enabled: 200, pending_invites: 7, activated_users: 150, active_users: 120 }));
    // 150 / 200 = 75%, 120 / 150 = 80%; pending invites are not a step
    expect((chart!.spec['data'] as { values: Spec[] }).values.map((r) => r['text'])).toEqual([
      '200',
      '150 · 75% of seats enabled',
      '120 · 80% of activated users',
    ]);
    expect((chart!.spec['title'] as { subtitle: string[] }).subtitle).toEqual([
      'last 4 weeks (8 Nov – 5 Dec 2026)',
      'Seats purchased: not set (settings seats:N), so not drawn.',
    ]);
    expect(chart!.fallbackText.split('\n').slice(-3)).toEqual([
      'Seats enabled                 200',
      'Activated users               150                       75%',
      'Active users                  120                       80%',
    ]);
  });

  it('users team:…: leaves out seats purchased, a workspace figure, from a team funnel', () => {
    const ctx = lastFourWeeks({ seats_purchased: 2_000, seats_enabled: 40, activated_users: 30, active_users: 30 });
    const [chart] = seatsFunnelChart({ ...ctx, answer: { ...ctx.answer, group: { name: 'Finance', ids: ['g-fin'] } } });
    expect((chart!.spec['data'] as { values: Spec[] }).values.map((r) => r['label'])).toEqual(['Seats enabled', 'Activated users', 'Active users']);
    expect((chart!.spec['title'] as { subtitle: string[] }).subtitle).toEqual([
      'last 4 weeks (8 Nov – 5 Dec 2026) · team: Finance',
      'Seats purchased: a workspace figure, not a team one, so not drawn.',
    ]);
  });
});
