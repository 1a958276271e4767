/**
 * Reply → Block Kit, as pure functions (tested structurally, no Slack needed). Numbers, labels,
 * tables and the footer read exactly as in the CLI (src/core/format.ts). Slack's limits are
 * respected here: section text ≤ 3000 characters (long text is split over several sections),
 * header ≤ 150, ≤ 10 fields per section and ≤ 10 elements per context block, and ≤ 50 blocks per
 * message — a longer answer is split into several messages, and beyond what may be sent it is cut
 * with a note saying so.
 */
import type { types } from '@slack/bolt';
import {
  TEXT_SERIES_ENTRIES,
  footerLines,
  formatChange,
  formatCount,
  formatEntry,
  formatFor,
  formatNumber,
  labelFor,
  textTable,
} from '../../core/format.ts';
import type { Column, Reply } from '../../core/reply.ts';
import {
  MAX_BLOCKS_PER_MESSAGE,
  MAX_BUTTON_VALUE,
  MAX_CONTEXT_ELEMENTS,
  MAX_CONTEXT_TEXT,
  MAX_DISPLAY_ROWS,
  MAX_HEADER_TEXT,
  MAX_NOTIFICATION_TEXT,
  MAX_SECTION_TEXT,
} from './limits.ts';
import { slackWording } from './wording.ts';
import { deliveryWording } from '../../delivery/wording.ts';

export type Block = types.KnownBlock;

export interface SlackMessage {
  /** Notification and screen-reader text (Slack shows blocks when there are any). */
  text: string;
  blocks: Block[];
}

/** Fields of one section block. */
const MAX_FIELDS_PER_SECTION = 10;
const MAX_FIELD_TEXT = 2000;
const CODE_FENCE = '```';

export const SEND_PRIVATELY_ACTION = 'wsa_send_privately';

/** Slack mrkdwn control characters (`&`, `<`, `>`), escaped as Slack documents. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A message's top-level `text` (notifications, screen readers, clients without blocks): Slack
 * parses it like mrkdwn, so `<!channel>` or `<@U…>` typed by the asker would ping people. Escaped,
 * then cut to `max` without leaving half an entity at the end.
 */
export function messageText(plain: string, max: number): string {
  return cutEscaped(escapeMrkdwn(plain), max);
}

/** Escaped text cut to `max` characters, never inside an `&amp;`-style entity. */
function cutEscaped(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  return `${escaped.slice(0, Math.max(0, max - 1)).replace(/&[a-z]*$/, '')}…`;
}

export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Splits text into chunks of at most `max` characters, at line ends where it can; a single line
 * longer than `max` is cut into pieces.
 */
export function chunkLines(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > max) {
      if (current) {
        chunks.push(current);
        current = '';
      }
      chunks.push(rest.slice(0, max));
      rest = rest.slice(max);
    }
    const candidate = current ? `${current}\n${rest}` : rest;
    if (candidate.length > max) {
      chunks.push(current);
      current = rest;
    } else {
      current = candidate;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Sections holding mrkdwn text (already escaped), split to Slack's limit. */
export function mrkdwnSections(text: string): Block[] {
  return chunkLines(text, MAX_SECTION_TEXT).map((chunk) => ({ type: 'section', text: { type: 'mrkdwn', text: chunk } }));
}

/** Sections holding a monospace block of plain text, split to Slack's limit with each part fenced. */
export function codeSections(plain: string): Block[] {
  const room = MAX_SECTION_TEXT - 2 * CODE_FENCE.length - 2;
  return chunkLines(escapeMrkdwn(plain), room).map((chunk) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: `${CODE_FENCE}\n${chunk}\n${CODE_FENCE}` },
  }));
}

export function headerBlock(title: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: cutText(title, MAX_HEADER_TEXT), emoji: true } };
}

/** Context blocks of mrkdwn lines (already escaped), ≤ 10 elements each. */
export function contextBlocks(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i += MAX_CONTEXT_ELEMENTS) {
    blocks.push({
      type: 'context',
      elements: lines
        .slice(i, i + MAX_CONTEXT_ELEMENTS)
        .map((line) => ({ type: 'mrkdwn' as const, text: cutText(line, MAX_CONTEXT_TEXT) })),
    });
  }
  return blocks;
}

