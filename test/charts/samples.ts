/**
 * Chart inputs for tests, the look-at-them script and the benchmark: realistic ones shaped like the
 * demo workspace (about 2,000 users, 12 SCIM groups, 26 weeks), and bad ones (empty, single point,
 * one enormous group, 200-character names, accents/CJK/emoji, all-null values).
 */
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
  type Series,
} from '../../src/core/charts/index.ts';
import { badPanelCharts, realisticPanelCharts } from './samples-panels.ts';

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Sundays from `first`, `count` of them. */
function weeks(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(first, 7 * i));
}

function series(name: string, days: string[], base: number, growth: number, noise: number, seed: number): Series {
  const rnd = random(seed);
  return {
    name,
    points: days.map((period_start, i) => ({
      period_start,
      value: Math.round(base * (1 + growth * i) * (1 + (rnd() - 0.5) * noise)),
    })),
  };
}

export const GROUPS = [
  'Engineering',
  'Sales EMEA',
  'Customer Success',
  'Marketing',
  'Finance',
  'People & Culture',
  'Legal',
  'Product',
  'Operations',
  'Sales Americas',
  'Research',
  'IT',
];

const TASK_TYPES = [
  'Writing & editing',
  'Coding',
  'Research & analysis',
  'Summarising',
  'Brainstorming',
  'Data analysis',
  'Translation',
  'Learning & tutoring',
  'Planning',
  'Customer communication',
];

export function realisticCharts(): Record<string, ChartAttachment> {
  return { ...realisticBase(), ...realisticPanelCharts() };
}

