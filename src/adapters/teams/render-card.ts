/**
 * Reply → Adaptive Card (schema 1.5), as pure functions tested structurally and parsed with the
 * official `adaptivecards` library in the tests. Numbers, labels, tables and the footer read as in
 * the CLI and in Slack (src/core/format.ts).
 *
 * Every piece of text goes into a `TextRun` of a `RichTextBlock`: text runs are never read as
 * markdown, so a group name or a typed word cannot turn into a link, a list or bold text, and an
 * `<at>` tag is broken up so it can never become a mention. Tables are ColumnSets cut to what
 * reads on a phone, with "… and N more" under them; charts are inline PNG images (data URIs the
 * adapter has checked against Teams' limits), or their text fallback when there is no image.
 */
import {
  TEXT_SERIES_ENTRIES,
  cellText,
  footerLines,
  formatChange,
  formatCount,
  formatEntry,
  formatFor,
  formatNumber,
  isNumeric,
  labelFor,
} from '../../core/format.ts';
import type { Column, Reply, Row } from '../../core/reply.ts';
import {
  CARD_SCHEMA,
  CARD_VERSION,
  MAX_CARD_SERIES_ENTRIES,
  MAX_CARD_TABLE_COLUMNS,
  MAX_CARD_TABLE_ROWS,
  MAX_FACTS,
} from './limits.ts';

/** An element of a card body (the schema's shapes, kept loose: tests parse them with the library). */
export type CardElement = { readonly type: string } & Record<string, unknown>;

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: string;
  readonly version: string;
  readonly body: CardElement[];
  readonly actions?: CardElement[];
  /** Teams: use the whole width of the conversation (tables read better). */
  readonly msteams?: { readonly width: 'Full' };
}

export interface CardOptions {
  /** Chart index → PNG data URI; a chart without one is shown as its text fallback. */
  readonly chartImages?: ReadonlyMap<number, string>;
  /** Set when a chart could not be drawn: the fallback says so. */
  readonly chartsFailed?: boolean;
  /** The adapter's own notes (where the answer went), shown small above the footer. */
  readonly notes?: readonly string[];
}

/** The widest a column's share of a table row gets, in characters of its longest text. */
const MAX_COLUMN_WEIGHT = 24;

type RunStyle = {
  readonly weight?: 'Bolder';
  readonly size?: 'Small' | 'Medium' | 'Large';
  readonly subtle?: boolean;
  readonly color?: 'Attention' | 'Warning' | 'Good';
  readonly mono?: boolean;
  readonly italic?: boolean;
};

/** Breaks `<at>` and `</at>` so no text of ours is ever read as a Teams mention. */
export function neutraliseMentions(text: string): string {
  return text.replace(/<(\/?)(at)\b/gi, '<\u200b$1$2');
}

function run(text: string, style: RunStyle = {}): CardElement {
  return {
    type: 'TextRun',
    text: neutraliseMentions(text),
    ...(style.weight ? { weight: style.weight } : {}),
    ...(style.size ? { size: style.size } : {}),
    ...(style.subtle ? { isSubtle: true } : {}),
    ...(style.color ? { color: style.color } : {}),
    ...(style.mono ? { fontType: 'Monospace' } : {}),
    ...(style.italic ? { italic: true } : {}),
  };
}

/** One paragraph of plain text (never markdown). */
export function textBlock(text: string, style: RunStyle & { align?: 'Right'; spacing?: 'None' | 'Small' | 'Medium' } = {}): CardElement {
  return {
    type: 'RichTextBlock',
    inlines: [run(text, style)],
    ...(style.align ? { horizontalAlignment: style.align } : {}),
    ...(style.spacing ? { spacing: style.spacing } : {}),
  };
}

function card(body: CardElement[], wide = false): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: CARD_SCHEMA, version: CARD_VERSION, body, ...(wide ? { msteams: { width: 'Full' as const } } : {}) };
}

function valueFacts(reply: Reply): CardElement | null {
  const keys = (reply.valueKeys ?? Object.keys(reply.values).filter((k) => !k.endsWith('_change_pct'))).slice(0, MAX_FACTS);
  if (keys.length === 0) return null;
  const changes = reply.comparison?.changes ?? {};
  return {
    type: 'FactSet',
    facts: keys.map((key) => {
      let value = formatNumber(reply.values[key], formatFor(key));
      const change = changes[key] ?? null;
      if (reply.comparison && change !== null) value += ` (${formatChange(change)} vs ${reply.comparison.label})`;
      return { title: neutraliseMentions(labelFor(key)), value: neutraliseMentions(value) };
    }),
  };
}

/** A table as ColumnSets: a bold header row, then one row per entry, numbers right-aligned. */
function tableElements(columns: readonly Column[], rows: readonly Row[], more: string | null): CardElement[] {
  const shownColumns = columns.slice(0, MAX_CARD_TABLE_COLUMNS);
  const numeric = shownColumns.map((c) => isNumeric(c, rows));
  const body = rows.map((row) => shownColumns.map((c) => cellText(row[c.key], c.format)));
  // Every row is its own ColumnSet: the same weighted widths (the longest text of each column)
  // keep the columns lined up from row to row; long texts wrap rather than squeeze the numbers.
  const weights = shownColumns.map((c, i) => Math.min(MAX_COLUMN_WEIGHT, Math.max(3, c.label.length, ...body.map((cells) => (cells[i] ?? '').length))));
  const line = (cells: string[], header: boolean): CardElement => ({
    type: 'ColumnSet',
    spacing: 'None',
    columns: cells.map((cell, i) => ({
      type: 'Column',
      width: weights[i],
      items: [textBlock(cell, { size: 'Small', ...(header ? { weight: 'Bolder' as const } : {}), ...(numeric[i] ? { align: 'Right' as const } : {}) })],
    })),
  });
  const out: CardElement[] = [line(shownColumns.map((c) => c.label), true)];
  for (const cells of body) out.push(line(cells, false));
  if (more) out.push(textBlock(more, { size: 'Small', subtle: true }));
  return [{ type: 'Container', spacing: 'Medium', items: out }];
}

