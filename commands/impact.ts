/** `/wsa impact`: what the impact survey says, per dimension and per question. */
import { impact } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { formatPercent } from '../src/core/format.ts';
import type { Column } from '../src/core/reply.ts';
import { metricReply, num, plural, words } from './support/metric-reply.ts';

export const command: Command = {
  name: 'impact',
  summary: 'Impact survey: share of positive answers per dimension and question, participation',
  details: [
    'A response belongs to the period of its date. Participation is respondents over enabled seats.',
  ],
  args: { period: true, group: true },
  examples: ['impact', 'impact last-3-months', 'impact team:support'],
  access: 'viewer',
  run: (ctx, args) =>
    metricReply('impact', ctx, args, {
      title: 'Impact',
      fetch: impact,
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
          { key: hasText ? textKey : 'question_id', label: 'Question', maxChars: 56 },
          { key: 'dimension_words', label: 'Dimension' },
          { key: 'respondents', label: 'Respondents', format: 'count' },
          { key: 'share_positive', label: 'Positive', format: 'percent' },
        ];
        const rows = a.rows.map((r) => ({ ...r, dimension_words: words(r.dimension) }));
        return { noun: 'questions', columns, rows };
      },
    }),
};