function valueFields(reply: Reply): string[] {
  const keys = reply.valueKeys ?? Object.keys(reply.values).filter((k) => !k.endsWith('_change_pct'));
  const changes = reply.comparison?.changes ?? {};
  return keys.map((key) => {
    let text = `*${escapeMrkdwn(labelFor(key))}*\n${escapeMrkdwn(formatNumber(reply.values[key], formatFor(key)))}`;
    // A change that cannot be computed is left out here; the core's warning says why.
    const change = changes[key] ?? null;
    if (reply.comparison && change !== null) {
      text += `\n${escapeMrkdwn(`${formatChange(change)} vs ${reply.comparison.label}`)}`;
    }
    return cutText(text, MAX_FIELD_TEXT);
  });
}

function fieldSections(fields: readonly string[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < fields.length; i += MAX_FIELDS_PER_SECTION) {
    blocks.push({
      type: 'section',
      fields: fields.slice(i, i + MAX_FIELDS_PER_SECTION).map((text) => ({ type: 'mrkdwn' as const, text })),
    });
  }
  return blocks;
}

function seriesTable(reply: Reply): string | null {
  if (reply.series.length === 0) return null;
  const keys =
    reply.seriesKeys ?? Object.keys(reply.series[0] ?? {}).filter((k) => k !== 'period_start' && k !== 'period_end');
  const grain = reply.period?.grain ?? null;
  const skipped = Math.max(0, reply.series.length - TEXT_SERIES_ENTRIES);
  const columns: Column[] = [
    { key: 'entry', label: grain ? grain.charAt(0).toUpperCase() + grain.slice(1) : 'Period' },
    ...keys.map((k) => ({ key: k, label: labelFor(k), format: formatFor(k) })),
  ];
  const rows = reply.series.slice(skipped).map((e) => ({ ...e, entry: formatEntry(e, grain) }));
  const lines = textTable(columns, rows);
  if (skipped > 0) lines.push(`… ${formatCount(skipped)} earlier entries not shown`);
  return lines.join('\n');
}

function displayTable(reply: Reply): { text: string; note: string | null } | null {
  const table = reply.table;
  if (!table || table.rows.length === 0) return null;
  // A command may ask for every row to be shown (help lists every command).
  const shown = table.rows.slice(0, table.limit ?? MAX_DISPLAY_ROWS);
  const text = textTable(table.columns, shown).join('\n');
  const total = table.total ?? table.rows.length;
  const note = shown.length < total ? deliveryWording.rowsCut(shown.length, total, table.noun ?? 'rows') : null;
  return { text, note };
}

export interface ReplyBlocksOptions {
  /** Indexes of `reply.charts` that go with this message as uploaded images. */
  attachedCharts?: ReadonlySet<number>;
  /** Set when an attempt to attach charts or files failed: the text fallbacks say so. */
  attachFailed?: boolean;
  /** The adapter's own notes (where the answer went, what was left out), shown as context. */
  notes?: readonly string[];
}

/** The blocks of one Reply, in reading order, before splitting into messages. */
export function replyBlocks(reply: Reply, options: ReplyBlocksOptions = {}): Block[] {
  const attached = options.attachedCharts ?? new Set<number>();
  const blocks: Block[] = [headerBlock(reply.title)];
  if (reply.subtitle) blocks.push(...contextBlocks([escapeMrkdwn(reply.subtitle)]));

  if (reply.error) {
    const mark = reply.error.code === 'forbidden' ? ':no_entry:' : ':warning:';
    blocks.push(...mrkdwnSections(`${mark} ${escapeMrkdwn(reply.error.message)}`));
    if (options.notes?.length) blocks.push(...contextBlocks(options.notes.map(escapeMrkdwn)));
    return blocks;
  }

  if (reply.summary.length > 0) blocks.push(...mrkdwnSections(reply.summary.map(escapeMrkdwn).join('\n')));
  blocks.push(...fieldSections(valueFields(reply)));

  const fallbacks = reply.charts.filter((_, i) => !attached.has(i));
  if (fallbacks.length > 0 && options.attachFailed) blocks.push(...contextBlocks([escapeMrkdwn(deliveryWording.chartUnavailable())]));
  for (const chart of fallbacks) {
    blocks.push(...mrkdwnSections(`*${escapeMrkdwn(chart.altText)}*`));
    blocks.push(...codeSections(chart.fallbackText));
  }
  if (reply.charts.length === 0) {
    const series = seriesTable(reply);
    if (series) blocks.push(...codeSections(series));
  }
  const table = displayTable(reply);
  if (table) {
    blocks.push(...codeSections(table.text));
    if (table.note) blocks.push(...contextBlocks([escapeMrkdwn(table.note)]));
  }

  const context: string[] = [];
  for (const warning of reply.warnings) context.push(`:warning: ${escapeMrkdwn(warning)}`);
  for (const note of options.notes ?? []) context.push(escapeMrkdwn(note));
  for (const line of footerLines(reply)) context.push(escapeMrkdwn(line));
  blocks.push(...contextBlocks(context));
  return blocks;
}

