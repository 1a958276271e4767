/** `/wsa active-users`: how many people used the assistant, and the trend. */
import { activeUsers } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { trendOf } from './support/charts.ts';
import { metricReply, num, plural } from './support/metric-reply.ts';

export const command: Command = {
  name: 'active-users',
  summary: 'People who sent at least one message, with the trend by day, week or month',
  details: [
    'Counts everyone who sent a message in the period, including people disabled since.',
    'The trend is by week for whole weeks, by month for whole months, else by day; by: changes it.',
  ],
  args: { period: true, grain: true, group: true },
  examples: ['active-users', 'active-users last-6-months by:month', 'active-users team:sales this-month'],
  access: 'viewer',
  run: (ctx, args) =>
    metricReply('active-users', ctx, args, {
      title: 'Active users',
      fetch: activeUsers,
      valueKeys: ['active_users'],
      seriesKeys: ['active_users'],
      compare: ['active_users'],
      charts: trendOf('active_users'),
      summary: (a) => {
        const n = num(a, 'active_users');
        if (n === null) return [];
        return [n === 0 ? 'Nobody sent a message in this period.' : `${plural(n, 'person', 'people')} sent at least one message.`];
      },
    }),
};
