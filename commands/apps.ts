/** `/wsa apps`: messages that used apps, the weekly trend and the most used apps. */
import { apps } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { topOf, trendOf } from './support/charts.ts';
import { metricReply, num, plural, text } from './support/metric-reply.ts';

export const command: Command = {
  name: 'apps',
  summary: 'Messages that used apps, the weekly trend and the top apps',
  details: ['Export reports carry no apps: a store fed by exports answers with no data.'],
  args: { period: true, group: true },
  examples: ['apps', 'apps last-4-weeks team:marketing'],
  access: 'viewer',
  run: (ctx, args) =>
    metricReply('apps', ctx, args, {
      title: 'Apps',
      fetch: apps,
      valueKeys: ['app_messages'],
      seriesKeys: ['app_messages'],
      compare: ['app_messages'],
      charts: (c) => [...trendOf('app_messages')(c), ...topOf('apps', ['app'], 'messages', 'Most used apps')(c)],
      summary: (a) => {
        const n = num(a, 'app_messages');
        if (n === null) return [];
        const top = a.rows[0];
        return [
          `${plural(n, 'message', 'messages')} used an app` +
            (top && n > 0 ? `; the most used was ${text(top.app)}.` : '.'),
        ];
      },
      table: (a) => ({
        noun: 'apps',
        columns: [
          { key: 'app', label: 'App' },
          { key: 'messages', label: 'Messages', format: 'count' },
          { key: 'unique_users', label: 'People', format: 'count' },
        ],
        rows: a.rows,
      }),
    }),
};
