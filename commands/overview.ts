/** `/wsa overview`: adoption at a glance — active users and messages of every kind, with change. */
import { overview } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { trendOf } from './support/charts.ts';
import { metricReply, num, plural } from './support/metric-reply.ts';

const KEYS = [
  'active_users',
  'messages',
  'gpt_messages',
  'tool_messages',
  'project_messages',
  'skill_messages',
  'app_messages',
];

export const command: Command = {
  name: 'overview',
  summary: 'Active users and messages, with the change from the previous period',
  details: [
    'Every count comes with its change from the previous period of the same kind.',
    'The trend shows active users and messages per week.',
  ],
  args: { period: true, group: true },
  examples: ['overview', 'overview last-4-weeks', 'overview team:"Sales EMEA"'],
  access: 'viewer',
  run: (ctx, args) =>
    metricReply('overview', ctx, args, {
      title: 'Overview',
      fetch: overview,
      valueKeys: KEYS,
      seriesKeys: ['active_users', 'messages'],
      compare: KEYS,
      changeInAnswer: true,
      charts: trendOf('active_users'),
      summary: (a) => {
        const people = num(a, 'active_users');
        const sent = num(a, 'messages');
        if (people === null || sent === null) return [];
        if (people === 0) return ['Nobody sent a message in this period.'];
        return [`${plural(people, 'person', 'people')} sent ${plural(sent, 'message', 'messages')}.`];
      },
    }),
};
