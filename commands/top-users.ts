/** `/wsa top-users`: the people who sent the most messages. */
import { topUsers } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { topOf } from './support/charts.ts';
import { metricReply, plural } from './support/metric-reply.ts';
import { peopleTable } from './support/people-table.ts';

export const command: Command = {
  name: 'top-users',
  summary: 'The people who sent the most messages',
  details: ['Ordered by messages, then by user id. The JSON answer lists every sender.'],
  args: { period: true, group: true },
  examples: ['top-users', 'top-users last-week team:sales'],
  access: 'viewer',
  // A chat message shows the first rows only (ctx.rowLimit): then only those are read, with
  // the number of senders; the JSON answer reads every sender.
  run: (ctx, args) =>
    metricReply('top-users', ctx, args, {
      title: 'Top users',
      fetch: (db, req) => topUsers(db, req, { limit: ctx.rowLimit, stream: ctx.streamRows }),
      valueKeys: [],
      charts: topOf('users', ['name', 'email', 'public_id'], 'messages', 'Top users by messages', true),
      summary: (a) => {
        const senders = a.rowsTotal ?? a.rows.length;
        return senders === 0
          ? ['Nobody sent a message in this period.']
          : [`${plural(senders, 'person', 'people')} sent messages; the busiest first.`];
      },
      table: (a) => peopleTable(a.rows, [], a.rowsTotal),
    }),
};
