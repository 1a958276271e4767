/**
 * Numbers and Replies as text for people: 12,345 with thousands separators, ratios as
 * percentages, aligned columns, long tables cut with "… and N more". The CLI prints this; the
 * chat adapters use the same number formatting so every surface says the same thing.
 */
import { formatDay, type Grain } from './periods.ts';
import type { Column, DisplayTable, Reply, Row, SeriesEntry, Value, ValueFormat } from './reply.ts';
import { notices } from './wording.ts';

/** Rows of a table shown in text before "… and N more". */
export const TEXT_TABLE_ROWS = 15;
/** Trend entries shown in text (the most recent ones). */
export const TEXT_SERIES_ENTRIES = 26;
/** Longest text cell before it is cut with an ellipsis. */
export const TEXT_CELL_CHARS = 40;
/** Hours after which the footer warns that the data is old (docs/design.md §6). */
export const STALE_AFTER_HOURS = 48;

export const NONE = '—';

// ---------------------------------------------------------------------------------------------
// Numbers

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return grouped.format(n);
}

/** 0.9066 → "90.7%"; 1 → "100%"; 0 → "0%". */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  const text = oneDecimal.format(pct);
  return `${text.endsWith('.0') ? text.slice(0, -2) : text}%`;
}

/** 0.123 → "▲ 12.3%", −0.05 → "▼ 5%", 0 → "no change". */
export function formatChange(fraction: number): string {
  if (fraction === 0) return 'no change';
  return `${fraction > 0 ? '▲' : '▼'} ${formatPercent(Math.abs(fraction))}`;
}

/** 23.456 → "23.5", 1234 → "1,234". */
export function formatDecimal(n: number): string {
  return Number.isInteger(n) ? grouped.format(n) : oneDecimal.format(n);
}

export function formatNumber(value: Value | undefined, format: ValueFormat = 'count'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  switch (format) {
    case 'percent':
      return formatPercent(value);
    case 'change':
      return formatChange(value);
    case 'decimal':
      return formatDecimal(value);
    case 'count':
      return Number.isInteger(value) ? formatCount(value) : formatDecimal(value);
  }
}

// ---------------------------------------------------------------------------------------------
// What the §5 keys are called and how they read

const LABELS: Record<string, string> = {
  active_users: 'Active users',
  messages: 'Messages',
  gpt_messages: 'GPT messages',
  tool_messages: 'Tool messages',
  project_messages: 'Project messages',
  skill_messages: 'Skill messages',
  app_messages: 'App messages',
  seats_purchased: 'Seats purchased',
  seats_enabled: 'Seats enabled',
  pending_invites: 'Pending invites',
  activated_users: 'Activated users',
  activation_rate: 'Activation rate',
  wau: 'Weekly active users (mean)',
  wau_per_activated_user: 'WAU per activated user',
  messages_per_wau: 'Messages per WAU',
  power_users: 'Power users',
  senders: 'People who sent messages',
  respondents: 'Respondents',
  participation_rate: 'Participation rate',
  conversations: 'Conversations',
  groups_hidden: 'Groups hidden for privacy',
  gpts_total: 'GPTs',
  gpts_created: 'GPTs created',
  gpts_active: 'GPTs used',
  projects_total: 'Projects',
  projects_created: 'Projects created',
  projects_active: 'Projects used',
  members: 'Members',
  share: 'Share',
  share_positive: 'Positive',
  unique_users: 'People',
  unique_messagers_workspace: 'People',
  messages_workspace: 'Messages',
  task_type: 'Task type',
  group: 'Group',
  skill: 'Skill',
  name: 'Name',
  email: 'Email',
  dimension: 'Dimension',
  question_id: 'Question',
};

