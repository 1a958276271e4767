/** `/wsa tasks`: what people use the assistant for — conversations per task type. */
import { tasks } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { formatPercent } from '../src/core/format.ts';
import { taskTypesChart } from './support/charts.ts';
import { metricReply, num, plural, words } from './support/metric-reply.ts';
import { requireTaskInsights } from './support/task-insights.ts';

export const command: Command = {
  name: 'tasks',
  summary: 'Conversations per task type (task insights)',
  details: [
    'A conversation counts once, under the task type of its first message in the period.',
    'Task insights follow the workspace setting (off by default with EU data residency).',
  ],
  args: { period: true, group: true },
  examples: ['tasks', 'tasks last-month team:legal'],
  access: 'viewer',
  run: async (ctx, args) => {
    await requireTaskInsights(ctx);
    return metricReply('tasks', ctx, args, {
      title: 'Task types',
      fetch: tasks,
      valueKeys: ['conversations'],
      compare: ['conversations'],
      charts: taskTypesChart,
      summary: (a) => {
        const n = num(a, 'conversations');
        if (n === null) return [];
        if (n === 0) return ['No conversations in this period.'];
        const top = a.rows[0];
        const share = typeof top?.share === 'number' ? ` (${formatPercent(top.share)} of those with a task type)` : '';
        return [
          `${plural(n, 'conversation', 'conversations')} in this period` +
            (top ? `; the most common task type was ${words(top.task_type)}${share}.` : '; none had a task type.'),
        ];
      },
      table: (a) => ({
        noun: 'task types',
        columns: [
          { key: 'task_type', label: 'Task type' },
          { key: 'conversations', label: 'Conversations', format: 'count' },
          { key: 'share', label: 'Share', format: 'percent' },
        ],
        rows: a.rows.map((r) => ({ ...r, task_type: words(r.task_type) })),
      }),
    });
  },
};
