/** `/wsa groups`: members, active users and messages per SCIM group. */
import { groups } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { groupsChart } from './support/charts.ts';
import { metricReply, plural, text } from './support/metric-reply.ts';

export const command: Command = {
  name: 'groups',
  summary: 'Members, active users and messages per group',
  details: ['Groups and their members are as of the end of the period.'],
  args: { period: true },
  examples: ['groups', 'groups last-month'],
  access: 'viewer',
  run: (ctx, args) =>
    metricReply('groups', ctx, args, {
      title: 'Groups',
      fetch: groups,
      valueKeys: [],
      charts: groupsChart,
      summary: (a) => {
        if (a.rows.length === 0) return ['No groups to show for this period.'];
        const busiest = [...a.rows].sort(
          (x, y) => Number(y.active_users ?? 0) - Number(x.active_users ?? 0),
        )[0];
        return [
          `${plural(a.rows.length, 'group', 'groups')}; the most active is ${text(busiest?.group)} ` +
            `with ${plural(Number(busiest?.active_users ?? 0), 'active user', 'active users')}.`,
        ];
      },
      table: (a) => ({
        noun: 'groups',
        columns: [
          { key: 'group', label: 'Group' },
          { key: 'members', label: 'Members', format: 'count' },
          { key: 'active_users', label: 'Active users', format: 'count' },
          { key: 'messages', label: 'Messages', format: 'count' },
        ],
        rows: a.rows,
      }),
    }),
};
