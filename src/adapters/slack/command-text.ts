/**
 * What the adapter reads out of the command text before the core sees it: where the answer goes.
 *
 * `/wsa <command> [key:value ...] post:channel` posts the answer into the channel it was typed in
 * (in its aggregate form, see aggregate.ts); `post:me` (the default) answers only the asker. The
 * option may stand anywhere among the words, like the other `key:value` arguments, and is removed
 * from the text passed to the core. A `post:` inside a quoted value (`team:"post:channel"`) is a
 * value, not the option.
 */

export type Destination = 'private' | 'channel';

export const POST_OPTION = 'post';
export const POST_VALUES: Readonly<Record<string, Destination>> = { channel: 'channel', me: 'private' };

export type CommandText =
  | { ok: true; text: string; destination: Destination }
  | { ok: false; problem: 'unknown_destination' | 'repeated_destination'; given: string };

const OPEN_QUOTES = new Set(['"', '\u201c', '\u201d', '\u201e']);
const CLOSE_QUOTES = new Set(['"', '\u201c', '\u201d']);

/** Splits on whitespace outside double quotes (straight or curly), keeping each word as typed. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (quoted) {
      current += ch;
      if (CLOSE_QUOTES.has(ch)) quoted = false;
    } else if (/\s/.test(ch)) {
      if (current) words.push(current);
      current = '';
    } else {
      current += ch;
      if (OPEN_QUOTES.has(ch)) quoted = true;
    }
  }
  if (current) words.push(current);
  return words;
}

/** Slack's user-mention markup (`<@U123>` or `<@U123|name>`), as it arrives in app_mention text. */
const MENTION = /^<@[A-Z0-9]+(\|[^>]*)?>$/;

/** Reads the destination option and returns the text for the core without it (nor bot mentions). */
export function readCommandText(raw: string, options: { stripMentions?: boolean } = {}): CommandText {
  let destination: Destination | undefined;
  const kept: string[] = [];
  for (const word of splitWords(raw)) {
    if (options.stripMentions && MENTION.test(word)) continue;
    const match = /^post:(.*)$/i.exec(word);
    if (match) {
      const value = (match[1] ?? '').toLowerCase();
      const chosen = POST_VALUES[value];
      if (!chosen) return { ok: false, problem: 'unknown_destination', given: word };
      if (destination !== undefined) return { ok: false, problem: 'repeated_destination', given: word };
      destination = chosen;
      continue;
    }
    kept.push(word);
  }
  return { ok: true, text: kept.join(' '), destination: destination ?? 'private' };
}
