/**
 * Samples of the power-users, messages-in-panels and seats-funnel charts, realistic (shaped like
 * the demo) and bad (empty, nulls, long and odd names); samples.ts adds them to its lists.
 */
import {
  buildFunnelChart,
  buildPowerUsersChart,
  buildSeriesPanelsChart,
  buildTrendChart,
  type ChartAttachment,
  type Series,
} from '../../src/core/charts/index.ts';

const THRESHOLDS = { messagesPerWeek: 75, tools: 3 };

function weekly(name: string, first: string, values: (number | null)[]): Series {
  const start = Date.parse(`${first}T00:00:00Z`);
  return {
    name,
    points: values.map((value, i) => ({ period_start: new Date(start + i * 7 * 86_400_000).toISOString().slice(0, 10), value })),
  };
}

function daily(name: string, first: string, count: number, at: (i: number) => number | null): Series {
  const start = Date.parse(`${first}T00:00:00Z`);
  return {
    name,
    points: Array.from({ length: count }, (_, i) => ({ period_start: new Date(start + i * 86_400_000).toISOString().slice(0, 10), value: at(i) })),
  };
}

const ramp = (from: number, step: number, n = 12) => Array.from({ length: n }, (_, i) => Math.round(from + step * i + ((i * 37) % 11) * step * 0.3));
/** Weekday-shaped daily counts: low at weekends (1 Nov 2026 is a Sunday). */
const workweek = (base: number) => (i: number) => ((i % 7) === 0 || (i % 7) === 6 ? Math.round(base / 12) : base + ((i * 13) % 40));

export function realisticPanelCharts(): Record<string, ChartAttachment> {
  return {
    'power-users': buildPowerUsersChart({
      title: 'Power users: messages and tools',
      subtitle: 'last 4 weeks (8 Nov – 5 Dec 2026)',
      days: 28,
      thresholds: THRESHOLDS,
      total: 92,
      notes: ['All in the top 20% of senders by messages: the first 301 of 1,502.'],
      people: ['Andrés Yılmaz', 'Rohan Schröder', 'Harper Abu-Bakr', 'Lindqvist, Taylor', 'Laura Nowak', 'Yuki Li', 'Sneha Lefèvre', 'Noah Tanaka',
        'Åberg, Andrés', 'Nikolaj Park', 'Mateo Mensah (Contractor)', 'Ayşe McAllister', 'Brian Fernandes', "Mia Dell'Acqua", 'Aisha St. John']
        .map((name, i) => ({ name, messages: 880 - i * 21, tools: i % 3 === 2 ? 5 : 7 })),
    }),
    'messages-panels': buildSeriesPanelsChart({
      title: 'Messages by kind per week',
      subtitle: 'last 12 weeks (13 Sep – 5 Dec 2026)',
      grain: 'week',
      unit: 'Messages',
      panels: [
        { title: 'All messages and tool messages', series: [weekly('Messages', '2026-09-13', ramp(28_700, 600)), weekly('Tool messages', '2026-09-13', ramp(9_400, 190))] },
        {
          title: 'Smaller kinds, on their own scale',
          series: [
            weekly('GPT messages', '2026-09-13', ramp(1_170, 150)),
            weekly('Project messages', '2026-09-13', ramp(590, 45)),
            weekly('Skill messages', '2026-09-13', ramp(170, 50)),
            weekly('App messages', '2026-09-13', ramp(820, 27)),
          ],
        },
      ],
    }),
    'seats-funnel': buildFunnelChart({
      title: 'From seats to active users',
      subtitle: 'last 4 weeks (8 Nov – 5 Dec 2026)',
      unit: 'Seats and people',
      steps: [
        { label: 'Seats purchased', value: 2_000 },
        { label: 'Seats enabled', value: 1_822 },
        { label: 'Activated users', value: 1_567 },
        { label: 'Active users', value: 1_502 },
      ],
    }),
    // November by day against October, moved 4 weeks so weekdays line up.
    'trend-daily-weekday-aligned': buildTrendChart({
      title: 'Active users per day',
      subtitle: 'last month (1–30 Nov 2026)',
      grain: 'day',
      unit: 'Active users',
      series: [daily('Active users', '2026-11-01', 30, workweek(600))],
      previous: daily('Previous period', '2026-10-01', 31, (i) => workweek(560)((i + 4) % 7)),
    }),
  };
}

const LONG = 'Extraordinarily long person name that keeps going and going '.repeat(3).slice(0, 160);

export function badPanelCharts(): Record<string, ChartAttachment> {
  const heading = { title: 'Bad data', subtitle: 'Last 4 weeks' };
  return {
    'power-users-empty': buildPowerUsersChart({ ...heading, days: 28, thresholds: THRESHOLDS, people: [] }),
    'power-users-odd': buildPowerUsersChart({
      ...heading,
      days: 0,
      thresholds: THRESHOLDS,
      limit: 50,
      people: [
        { name: LONG, messages: 1_000_000, tools: 40 },
        { name: LONG, messages: Number.NaN, tools: null },
        { name: '', messages: 0, tools: 0 },
        { name: '🚀 Launch Squad 🎉 销售部', messages: 300, tools: 3 },
        ...Array.from({ length: 25 }, (_, i) => ({ name: `Person ${i}`, messages: 299 - i, tools: 3 })),
      ],
    }),
    'power-users-huge': buildPowerUsersChart({
      ...heading,
      days: 28,
      thresholds: THRESHOLDS,
      people: [{ name: 'Only one', messages: 4_000_000_000, tools: 300 }],
    }),
    'messages-panels-all-null': buildSeriesPanelsChart({
      ...heading,
      grain: 'week',
      unit: 'Messages',
      panels: [
        { title: 'All', series: [weekly('Messages', '2026-11-08', [null, null, null, null])] },
        { title: 'Small', series: [weekly('Skill messages', '2026-11-08', [null, null, null, null])] },
      ],
    }),
    'messages-panels-one-point': buildSeriesPanelsChart({
      ...heading,
      grain: 'week',
      unit: 'Messages',
      panels: [
        { title: 'All', series: [weekly('Messages', '2026-11-08', [12])] },
        { title: LONG, series: [weekly(LONG, '2026-11-08', [0]), weekly('App messages', '2026-11-08', [null])] },
      ],
    }),
    'funnel-empty': buildFunnelChart({ ...heading, unit: 'People', steps: [{ label: 'Seats purchased', value: null }, { label: 'Seats enabled', value: null }] }),
    'funnel-zeros': buildFunnelChart({
      ...heading,
      unit: 'People',
      steps: [
        { label: 'Seats purchased', value: null, unknown: 'not set' },
        { label: LONG, value: 0 },
        { label: 'Activated users', value: 0 },
        { label: 'Active users', value: Number.POSITIVE_INFINITY },
      ],
    }),
  };
}
