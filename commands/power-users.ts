/** `/wsa power-users`: the heaviest, broadest users of the period. */
import { powerUsers } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { powerUsersChart } from './support/charts.ts';
import { metricReply, num, plural } from './support/metric-reply.ts';
import { peopleTable } from './support/people-table.ts';

export const command: Command = {
  name: 'power-users',
  summary: 'Power users: top 20% of senders, 75+ messages a week, 3+ different tools',
  details: [
    'Senders are ranked by messages; the top 20% (rounded up) who also average at least 75',
    'messages a week and used at least 3 different tools are power users.',
  ],
  args: { period: true, group: true },
  examples: ['power-users', 'power-users last-month'],
  access: 'viewer',
  run: (ctx, args) =>
    metricReply('power-users', ctx, args, {
      title: 'Power users',
      // a chat message shows the first power users only (ctx.rowLimit): the count covers them all
      fetch: (db, req) => powerUsers(db, req, { limit: ctx.rowLimit }),
      valueKeys: ['power_users', 'senders'],
      compare: ['power_users'],
      compareValuesOnly: true,
      charts: powerUsersChart,
      summary: (a) => {
        const n = num(a, 'power_users');
        const senders = num(a, 'senders');
        if (n === null || senders === null) return [];
        if (senders === 0) return ['Nobody sent a message in this period.'];
        return [
          `${plural(n, 'power user', 'power users')} among ${plural(senders, 'person', 'people')} who sent messages: ` +
            'in the top 20% by messages, averaging 75 or more a week, with 3 or more different tools.',
        ];
      },
      table: (a) => peopleTable(a.rows, [], a.rowsTotal),
    }),
};
