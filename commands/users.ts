/** `/wsa users`: seats purchased and enabled, pending invites, activated and active people. */
import { users } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { formatCount, formatPercent } from '../src/core/format.ts';
import { seatsFunnelChart } from './support/charts.ts';
import { metricReply, num, plural } from './support/metric-reply.ts';

export const command: Command = {
  name: 'users',
  summary: 'Seats purchased and enabled, pending invites, activated and active users',
  details: [
    'Seats and invites are as of the end of the period. Activated users are enabled accounts that',
    'have sent a message at any time up to then; active users sent one in the period.',
  ],
  args: { period: true, group: true },
  examples: ['users', 'users last-month team:finance'],
  access: 'viewer',
  run: (ctx, args) =>
    metricReply('users', ctx, args, {
      title: 'Users and seats',
      fetch: users,
      valueKeys: ['seats_purchased', 'seats_enabled', 'pending_invites', 'activated_users', 'active_users'],
      charts: seatsFunnelChart,
      summary: (a) => {
        const lines: string[] = [];
        const purchased = num(a, 'seats_purchased');
        const enabled = num(a, 'seats_enabled');
        const activated = num(a, 'activated_users');
        if (enabled !== null) {
          lines.push(
            purchased !== null && purchased > 0
              ? `${formatCount(enabled)} of ${formatCount(purchased)} purchased seats ${enabled === 1 ? 'is' : 'are'} enabled (${formatPercent(enabled / purchased)}).`
              : `${plural(enabled, 'seat is', 'seats are')} enabled.`,
          );
        }
        if (activated !== null && enabled !== null && enabled > 0) {
          lines.push(`${plural(activated, 'person has', 'people have')} sent a message at least once (${formatPercent(activated / enabled)} of enabled seats).`);
        }
        return lines;
      },
    }),
};