function sentenceCase(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "share_positive_time_saved" → "Positive: time saved"; unknown keys in plain words. */
export function labelFor(key: string): string {
  const known = LABELS[key];
  if (known) return known;
  if (key.startsWith('share_positive_')) return `Positive: ${key.slice(15).replace(/_/g, ' ')}`;
  if (key.endsWith('_change_pct')) return `${labelFor(key.slice(0, -11))}, change`;
  return sentenceCase(key.replace(/_/g, ' '));
}

const PERCENT_KEYS = new Set(['activation_rate', 'participation_rate', 'wau_per_activated_user', 'share', 'share_positive']);
const DECIMAL_KEYS = new Set(['wau', 'messages_per_wau']);

export function formatFor(key: string): ValueFormat {
  if (key.endsWith('_change_pct')) return 'change';
  if (PERCENT_KEYS.has(key) || key.startsWith('share_positive_')) return 'percent';
  if (DECIMAL_KEYS.has(key)) return 'decimal';
  return 'count';
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "25 Nov 2026 09:14 UTC". */
export function formatInstant(at: Date): string {
  return `${formatDay(at.toISOString().slice(0, 10))} ${at.toISOString().slice(11, 16)} UTC`;
}

/** A series entry as a row label: "3 Nov", "2–8 Nov", "Oct 2026" (a clipped entry shows its days). */
export function formatEntry(entry: Pick<SeriesEntry, 'period_start' | 'period_end'>, grain: Grain | null): string {
  const { period_start: start, period_end: end } = entry;
  const [sy, sm, sd] = start.split('-').map(Number) as [number, number, number];
  const [, em, ed] = end.split('-').map(Number) as [number, number, number];
  if (grain === 'month' && sd === 1 && end.slice(0, 7) === start.slice(0, 7) && ed >= 28) {
    return `${MONTHS[sm - 1]} ${sy}`;
  }
  if (start === end) return `${sd} ${MONTHS[sm - 1]} ${sy}`;
  if (sm === em) return `${sd}–${ed} ${MONTHS[sm - 1]} ${sy}`;
  return `${sd} ${MONTHS[sm - 1]} – ${ed} ${MONTHS[em - 1]} ${end.slice(0, 4)}`;
}

// ---------------------------------------------------------------------------------------------
// Tables

/** A table cell as a person reads it: numbers in the column's format, lists and maps flattened. */
export function cellText(value: unknown, format: ValueFormat | undefined): string {
  if (value === null || value === undefined) return NONE;
  if (typeof value === 'number') return formatNumber(value, format ?? 'count');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.length > 0 ? value.join(', ') : NONE;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length > 0 ? entries.map(([k, v]) => `${k}: ${String(v)}`).join(', ') : NONE;
  }
  return String(value);
}

function cut(text: string, max = TEXT_CELL_CHARS): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Whether a column holds numbers (shown right-aligned). */
export function isNumeric(column: Column, rows: readonly Row[]): boolean {
  if (column.align) return column.align === 'right';
  if (column.format) return true;
  return rows.some((r) => typeof r[column.key] === 'number') && rows.every((r) => r[column.key] == null || typeof r[column.key] === 'number');
}

/** An aligned text table: numbers right, text left, a header line and a rule under it. */
export function textTable(columns: readonly Column[], rows: readonly Row[]): string[] {
  const numeric = columns.map((c) => isNumeric(c, rows));
  const body = rows.map((r) => columns.map((c) => cut(cellText(r[c.key], c.format), c.maxChars)));
  const widths = columns.map((c, i) => Math.max(c.label.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.label)),
    line(widths.map((w) => '─'.repeat(w))),
    ...body.map(line),
  ];
}

function displayRows(table: DisplayTable): string[] {
  const shown = table.rows.slice(0, table.limit ?? TEXT_TABLE_ROWS);
  const lines = textTable(table.columns, shown);
  const more = (table.total ?? table.rows.length) - shown.length;
  if (more > 0) lines.push(`… and ${formatCount(more)} more${table.noun ? ` ${table.noun}` : ''}`);
  return lines;
}