function seriesElements(reply: Reply): CardElement[] {
  if (reply.series.length === 0) return [];
  const keys = reply.seriesKeys ?? Object.keys(reply.series[0] ?? {}).filter((k) => k !== 'period_start' && k !== 'period_end');
  const grain = reply.period?.grain ?? null;
  const limit = Math.min(MAX_CARD_SERIES_ENTRIES, TEXT_SERIES_ENTRIES);
  const skipped = Math.max(0, reply.series.length - limit);
  const columns: Column[] = [
    { key: 'entry', label: grain ? grain.charAt(0).toUpperCase() + grain.slice(1) : 'Period' },
    ...keys.map((k) => ({ key: k, label: labelFor(k), format: formatFor(k) })),
  ];
  const rows = reply.series.slice(skipped).map((e) => ({ ...e, entry: formatEntry(e, grain) }));
  return tableElements(columns, rows, skipped > 0 ? `… ${formatCount(skipped)} earlier entries not shown` : null);
}

function displayTableElements(reply: Reply): CardElement[] {
  const table = reply.table;
  if (!table || table.rows.length === 0) return [];
  const shown = table.rows.slice(0, MAX_CARD_TABLE_ROWS);
  const total = table.total ?? table.rows.length;
  const more = total > shown.length ? `… and ${formatCount(total - shown.length)} more ${table.noun ?? 'rows'}` : null;
  return tableElements(table.columns, shown, more);
}

function chartElements(reply: Reply, options: CardOptions): CardElement[] {
  const images = options.chartImages ?? new Map<number, string>();
  const out: CardElement[] = [];
  let fellBack = false;
  reply.charts.forEach((chart, i) => {
    const uri = images.get(i);
    if (uri) {
      out.push({ type: 'Image', url: uri, altText: neutraliseMentions(chart.altText), size: 'Stretch', spacing: 'Medium' });
      return;
    }
    fellBack = true;
    out.push(textBlock(chart.altText, { weight: 'Bolder', spacing: 'Medium' }));
    out.push(textBlock(chart.fallbackText, { mono: true, size: 'Small' }));
  });
  if (fellBack && options.chartsFailed) out.unshift(textBlock('The chart could not be drawn; here it is as text.', { subtle: true, size: 'Small' }));
  return out;
}

/** The card of one Reply. */
export function replyCard(reply: Reply, options: CardOptions = {}): AdaptiveCard {
  const body: CardElement[] = [textBlock(reply.title, { weight: 'Bolder', size: 'Large' })];
  if (reply.subtitle) body.push(textBlock(reply.subtitle, { subtle: true, spacing: 'None' }));

  if (reply.error) {
    body.push(textBlock(reply.error.message, { color: reply.error.code === 'forbidden' ? 'Attention' : 'Warning' }));
    for (const note of options.notes ?? []) body.push(textBlock(note, { size: 'Small', subtle: true }));
    return card(body);
  }

  for (const sentence of reply.summary) body.push(textBlock(sentence));
  const facts = valueFacts(reply);
  if (facts) body.push(facts);
  body.push(...chartElements(reply, options));
  if (reply.charts.length === 0) body.push(...seriesElements(reply));
  body.push(...displayTableElements(reply));

  const small: string[] = [];
  for (const warning of reply.warnings) small.push(`⚠ ${warning}`);
  for (const note of options.notes ?? []) small.push(note);
  const footer = footerLines(reply);
  const smallBlocks = small.map((line) => textBlock(line, { size: 'Small', subtle: true }));
  const footerBlocks = footer.map((line) => textBlock(line, { size: 'Small', subtle: true, spacing: 'None' }));
  if (smallBlocks.length + footerBlocks.length > 0) {
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items: [...smallBlocks, ...footerBlocks] });
  }
  return card(body, reply.table !== null || reply.series.length > 0);
}

/** A short card of one sentence from the adapter (where an answer went, why it could not go). */
export function noticeCard(text: string): AdaptiveCard {
  return card([textBlock(text)]);
}

/** A question whose buttons send a command as the person who clicks (`messageBack`: it arrives as their message). */
export function questionCard(text: string, choices: ReadonlyArray<{ label: string; command: string }>): AdaptiveCard {
  return {
    ...card([textBlock(text)]),
    actions: choices.map((choice) => ({
      type: 'Action.Submit',
      title: choice.label,
      data: { msteams: { type: 'messageBack', text: choice.command, displayText: choice.label } },
    })),
  };
}

/** The activity's text beside the card: notifications and screen readers show it. */
export function cardSummary(reply: Reply): string {
  const head = reply.subtitle ? `${reply.title} — ${reply.subtitle}` : reply.title;
  const first = reply.error ? reply.error.message : reply.summary[0];
  return neutraliseMentions(first ? `${head}: ${first}` : head);
}