/** The notification text: the title, the subtitle and the first sentence, or the error; escaped. */
export function notificationText(reply: Reply): string {
  const head = reply.subtitle ? `${reply.title} — ${reply.subtitle}` : reply.title;
  const first = reply.error ? reply.error.message : reply.summary[0];
  return messageText(first ? `${head}: ${first}` : head, MAX_NOTIFICATION_TEXT);
}

/**
 * Splits blocks into messages of at most 50 blocks. When more than `maxMessages` would be needed,
 * the last message ends with a note that the rest did not fit.
 */
export function splitMessages(blocks: readonly Block[], text: string, maxMessages = Number.POSITIVE_INFINITY): SlackMessage[] {
  const messages: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += MAX_BLOCKS_PER_MESSAGE) {
    messages.push({
      text: i === 0 ? text : cutEscaped(`${text} (continued)`, MAX_NOTIFICATION_TEXT),
      blocks: blocks.slice(i, i + MAX_BLOCKS_PER_MESSAGE),
    });
  }
  if (messages.length > maxMessages) {
    const kept = messages.slice(0, maxMessages);
    const last = kept[kept.length - 1] as SlackMessage;
    const shownBlocks = (maxMessages - 1) * MAX_BLOCKS_PER_MESSAGE + last.blocks.length - 1;
    last.blocks = [
      ...last.blocks.slice(0, -1),
      ...contextBlocks([escapeMrkdwn(slackWording.truncated(blocks.length - shownBlocks))]),
    ];
    return kept;
  }
  return messages;
}

/** A Reply as Slack messages. */
export function replyMessages(reply: Reply, options: ReplyBlocksOptions & { maxMessages?: number } = {}): SlackMessage[] {
  return splitMessages(replyBlocks(reply, options), notificationText(reply), options.maxMessages);
}

/** A short notice from the adapter (where the answer went, why it could not go somewhere). */
export function noticeMessage(text: string): SlackMessage {
  return { text: messageText(text, MAX_NOTIFICATION_TEXT), blocks: mrkdwnSections(escapeMrkdwn(text)) };
}

/**
 * A question with buttons, each of which runs a command as the person who clicks it (the
 * send-privately action, told apart by a suffix of its id): `digest opt-in` / `digest opt-out`.
 */
export function commandButtonsMessage(text: string, buttons: ReadonlyArray<{ label: string; command: string; style?: 'primary' }>): SlackMessage {
  const blocks: Block[] = mrkdwnSections(escapeMrkdwn(text));
  blocks.push({
    type: 'actions',
    elements: buttons.map((b, i) => ({
      type: 'button',
      action_id: `${SEND_PRIVATELY_ACTION}:${i}`,
      text: { type: 'plain_text', text: b.label, emoji: true },
      value: b.command,
      ...(b.style ? { style: b.style } : {}),
    })),
  } as Block);
  return { text: messageText(text, MAX_NOTIFICATION_TEXT), blocks };
}

/** A notice with a button that asks for the answer privately; the button carries the command text. */
export function offerPrivateMessage(text: string, commandText: string): SlackMessage {
  const blocks: Block[] = mrkdwnSections(escapeMrkdwn(text));
  if (commandText.length <= MAX_BUTTON_VALUE) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: SEND_PRIVATELY_ACTION,
          text: { type: 'plain_text', text: deliveryWording.sendPrivatelyButton(), emoji: true },
          value: commandText,
        },
      ],
    });
  }
  return { text: messageText(text, MAX_NOTIFICATION_TEXT), blocks };
}
