/** `/wsa skills`: skill use over time and the most used skills. */
import { skills } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { topOf, trendOf } from './support/charts.ts';
import { metricReply, num, plural, text } from './support/metric-reply.ts';

export const command: Command = {
  name: 'skills',
  summary: 'Messages that used skills, the weekly trend and the top skills',
  details: ['Export reports carry no skills: a store fed by exports answers with no data.'],
  args: { period: true, group: true },
  examples: ['skills', 'skills last-4-weeks team:marketing'],
  access: 'viewer',
  run: (ctx, args) =>
    metricReply('skills', ctx, args, {
      title: 'Skills',
      fetch: skills,
      valueKeys: ['skill_messages'],
      seriesKeys: ['skill_messages'],
      compare: ['skill_messages'],
      charts: (c) => [...trendOf('skill_messages')(c), ...topOf('skills', ['skill'], 'messages', 'Most used skills')(c)],
      summary: (a) => {
        const n = num(a, 'skill_messages');
        if (n === null) return [];
        const top = a.rows[0];
        return [
          `${plural(n, 'message', 'messages')} used a skill` +
            (top && n > 0 ? `; the most used was ${text(top.skill)}.` : '.'),
        ];
      },
      table: (a) => ({
        noun: 'skills',
        columns: [
          { key: 'skill', label: 'Skill' },
          { key: 'messages', label: 'Messages', format: 'count' },
          { key: 'unique_users', label: 'People', format: 'count' },
        ],
        rows: a.rows,
      }),
    }),
};
