/**
 * Task insights: conversations per task type (bars), and the task type × group (or × topic) heat
 * map. The heat map colours each cell by its share of the column's conversations, so a small
 * group's pattern is as visible as a large one's; counts are in the fallback table. Groups hidden
 * for privacy (docs/design.md §5) are counted in the caption.
 */
import { barChartHeight, barLimit, categoryAxisY, endLabelMark, valueAxisX, onSameScale } from './bars.ts';
import {
  chartSubject,
  distinctLabels,
  estimateTextWidth,
  fallbackDocument,
  finite,
  formatInteger,
  formatPercent,
  formatProse,
  formatValue,
  proseLabel,
  textTable,
} from './format.ts';
import { CHART_MAX_HEIGHT, CHART_PADDING, CHART_WIDTH, chartFrame, emptyMessageLayer, FONT_SIZE, LABEL_LIMIT, PALETTE } from './theme.ts';
import type { ChartAttachment, TaskHeatmapInput, TaskTypesInput } from './types.ts';

export function buildTaskTypesChart(input: TaskTypesInput): ChartAttachment {
  const all = input.rows
    .map((r) => ({ name: String(r.task_type ?? ''), conversations: Math.max(0, finite(r.conversations) ?? 0), share: finite(r.share) }))
    .sort((a, b) => b.conversations - a.conversations || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const shown = all.slice(0, barLimit(input.maxBars, 15));
  const labels = distinctLabels(shown.map((r) => r.name), undefined, LABEL_LIMIT.axis);
  const total = all.reduce((s, r) => s + r.conversations, 0);
  const notes = [`${formatInteger(total)} conversation${total === 1 ? '' : 's'} with a task type`];
  if (all.length > shown.length) notes.push(`Showing the ${shown.length} most common of ${all.length} task types`);
  const rows = shown.map((r, i) => ({
    task: labels[i]!,
    conversations: r.conversations,
    text: `${formatValue(r.conversations, 'count')}${r.share !== null ? ` · ${formatPercent(r.share)}` : ''}`,
  }));
  const max = Math.max(0, ...shown.map((r) => r.conversations));
  const y = categoryAxisY('task', labels);
  const x = valueAxisX('conversations', max, 'Conversations', 'count', { categoryLabels: labels, endLabels: rows.map((r) => r.text) });
  const layers: Record<string, unknown>[] = [
    { mark: { type: 'bar', color: PALETTE[0] }, encoding: { y, x } },
    { mark: endLabelMark(), encoding: { y, x: onSameScale(x, 'conversations'), text: { field: 'text', type: 'nominal' } } },
  ];
  const spec = {
    ...chartFrame(input, { height: barChartHeight(shown.length, notes.length * 16) }, notes),
    data: { values: rows },
    layer: total > 0 ? layers : [...layers, emptyMessageLayer()],
  };
  const top = shown.filter((r) => r.conversations > 0).slice(0, 3);
  const altText =
    total > 0
      ? `Bar chart of ${chartSubject(input)} (${formatInteger(total)} conversations): ` +
        top
          .map((r) => `${proseLabel(r.name)} ${formatProse(r.conversations)}${r.share !== null ? ` (${formatPercent(r.share)})` : ''}`)
          .join(', ') +
        `${shown.length > top.length ? ', …' : ''}.`
      : `Bar chart of ${chartSubject(input)}: there are no conversations with a task type in this period.`;
  const fallbackText = fallbackDocument(
    input,
    notes,
    textTable(
      ['Task type', 'Conversations', 'Share'],
      all.map((r) => [r.name, formatInteger(r.conversations), formatValue(r.share, 'percent')]),
      { alignRight: [false, true, true], moreNoun: 'task types' },
    ),
  );
  return { kind: 'task-types', spec, altText, fallbackText };
}

const HEATMAP_ROW_HEIGHT = 24;
const TASK_LABEL_LIMIT = 150;
const COLUMN_LABEL_LIMIT = 96;

export function buildTaskHeatmapChart(input: TaskHeatmapInput): ChartAttachment {
  const columnNoun = input.columnKind === 'group' ? { one: 'group', many: 'groups' } : { one: 'topic', many: 'topics' };
  const cells = input.rows.map((r) => ({
    task: String(r.task_type ?? ''),
    column: String(r.column ?? ''),
    conversations: Math.max(0, finite(r.conversations) ?? 0),
  }));
  const sumBy = (key: 'task' | 'column') => {
    const totals = new Map<string, number>();
    for (const c of cells) totals.set(c[key], (totals.get(c[key]) ?? 0) + c.conversations);
    return [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  };
  const allColumns = sumBy('column');
  const allTasks = sumBy('task');
  const columns = allColumns.slice(0, clamp(input.maxColumns ?? 10, 1, 12));
  const tasks = allTasks.slice(0, clamp(input.maxRows ?? 12, 1, 15));
  const columnLabels = distinctLabels(columns.map(([c]) => c), 24, COLUMN_LABEL_LIMIT);
  const taskLabels = distinctLabels(tasks.map(([t]) => t), 32, TASK_LABEL_LIMIT);
  const columnTotal = new Map(columns.map(([c, n]) => [c, n]));

  const notes: string[] = [];
  if (input.groups_hidden > 0) {
    const n = input.groups_hidden;
    notes.push(
      `${n} ${n === 1 ? 'group' : 'groups'} hidden for privacy` +
        `${input.minGroupSize ? ` (minimum group size ${input.minGroupSize})` : ''}`,
    );
  }
  if (allColumns.length > columns.length) notes.push(`Showing the ${columns.length} busiest of ${allColumns.length} ${columnNoun.many}`);
  if (allTasks.length > tasks.length) notes.push(`Showing the ${tasks.length} most common of ${allTasks.length} task types`);

  const lookup = new Map(cells.map((c) => [`${c.task}\u0000${c.column}`, c.conversations]));
  const rows = tasks.flatMap(([task], ti) =>
    columns.map(([column], ci) => {
      const conversations = lookup.get(`${task}\u0000${column}`) ?? 0;
      const total = columnTotal.get(column) ?? 0;
      const share = total > 0 ? conversations / total : 0;
      return { task: taskLabels[ti]!, column: columnLabels[ci]!, conversations, share, text: total > 0 ? formatPercent(share) : '' };
    }),
  );
  const maxShare = Math.max(0, ...rows.map((r) => r.share));
  const hasValue = rows.some((r) => r.conversations > 0);
  const y = {
    field: 'task',
    type: 'nominal',
    sort: taskLabels,
    axis: { title: null, labelLimit: TASK_LABEL_LIMIT, labelFontSize: FONT_SIZE.label, labelOverlap: false },
  };
  const x = {
    field: 'column',
    type: 'nominal',
    sort: columnLabels,
    axis: {
      title: null,
      orient: 'top',
      // Every column keeps its label (cut to labelLimit); hiding some would leave columns unnamed.
      labelOverlap: false,
      labelAngle: columns.length > 4 ? -40 : 0,
      labelAlign: columns.length > 4 ? 'left' : 'center',
      labelLimit: COLUMN_LABEL_LIMIT,
      labelFontSize: FONT_SIZE.label - 1,
    },
  };
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: 'rect', stroke: '#FFFFFF', strokeWidth: 1 },
      encoding: {
        y,
        x,
        color: {
          field: 'share',
          type: 'quantitative',
          scale: { scheme: 'blues', domain: [0, maxShare > 0 ? maxShare : 1] },
          legend: null,
        },
      },
    },
    {
      mark: { type: 'text', baseline: 'middle', fontSize: columns.length > 8 ? FONT_SIZE.markText - 2 : FONT_SIZE.markText - 1 },
      encoding: {
        y,
        x,
        text: { field: 'text', type: 'nominal' },
        color: { condition: { test: `datum.share > ${(maxShare * 0.55).toFixed(4)}`, value: '#FFFFFF' }, value: '#1F1F1F' },
      },
    },
  ];
  const colourNote = `Cells: share of each ${columnNoun.one}'s conversations`;
  const allNotes = [colourNote, ...notes];
  const headerRoom = columns.length > 4 ? 96 : 40;
  const height = Math.min(CHART_MAX_HEIGHT, 90 + headerRoom + allNotes.length * 16 + Math.max(tasks.length, 1) * HEATMAP_ROW_HEIGHT);
  const frame = chartFrame(input, { height }, allNotes);
  // A slanted label leans right, past its column; Vega's "fit" does not make room for the last
  // one (seen overflowing the image), so the right padding does.
  const lastColumn = columnLabels[columnLabels.length - 1];
  if (columns.length > 4 && lastColumn) {
    const plotWidth = CHART_WIDTH - 2 * CHART_PADDING - TASK_LABEL_LIMIT;
    const lean = Math.cos((40 * Math.PI) / 180) * Math.min(COLUMN_LABEL_LIMIT, estimateTextWidth(lastColumn, FONT_SIZE.label - 1));
    const overflow = Math.ceil(lean + 4 - plotWidth / columns.length / 2);
    if (overflow > 0) frame['padding'] = { top: CHART_PADDING, left: CHART_PADDING, bottom: CHART_PADDING, right: CHART_PADDING + overflow };
  }
  const spec = {
    ...frame,
    data: { values: rows },
    layer: hasValue ? layers : [...layers, emptyMessageLayer()],
  };

  const biggest = rows.reduce<(typeof rows)[number] | null>((a, r) => (r.conversations > 0 && (!a || r.share > a.share) ? r : a), null);
  const hiddenText = input.groups_hidden > 0 ? ` ${input.groups_hidden} ${input.groups_hidden === 1 ? 'group is' : 'groups are'} hidden for privacy.` : '';
  const altText = biggest
    ? `Heat map of ${chartSubject(input)}: ${tasks.length} task types by ${columns.length} ${columns.length === 1 ? columnNoun.one : columnNoun.many}. ` +
      `The strongest cell is ${proseLabel(biggest.task)} with ${formatPercent(biggest.share)} of ${proseLabel(biggest.column)}'s conversations ` +
      `(${formatProse(biggest.conversations)}).${hiddenText}`
    : `Heat map of ${chartSubject(input)}: there are no conversations with a task type in this period.${hiddenText}`;
  const tableRows = cells
    .filter((c) => c.conversations > 0)
    .sort((a, b) => b.conversations - a.conversations || (a.task < b.task ? -1 : 1))
    .map((c) => {
      const total = allColumns.find(([col]) => col === c.column)?.[1] ?? 0;
      return [c.task, c.column, formatInteger(c.conversations), total > 0 ? formatPercent(c.conversations / total) : 'no data'];
    });
  const fallbackText = fallbackDocument(
    input,
    notes,
    textTable(['Task type', columnNoun.one === 'group' ? 'Group' : 'Topic', 'Conversations', `Share of ${columnNoun.one}`], tableRows, {
      alignRight: [false, false, true, true],
      maxRows: 40,
      moreNoun: 'cells',
    }),
  );
  return { kind: 'task-heatmap', spec, altText, fallbackText };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.floor(Number.isFinite(n) ? n : hi)));
}
