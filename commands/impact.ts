/** `/wsa impact`: what the impact survey says, per dimension and per question. */
import { impact, type MetricAnswer } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { buildAnswerDistributionChart, buildImpactDimensionsChart, chartHeading } from '../src/core/charts/index.ts';
import { formatPercent } from '../src/core/format.ts';
import { describePeriod } from '../src/core/periods.ts';
import type { Column } from '../src/core/reply.ts';
import type { ChartsFor } from './support/charts.ts';
import { metricReply, num, plural, words } from './support/metric-reply.ts';

interface AnswerCount {
  answer_id: string;
  label: string;
  positive: boolean;
  respondents: number;
}

function answersOf(row: Record<string, unknown>): AnswerCount[] {
  return Array.isArray(row.answers) ? (row.answers as AnswerCount[]) : [];
}

/**
 * "45% Agree": the most chosen answer after its share (so a cut cell keeps the number); ties are
 * named together ("40% Agree / Neutral").
 */
export function topAnswer(row: Record<string, unknown>): string {
  const answers = answersOf(row);
  const total = answers.reduce((s, a) => s + a.respondents, 0);
  if (total === 0) return '';
  const most = Math.max(...answers.map((a) => a.respondents));
  const top = answers.filter((a) => a.respondents === most).map((a) => a.label);
  return `${formatPercent(most / total)} ${top.join(' / ')}`;
}

export const impactCharts: ChartsFor = (c) => {
  const a: MetricAnswer = c.answer;
  if (!(num(a, 'respondents') ?? 0)) return [];
  const heading = (metric: string) =>
    chartHeading({
      metric,
      period: describePeriod(c.period),
      filter: a.group ? `team: ${a.group.name}` : null,
      partial: a.partial,
    });
  // Dimensions in catalog order; respondents pooled over each dimension's questions, as its share.
  const dims = new Map<string, number>();
  for (const r of a.rows) dims.set(String(r.dimension), (dims.get(String(r.dimension)) ?? 0) + Number(r.respondents ?? 0));
  return [
    buildImpactDimensionsChart({
      ...heading('Positive impact by dimension'),
      dimensions: [...dims].map(([dimension, respondents]) => ({
        dimension,
        share_positive: num(a, `share_positive_${dimension}`),
        respondents,
      })),
      respondents: num(a, 'respondents') ?? 0,
      participation_rate: num(a, 'participation_rate'),
    }),
    buildAnswerDistributionChart({
      ...heading('Answers per question'),
      questions: a.rows.map((r) => ({
        question_id: String(r.question_id),
        text: typeof r.text === 'string' ? r.text : String(r.question_id),
        answers: answersOf(r).map((x) => ({ label: x.label, respondents: x.respondents, positive: x.positive })),
      })),
    }),
  ];
};

export const command: Command = {
  name: 'impact',
  summary: 'Impact survey: share of positive answers per dimension and question, participation',
  details: [
    'A response belongs to the period of its date. Participation is respondents over enabled seats.',
    'With few or no answers in the period, the answer names the newest survey window with responses.',
  ],
  args: { period: true, group: true },
  examples: ['impact', 'impact last-3-months', 'impact team:support', 'impact from:2026-09-01 to:2026-09-30'],
  access: 'viewer',
  run: (ctx, args) =>
    metricReply('impact', ctx, args, {
      title: 'Impact',
      fetch: impact,
      charts: impactCharts,
      summary: (a) => {
        const n = num(a, 'respondents');
        const rate = num(a, 'participation_rate');
        if (n === null) return [];
        if (n === 0) return ['Nobody answered the impact survey in this period.'];
        return [
          `${plural(n, 'person', 'people')} answered the survey` +
            (rate !== null ? ` (${formatPercent(rate)} of enabled seats).` : '.'),
        ];
      },
      table: (a) => {
        const hasText = a.rows.some((r) => typeof r.text === 'string' || typeof r.question === 'string');
        const textKey = a.rows.some((r) => typeof r.text === 'string') ? 'text' : 'question';
        const columns: Column[] = [
          { key: hasText ? textKey : 'question_id', label: 'Question', maxChars: 48 },
          { key: 'dimension_words', label: 'Dimension' },
          { key: 'respondents', label: 'Respondents', format: 'count' },
          { key: 'share_positive', label: 'Positive', format: 'percent' },
          { key: 'top_answer', label: 'Most chosen', maxChars: 30 },
        ];
        const rows = a.rows.map((r) => ({ ...r, dimension_words: words(r.dimension), top_answer: topAnswer(r) }));
        return { noun: 'questions', columns, rows };
      },
    }),
};