function realisticBase(): Record<string, ChartAttachment> {
  const current = weeks('2025-09-07', 12);
  const previous = weeks('2025-06-15', 12);
  const months = Array.from({ length: 12 }, (_, i) => `${2024 + Math.floor((11 + i) / 12)}-${String(((11 + i) % 12) + 1).padStart(2, '0')}-01`);
  const days = Array.from({ length: 28 }, (_, i) => addDays('2025-11-02', i));
  const rnd = random(7);

  const groupMembers = [412, 318, 240, 196, 150, 122, 64, 188, 171, 264, 58, 41];
  return {
    'trend-active-users': buildTrendChart({
      title: 'Active users per week',
      subtitle: 'Last 12 weeks (7 Sep – 29 Nov 2025) · team: Sales EMEA',
      grain: 'week',
      unit: 'Active users',
      series: [series('Active users', current, 236, 0.015, 0.08, 1)],
      previous: { ...series('Previous 12 weeks', previous, 205, 0.01, 0.08, 2) },
    }),
    // 12 weeks asked over 8 weeks of data, the last of them partial; the previous 12 weeks empty.
    'trend-no-data-yet-partial': buildTrendChart({
      title: 'Active users per week',
      subtitle: 'Last 12 weeks (7 Sep – 29 Nov 2025)',
      notes: ['Gaps: no data before Sun 5 Oct 2025.', 'Hollow point, dashed: partial week, data through Mon 24 Nov 2025.'],
      grain: 'week',
      unit: 'Active users',
      series: [
        {
          name: 'Active users',
          points: weeks('2025-09-07', 12).map((period_start, i) => ({
            period_start,
            value: i < 4 ? null : 180 + 6 * i - (i === 11 ? 150 : 0),
            ...(i === 11 ? { partial: true } : {}),
          })),
        },
      ],
      previous: { name: 'Previous period', points: weeks('2025-06-15', 12).map((period_start) => ({ period_start, value: null })) },
    }),
    'trend-monthly': buildTrendChart({
      title: 'Active users per month',
      subtitle: 'Last 12 months (Dec 2024 – Nov 2025)',
      grain: 'month',
      unit: 'Active users',
      series: [series('Active users', months, 1420, 0.03, 0.05, 3)],
    }),
    'trend-daily': buildTrendChart({
      title: 'Active users per day',
      subtitle: '2 – 29 Nov 2025',
      grain: 'day',
      unit: 'Active users',
      series: [
        {
          name: 'Active users',
          points: days.map((d, i) => ({ period_start: d, value: [0, 6].includes(i % 7) ? 180 + Math.round(rnd() * 60) : 980 + Math.round(rnd() * 160) })),
        },
      ],
    }),
    'multi-series-messages': buildMultiSeriesChart({
      title: 'Messages per week by kind',
      subtitle: 'Last 12 weeks (7 Sep – 29 Nov 2025)',
      grain: 'week',
      unit: 'Messages',
      series: [
        series('Messages', current, 41_800, 0.02, 0.06, 11),
        series('Tool messages', current, 15_200, 0.03, 0.1, 12),
        series('GPT messages', current, 8_100, 0.025, 0.1, 13),
        series('Project messages', current, 4_900, 0.04, 0.12, 14),
        series('Skill messages', current, 1_250, 0.06, 0.2, 15),
        series('App messages', current, 690, 0.05, 0.25, 16),
      ],
    }),
    'stacked-groups': buildStackedBarsChart({
      title: 'Active members by group',
      subtitle: 'Last 4 weeks (2 – 29 Nov 2025)',
      unit: 'Members',
      segments: ['Active', 'Not active'],
      bars: GROUPS.map((group, i) => {
        const members = groupMembers[i]!;
        const active = Math.round(members * (0.45 + 0.4 * random(100 + i)()));
        return { label: group, values: { Active: active, 'Not active': members - active } };
      }),
    }),
    benchmark: buildBenchmarkChart({
      title: 'Benchmarks',
      subtitle: 'Last 4 weeks (2 – 29 Nov 2025)',
      industry: 'Technology',
      medianIllustrative: true,
      metrics: [
        { metric: 'activation_rate', label: 'Activation rate', value: 0.8231, median: 0.74, format: 'percent' },
        { metric: 'wau_per_activated_user', label: 'WAU per activated user', value: 0.6124, median: 0.66, format: 'percent' },
        { metric: 'messages_per_wau', label: 'Messages per WAU', value: 23.46, median: 18, format: 'decimal' },
      ],
    }),
    'impact-dimensions': buildImpactDimensionsChart({
      title: 'Impact: share answering positively',
      subtitle: 'Last 4 weeks (2 – 29 Nov 2025)',
      respondents: 412,
      participation_rate: 0.2061,
      dimensions: [
        { dimension: 'productivity', share_positive: 0.83, respondents: 398 },
        { dimension: 'time_saved', share_positive: 0.71, respondents: 405 },
        { dimension: 'work_quality', share_positive: 0.64, respondents: 377 },
        { dimension: 'work_satisfaction', share_positive: 0.69, respondents: 381 },
        { dimension: 'new_tasks', share_positive: 0.52, respondents: 352 },
        { dimension: 'stakeholder_service', share_positive: 0.47, respondents: 301 },
      ],
    }),
    'answer-distribution': buildAnswerDistributionChart({
      title: 'Impact survey answers',
      subtitle: 'Last 4 weeks (2 – 29 Nov 2025)',
      questions: [
        likert('q_productivity', 'ChatGPT makes me more productive', [8, 14, 46, 190, 140]),
        {
          question_id: 'q_time_saved',
          text: 'How much time did ChatGPT save you this week?',
          answers: [
            { label: 'None', respondents: 52, positive: false },
            { label: 'Under 1 hour', respondents: 66, positive: false },
            { label: '1–3 hours', respondents: 171, positive: true },
            { label: '3–5 hours', respondents: 78, positive: true },
            { label: 'More than 5 hours', respondents: 38, positive: true },
          ],
        },
        likert('q_quality', 'The quality of my work has improved', [12, 30, 94, 170, 71]),
        likert('q_satisfaction', 'I enjoy my work more with ChatGPT', [10, 25, 83, 165, 98]),
        likert('q_new_tasks', 'I can now do tasks I could not do before', [21, 55, 93, 121, 62]),
        likert('q_stakeholders', 'I serve customers and colleagues better', [18, 41, 101, 98, 43]),
      ],
    }),
    'task-types': buildTaskTypesChart({
      title: 'Conversations by task type',
      subtitle: 'Last 4 weeks (2 – 29 Nov 2025)',
      rows: (() => {
        const counts = [5210, 4630, 3390, 2710, 1880, 1540, 920, 760, 610, 340];
        const total = counts.reduce((a, b) => a + b, 0);
        return TASK_TYPES.map((t, i) => ({ task_type: t, conversations: counts[i]!, share: counts[i]! / total }));
      })(),
    }),
    'task-heatmap': buildTaskHeatmapChart({
      title: 'Task types by group',
      subtitle: 'Last 4 weeks (2 – 29 Nov 2025)',
      columnKind: 'group',
      groups_hidden: 3,
      minGroupSize: 10,
      rows: GROUPS.slice(0, 9).flatMap((group, gi) =>
        TASK_TYPES.map((task, ti) => {
          const r = random(1000 + gi * 31 + ti)();
          const affinity = (gi === 0 && ti === 1) || (gi === 1 && ti === 9) || (gi === 4 && ti === 5) ? 4 : 1;
          return { task_type: task, column: group, conversations: Math.round((groupMembers[gi]! / (ti + 2)) * affinity * (0.5 + r)) };
        }),
      ),
    }),
    'top-users': buildTopNChart({
      title: 'Top users by messages',
      subtitle: 'Last 4 weeks (2 – 29 Nov 2025)',
      entity: 'users',
      unit: 'Messages',
      items: [
        'Amélie Dubois',
        'Jürgen Weiß',
        'Søren Lindqvist',
        'Priya Raghunathan',
        'Zoë Ó Briain',
        'Mateus Conceição',
        'Chen Wei',
        'Fatima Al-Sayed',
        'Olumide Adeyemi',
        'Kateřina Nováková',
        'Łukasz Wójcik',
        'Ana García',
      ].map((name, i) => ({ name, value: Math.round(2140 / (1 + i * 0.18)) })),
    }),
    'top-gpts': buildTopNChart({
      title: 'Top GPTs by messages',
      subtitle: 'Last 4 weeks (2 – 29 Nov 2025)',
      entity: 'GPTs',
      unit: 'Messages',
      items: [
        'Sales Proposal Writer',
        'Contract Clause Reviewer (Legal, EMEA + UK variants)',
        'SQL Helper',
        'Brand Voice Checker',
        'Onboarding Buddy',
        'Incident Postmortem Drafter',
        'RFP Answer Bank',
      ].map((name, i) => ({ name, value: Math.round(9800 / (1 + i * 0.6)) })),
    }),
  };
}