/** "1 earlier week", "3 earlier entries". */
export function countNoun(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** What a trend cell without data says: "no data yet" after the data's newest day, else "no data". */
function noDataCell(entry: SeriesEntry, dataThrough: string | null): string {
  return dataThrough !== null && entry.period_start > dataThrough ? 'no data yet' : 'no data';
}

function seriesLines(r: Reply): string[] {
  if (r.series.length === 0) return [];
  const keys =
    r.seriesKeys ?? Object.keys(r.series[0] ?? {}).filter((k) => k !== 'period_start' && k !== 'period_end' && k !== 'partial');
  const grain = r.period?.grain ?? null;
  const dataThrough = r.footer?.dataThrough ?? null;
  const skipped = Math.max(0, r.series.length - TEXT_SERIES_ENTRIES);
  const entries = r.series.slice(skipped);
  const columns: Column[] = [
    { key: 'entry', label: grain ? sentenceCase(grain) : 'Period' },
    ...keys.map((k) => ({ key: k, label: labelFor(k), format: formatFor(k), align: 'right' as const })),
  ];
  const rows = entries.map((e) => {
    // A whole entry without data says so in words, never as 0 or a bare dash.
    const empty = keys.length > 0 && keys.every((k) => e[k] === null || e[k] === undefined);
    const row: Row = { ...e, entry: `${formatEntry(e, grain)}${e.partial === true ? ' (partial)' : ''}` };
    if (empty) for (const k of keys) row[k] = noDataCell(e, dataThrough);
    return row;
  });
  const lines = textTable(columns, rows);
  if (skipped > 0) lines.splice(2, 0, `… ${countNoun(skipped, `earlier ${grain ?? 'entry'}`, `earlier ${grain ? `${grain}s` : 'entries'}`)} not shown`);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Values block

function valueLines(r: Reply): string[] {
  const keys = r.valueKeys ?? Object.keys(r.values).filter((k) => !k.endsWith('_change_pct'));
  if (keys.length === 0) return [];
  const labels = keys.map(labelFor);
  const numbers = keys.map((k) => formatNumber(r.values[k], formatFor(k)));
  const lw = Math.max(...labels.map((l) => l.length));
  const nw = Math.max(...numbers.map((n) => n.length));
  const changes = r.comparison?.changes ?? {};
  const compared = keys.filter((k) => k in changes);
  const lines: string[] = [];
  if (compared.length > 1 && r.comparison) {
    lines.push(`${''.padEnd(lw)}  ${''.padStart(nw)}  vs ${r.comparison.label}`);
  }
  keys.forEach((k, i) => {
    let line = `${(labels[i] ?? '').padEnd(lw)}  ${(numbers[i] ?? '').padStart(nw)}`;
    if (k in changes && r.comparison) {
      const change = changes[k] ?? null;
      const previous = r.comparison.previous?.[k];
      const prevText = previous === undefined ? '' : ` (${formatNumber(previous, formatFor(k))})`;
      if (compared.length > 1) line += `  ${change === null ? NONE : formatChange(change)}`;
      else if (change === null) line += `  (no comparison with ${r.comparison.label}: no data to compare)`;
      else line += `  ${formatChange(change)} vs ${r.comparison.label}${prevText}`;
    }
    lines.push(line.trimEnd());
  });
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Footer

export function footerLines(r: Reply): string[] {
  const f = r.footer;
  if (!f) return [];
  const lines: string[] = [];
  if (f.groupsHidden) lines.push(notices.groupsHidden(f.groupsHidden, f.minGroupSize));
  if (f.staleHours !== null) lines.push(`⚠ ${notices.stale(f.staleHours)}`);
  if (!f.lastUpdated) lines.push(notices.noImports());
  else {
    lines.push(
      `Data last updated ${formatInstant(f.lastUpdated)}${f.dataThrough ? ` · data through ${formatDay(f.dataThrough)}` : ''}`,
    );
  }
  return lines;
}

/** Hours since `lastUpdated` when that is more than 48, else null. */
export function staleHours(lastUpdated: Date | null, now: Date): number | null {
  if (!lastUpdated) return null;
  const hours = (now.getTime() - lastUpdated.getTime()) / 3_600_000;
  return hours > STALE_AFTER_HOURS ? Math.floor(hours) : null;
}

// ---------------------------------------------------------------------------------------------
// The whole Reply

/** The Reply as text for a person (a terminal, or the fallback of a chat message). */
export function renderText(r: Reply): string {
  if (r.error) return r.error.message;
  const blocks: string[][] = [];
  blocks.push([r.title, ...(r.subtitle ? [r.subtitle] : [])]);
  if (r.summary.length > 0) blocks.push([...r.summary]);
  const values = valueLines(r);
  if (values.length > 0) blocks.push(values);
  const series = seriesLines(r);
  if (series.length > 0) blocks.push(series);
  if (r.table && r.table.rows.length > 0) blocks.push(displayRows(r.table));
  if (r.charts.length > 0 && r.series.length === 0 && !r.table) {
    for (const chart of r.charts) blocks.push(chart.fallbackText.split('\n'));
  }
  if (r.warnings.length > 0) blocks.push(r.warnings.map((w) => `⚠ ${w}`));
  const footer = footerLines(r);
  if (footer.length > 0) blocks.push(footer);
  return blocks.map((b) => b.join('\n')).join('\n\n');
}
