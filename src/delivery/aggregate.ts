/**
 * The aggregate form of a Reply: what may go into a channel until the channel-audience check of
 * docs/design.md §7 exists (it is coming). No per-person rows, no names, no emails, no files:
 * - rows that describe a person (they carry a `public_id`, `email` or `name`) are dropped;
 * - columns that name a person in other rows (a GPT's creator) are removed;
 * - summary lines, warnings and charts that mention a dropped person or any email are dropped,
 *   and so are ranking charts (`top-n`, `power-users`) once people were dropped from the rows;
 * - files (CSV exports, docs/design.md §7) go only to the asker, never into a channel.
 * The core's numbers are aggregates already; groups under the minimum size are hidden there.
 * A pure function of the Reply, so the channel form is tested without Slack.
 */
import type { ChartAttachment, DisplayTable, Reply, Row } from '../core/reply.ts';

/** Keys whose presence makes a row one person's row (Users and Impact reports, people lists). */
const PERSON_ROW_KEYS = new Set(['public_id', 'email', 'name', 'user', 'user_id', 'respondent']);
/** Keys that name a person inside an otherwise aggregate row (GPT and project creators). */
const PERSON_COLUMN = /(^|_)(email|public_id|creator|owner|builder)(_|$)/;
const EMAIL = /[^\s@<>()"',;]+@[^\s@<>()"',;]+\.[a-z]{2,}/i;
/** Charts that rank people: dropped with the people's rows. */
const RANKING_CHARTS = new Set<ChartAttachment['kind']>(['top-n', 'power-users']);
/** Names shorter than this are not searched for in sentences (too many false matches). */
const MIN_NAME_LENGTH = 3;

export interface Removed {
  personRows: number;
  personColumns: string[];
  lines: number;
  charts: number;
  files: number;
}

export interface AggregateForm {
  reply: Reply;
  removed: Removed;
  /** True when anything was left out, so the asker should get the full answer privately. */
  changed: boolean;
}

function present(value: unknown): boolean {
  return value !== null && value !== undefined && value !== '';
}

export function isPersonRow(row: Row): boolean {
  return Object.entries(row).some(([key, value]) => PERSON_ROW_KEYS.has(key) && present(value));
}

export function isPersonColumn(key: string): boolean {
  return PERSON_ROW_KEYS.has(key) || PERSON_COLUMN.test(key);
}

function collectNames(rows: readonly Row[], into: Set<string>): void {
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (isPersonColumn(key) && typeof value === 'string' && value.trim().length >= MIN_NAME_LENGTH) {
        into.add(value.trim().toLowerCase());
      }
    }
  }
}

function stripColumns(row: Row, removedColumns: Set<string>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (isPersonColumn(key)) removedColumns.add(key);
    else out[key] = value;
  }
  return out;
}

function mentionsPerson(text: string, names: ReadonlySet<string>): boolean {
  if (EMAIL.test(text)) return true;
  const lower = text.toLowerCase();
  for (const name of names) if (lower.includes(name)) return true;
  return false;
}

export function aggregateForm(reply: Reply): AggregateForm {
  const names = new Set<string>();
  collectNames(reply.rows, names);
  if (reply.table) collectNames(reply.table.rows, names);

  const removedColumns = new Set<string>();
  const keptRows = reply.rows.filter((r) => !isPersonRow(r)).map((r) => stripColumns(r, removedColumns));
  const personRows = reply.rows.length - keptRows.length;

  let table: DisplayTable | null = reply.table;
  let personTableRows = 0;
  if (table) {
    const rows = table.rows.filter((r) => !isPersonRow(r));
    personTableRows = table.rows.length - rows.length;
    const columns = table.columns.filter((c) => {
      if (!isPersonColumn(c.key)) return true;
      if (rows.length > 0) removedColumns.add(c.key);
      return false;
    });
    table = rows.length > 0 && columns.length > 0 ? { ...table, columns, rows: rows.map((r) => stripColumns(r, removedColumns)) } : null;
  }
  const peopleDropped = personRows > 0 || personTableRows > 0;

  let lines = 0;
  const keepLine = (line: string) => {
    if (!mentionsPerson(line, names)) return true;
    lines += 1;
    return false;
  };
  const summary = reply.summary.filter(keepLine);
  const warnings = reply.warnings.filter(keepLine);
  const subtitle = reply.subtitle !== null && !keepLine(reply.subtitle) ? null : reply.subtitle;

  const charts = reply.charts.filter(
    (c: ChartAttachment) =>
      !(peopleDropped && RANKING_CHARTS.has(c.kind)) && !mentionsPerson(`${c.altText}\n${c.fallbackText}`, names),
  );

  const removed: Removed = {
    personRows: Math.max(personRows, personTableRows),
    personColumns: [...removedColumns].sort(),
    lines,
    charts: reply.charts.length - charts.length,
    files: reply.files.length,
  };
  const changed =
    removed.personRows > 0 || removed.personColumns.length > 0 || removed.lines > 0 || removed.charts > 0 || removed.files > 0;
  return {
    reply: { ...reply, subtitle, summary, warnings, rows: keptRows, table, charts, files: [] },
    removed,
    changed,
  };
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "12 per-person rows, 1 chart and the CSV file" — what the channel did not get, in words. */
export function describeRemoved(removed: Removed): string {
  const parts: string[] = [];
  if (removed.personRows > 0) parts.push(count(removed.personRows, 'per-person row', 'per-person rows'));
  if (removed.personColumns.length > 0) parts.push(count(removed.personColumns.length, 'column naming people', 'columns naming people'));
  if (removed.lines > 0) parts.push(count(removed.lines, 'line naming people', 'lines naming people'));
  if (removed.charts > 0) parts.push(count(removed.charts, 'chart', 'charts'));
  if (removed.files > 0) parts.push(count(removed.files, 'file', 'files'));
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