function likert(question_id: string, text: string, counts: number[]) {
  const labels = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];
  return {
    question_id,
    text,
    answers: labels.map((label, i) => ({ label, respondents: counts[i] ?? 0, positive: i >= 3 })),
  };
}

const LONG = `${'Extraordinarily long group name that keeps going '.repeat(4)}`.slice(0, 200);
const UNICODE = ['Équipe Données & Analytique', '销售部 (中国区)', '🚀 Launch Squad 🎉', 'Ærøskøbing Øst', 'Ñandú Ibérico', 'Ελληνική ομάδα'];

/** Inputs that must never break a chart. */
export function badDataCharts(): Record<string, ChartAttachment> {
  return { ...badDataBase(), ...badPanelCharts() };
}

function badDataBase(): Record<string, ChartAttachment> {
  const wk = weeks('2025-09-07', 12);
  const heading = { title: 'Bad data', subtitle: 'Last 12 weeks' };
  return {
    'trend-empty': buildTrendChart({ ...heading, grain: 'week', unit: 'Active users', series: [] }),
    'trend-empty-series': buildTrendChart({ ...heading, grain: 'week', unit: 'Active users', series: [{ name: 'Active users', points: [] }] }),
    'trend-single-point': buildTrendChart({
      ...heading,
      grain: 'week',
      unit: 'Active users',
      series: [{ name: 'Active users', points: [{ period_start: '2025-09-07', value: 42 }] }],
    }),
    'trend-all-null': buildTrendChart({
      ...heading,
      grain: 'week',
      unit: 'Active users',
      series: [{ name: 'Active users', points: wk.map((period_start) => ({ period_start, value: null })) }],
      previous: { name: 'Previous 12 weeks', points: wk.map((period_start) => ({ period_start, value: null })) },
    }),
    'trend-gaps': buildTrendChart({
      ...heading,
      grain: 'week',
      unit: 'Active users',
      series: [{ name: 'Active users', points: wk.map((period_start, i) => ({ period_start, value: i % 3 === 1 ? null : 100 + i })) }],
    }),
    'trend-huge-values': buildTrendChart({
      ...heading,
      grain: 'week',
      unit: 'Messages',
      series: [{ name: 'Messages', points: wk.map((period_start, i) => ({ period_start, value: i === 5 ? 4_200_000_000 : 1000 * i })) }],
    }),
    'multi-series-unicode-names': buildMultiSeriesChart({
      ...heading,
      title: `${LONG} ${UNICODE.join(' ')}`,
      grain: 'week',
      unit: 'Messages',
      series: [...UNICODE, LONG].map((name, i) => ({ name, points: wk.map((period_start, j) => ({ period_start, value: (i + 1) * 100 + j })) })),
    }),
    'stacked-empty': buildStackedBarsChart({ ...heading, unit: 'Members', segments: ['Active', 'Not active'], bars: [] }),
    'stacked-enormous-group': buildStackedBarsChart({
      ...heading,
      unit: 'Members',
      segments: ['Active', 'Not active'],
      bars: [
        { label: 'Everyone', values: { Active: 48_000, 'Not active': 2_000 } },
        { label: 'Tiny', values: { Active: 1, 'Not active': 0 } },
        { label: LONG, values: { Active: 3, 'Not active': null } },
        ...UNICODE.map((label, i) => ({ label, values: { Active: i, 'Not active': i * 2 } })),
      ],
    }),
    'stacked-200-groups-all-null': buildStackedBarsChart({
      ...heading,
      unit: 'Members',
      segments: ['Active', 'Not active'],
      bars: Array.from({ length: 200 }, (_, i) => ({ label: `${LONG.slice(0, 60)} ${i}`, values: { Active: null, 'Not active': null } })),
    }),
    'benchmark-no-industry': buildBenchmarkChart({
      ...heading,
      industry: null,
      medianIllustrative: false,
      metrics: [
        { metric: 'activation_rate', label: 'Activation rate', value: null, median: null, format: 'percent' },
        { metric: 'messages_per_wau', label: LONG, value: 0, median: null, format: 'decimal' },
      ],
    }),
    'benchmark-empty': buildBenchmarkChart({ ...heading, industry: 'Financial services', medianIllustrative: true, metrics: [] }),
    'impact-all-null': buildImpactDimensionsChart({
      ...heading,
      dimensions: ['productivity', 'time_saved', LONG].map((dimension) => ({ dimension, share_positive: null, respondents: 0 })),
      respondents: 0,
      participation_rate: null,
    }),
    'answers-empty-and-unicode': buildAnswerDistributionChart({
      ...heading,
      questions: [
        { question_id: 'q1', text: LONG, answers: [] },
        { question_id: 'q2', text: UNICODE[1]!, answers: [{ label: '是', respondents: 3, positive: true }, { label: '否 🙅', respondents: 1, positive: false }] },
        {
          question_id: 'q3',
          text: 'Many labels',
          answers: Array.from({ length: 11 }, (_, i) => ({ label: `Answer ${i} ${UNICODE[i % UNICODE.length]}`, respondents: i, positive: i > 5 })),
        },
      ],
    }),
    'answers-none': buildAnswerDistributionChart({ ...heading, questions: [] }),
    'task-types-empty': buildTaskTypesChart({ ...heading, rows: [] }),
    'task-types-one-enormous': buildTaskTypesChart({
      ...heading,
      rows: [
        { task_type: LONG, conversations: 9_999_999, share: 0.9999 },
        { task_type: UNICODE[2]!, conversations: 1, share: 0.0001 },
        { task_type: 'Zero', conversations: 0, share: 0 },
      ],
    }),
    'heatmap-empty-all-hidden': buildTaskHeatmapChart({ ...heading, columnKind: 'group', rows: [], groups_hidden: 12, minGroupSize: 10 }),
    'heatmap-unicode-many-columns': buildTaskHeatmapChart({
      ...heading,
      columnKind: 'topic',
      groups_hidden: 0,
      rows: Array.from({ length: 20 }, (_, c) =>
        Array.from({ length: 18 }, (_, t) => ({
          task_type: t === 0 ? LONG : `${UNICODE[t % UNICODE.length]} ${t}`,
          column: c === 0 ? LONG : `${UNICODE[c % UNICODE.length]} ${c}`,
          conversations: c === 3 ? 1_000_000 : (c * t) % 7,
        })),
      ).flat(),
    }),
    'top-n-empty': buildTopNChart({ ...heading, entity: 'skills', unit: 'Messages', items: [] }),
    'top-n-names': buildTopNChart({
      ...heading,
      entity: 'projects',
      unit: 'Messages',
      limit: 50,
      items: [
        { name: LONG, value: 10 },
        { name: LONG, value: 9 },
        { name: '', value: 8 },
        { name: 'Line\nbreak\tand\u0000control', value: 7 },
        ...UNICODE.map((name, i) => ({ name, value: i === 0 ? null : 5 - i })),
        ...Array.from({ length: 30 }, (_, i) => ({ name: `Project ${i}`, value: Number.NaN })),
      ],
    }),
  };
}
