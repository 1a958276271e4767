/** `/wsa heatmap`: task types by group; a workspace without SCIM groups gets topics as its columns. */
import { heatmap } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import type { Column, DisplayTable, Row } from '../src/core/reply.ts';
import { formatCount } from '../src/core/format.ts';
import { heatmapChart } from './support/charts.ts';
import { metricReply, text, words } from './support/metric-reply.ts';
import { requireTaskInsights } from './support/task-insights.ts';

/** Columns of the text matrix (the busiest groups or topics); the rest are counted. */
export const TEXT_HEATMAP_COLUMNS = 6;

/** Task type × column as a matrix: busiest task types first, busiest columns left. */
export function heatmapMatrix(rows: readonly Row[]): { table: DisplayTable; hiddenColumns: number } {
  const byColumn = new Map<string, number>();
  const byType = new Map<string, number>();
  const cells = new Map<string, number>();
  for (const r of rows) {
    const type = words(r.task_type);
    const column = text(r.column);
    const n = typeof r.conversations === 'number' ? r.conversations : 0;
    byColumn.set(column, (byColumn.get(column) ?? 0) + n);
    byType.set(type, (byType.get(type) ?? 0) + n);
    cells.set(`${type}\u0000${column}`, n);
  }
  const order = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  const allColumns = order(byColumn);
  const shown = allColumns.slice(0, TEXT_HEATMAP_COLUMNS);
  const columns: Column[] = [
    { key: '__type', label: 'Task type' },
    ...shown.map((c, i) => ({ key: `c${i}`, label: c.length > 14 ? `${c.slice(0, 13)}…` : c, format: 'count' as const })),
  ];
  const matrix = order(byType).map((type) => {
    const row: Row = { __type: type };
    shown.forEach((c, i) => {
      row[`c${i}`] = cells.get(`${type}\u0000${c}`) ?? 0;
    });
    return row;
  });
  return { table: { noun: 'task types', columns, rows: matrix }, hiddenColumns: allColumns.length - shown.length };
}

export const command: Command = {
  name: 'heatmap',
  summary: 'Conversations by task type and group — task insights',
  details: [
    'The columns are SCIM groups; a workspace without SCIM groups gets conversation topics instead.',
    'Groups smaller than the minimum group size are left out, with as many more as it takes',
    'so that no hidden group can be worked out from the totals.',
  ],
  args: { period: true },
  examples: ['heatmap', 'heatmap last-3-months'],
  access: 'viewer',
  run: async (ctx, args) => {
    await requireTaskInsights(ctx);
    return metricReply('heatmap', ctx, args, {
      title: (a) => (a.rows.some((r) => r.column_kind === 'topic') ? 'Task types by topic' : 'Task types by group'),
      charts: heatmapChart,
      fetch: heatmap,
      valueKeys: [],
      summary: (a) => {
        if (a.rows.length === 0) return ['No conversations with a task type to show for this period.'];
        const { hiddenColumns } = heatmapMatrix(a.rows);
        return hiddenColumns > 0
          ? [`The ${TEXT_HEATMAP_COLUMNS} busiest columns are shown here; ${formatCount(hiddenColumns)} more are in the full data.`]
          : [];
      },
      table: (a) => (a.rows.length > 0 ? heatmapMatrix(a.rows).table : null),
    });
  },
};
