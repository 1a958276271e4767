/** `/wsa messages`: messages sent, and how many went to GPTs, tools, projects, skills and apps. */
import { messages } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { formatPercent } from '../src/core/format.ts';
import { panelsOf } from './support/charts.ts';
import { metricReply, num, plural } from './support/metric-reply.ts';

const KEYS = ['messages', 'gpt_messages', 'tool_messages', 'project_messages', 'skill_messages', 'app_messages'];

export const command: Command = {
  name: 'messages',
  summary: 'Messages sent, and those to GPTs, tools, projects, skills and apps, with the trend',
  details: [
    'GPT, project, skill and app messages are parts of all messages. From export reports, tool',
    'messages count tool-generated messages and can exceed messages; from events they are a part.',
  ],
  args: { period: true, grain: true, group: true },
  examples: ['messages', 'messages last-month by:day', 'messages team:engineering'],
  access: 'viewer',
  run: (ctx, args) =>
    metricReply('messages', ctx, args, {
      title: 'Messages',
      fetch: messages,
      valueKeys: KEYS,
      seriesKeys: KEYS,
      compare: ['messages'],
      // The small kinds (a few percent of all messages) get a panel and a scale of their own.
      charts: panelsOf(
        [
          { title: 'All messages and tool messages', keys: ['messages', 'tool_messages'] },
          { title: 'Smaller kinds, on their own scale', keys: ['gpt_messages', 'project_messages', 'skill_messages', 'app_messages'] },
        ],
        'Messages by kind',
        'Messages',
      ),
      summary: (a) => {
        const all = num(a, 'messages');
        if (all === null) return [];
        if (all === 0) return ['No messages were sent in this period.'];
        const gpt = num(a, 'gpt_messages');
        const share = gpt !== null ? `, ${formatPercent(gpt / all)} of them to GPTs` : '';
        return [`${plural(all, 'message', 'messages')} sent${share}.`];
      },
    }),
};
