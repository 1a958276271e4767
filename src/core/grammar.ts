/**
 * The command grammar (docs/design.md §6): `/wsa <command> [key:value ...]`. Values with spaces go in
 * double quotes, straight or curly (`team:"Sales EMEA"`, `team:“Sales EMEA”`). A period is
 * `period:PRESET`, the bare preset word, or `from:` / `to:`; the trend grain is `by:`; `team:` is
 * `group:`. Every mistake is a UsageError that says what to type instead.
 */
import { closest } from './did-you-mean.ts';
import { UsageError } from './errors.ts';
import {
  GRAINS,
  PRESETS,
  customPeriod,
  defaultPreset,
  isPreset,
  presetPeriod,
  type Grain,
  type Period,
  type PresetName,
} from './periods.ts';
import { usage } from './wording.ts';

// ---------------------------------------------------------------------------------------------
// Words

/** Straight and typographic double quotes; any of them opens or closes a quoted stretch. */
const QUOTES = new Set(['"', '\u201C', '\u201D', '\u201E', '\u201F', '\u2033', '\u00AB', '\u00BB']);

/** A word of the command text and where it stands in that text (quotes included). */
export interface WordSpan {
  /** The word with its quotes dropped. */
  readonly word: string;
  readonly start: number;
  /** Just past its last character (a closing quote included). */
  readonly end: number;
}

/**
 * Splits on whitespace (no-break spaces too), keeping quoted stretches whole and dropping the
 * quotes; a backslash before a quote keeps that quote as a character.
 */
export function tokenize(text: string): string[] {
  return wordSpans(text).map((w) => w.word);
}

/** `tokenize`, with where each word stands in `text`. */
export function wordSpans(text: string): WordSpan[] {
  const words: WordSpan[] = [];
  let current = '';
  let start = -1;
  let quoteStart = -1;
  const begin = (i: number) => {
    if (start < 0) start = i;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    // \" is a quote character inside a value: team:"Project \"Atlas\" Core".
    if (ch === '\\' && QUOTES.has(text[i + 1] ?? '')) {
      begin(i);
      current += text[i + 1];
      i++;
      continue;
    }
    if (QUOTES.has(ch)) {
      begin(i);
      if (quoteStart >= 0) quoteStart = -1;
      else quoteStart = i;
      continue;
    }
    if (quoteStart < 0 && /\s/.test(ch)) {
      if (start >= 0) words.push({ word: current, start, end: i });
      current = '';
      start = -1;
      continue;
    }
    begin(i);
    current += ch;
  }
  if (quoteStart >= 0) {
    const wordStart = text.lastIndexOf(' ', quoteStart) + 1;
    throw new UsageError(usage.unclosedQuote(text.slice(wordStart).trim()));
  }
  if (start >= 0) words.push({ word: current, start, end: text.length });
  return words;
}

// ---------------------------------------------------------------------------------------------
// Arguments

/** What a command accepts. */
export interface ArgsSchema {
  /** `period:`, `from:`, `to:` and the bare preset words. */
  readonly period?: boolean;
  /** `by:day|week|month`. */
  readonly grain?: boolean;
  /** `group:` (and its synonym `team:`). */
  readonly group?: boolean;
  /** Free words (help's command name; grant's person and role): `count` of them at most, 1 by default. */
  readonly word?: { readonly name: string; readonly describe: string; readonly count?: number };
  /** Further `key:value` pairs the command validates itself, with what each one means. */
  readonly keys?: Readonly<Record<string, string>>;
}

/** The arguments a command receives, bound and checked. */
export interface CommandArgs {
  /** The period asked, or the command's default; null when the command takes no period. */
  readonly period: Period | null;
  /** Whether the period was given explicitly. */
  readonly periodGiven: boolean;
  /** `by:` when given. */
  readonly grain: Grain | null;
  /** The group filter as typed (matched case-insensitively later). */
  readonly group: string | null;
  readonly word: string | null;
  /** Every free word, in order (at most the schema's `word.count`). */
  readonly words: readonly string[];
  /** The schema's own keys, lower-cased, in the order given. */
  readonly pairs: ReadonlyArray<readonly [string, string]>;
}

/** One word of the command text after the command name. */
export interface RawArg {
  /** Lower-cased key for `key:value`, null for a bare word. */
  readonly key: string | null;
  readonly value: string;
}

export interface ParsedText {
  /** Lower-cased command name; null for an empty request (which means help). */
  readonly command: string | null;
  readonly args: readonly RawArg[];
}

/** Keys every command may know, with an example for the "needs a value" message. */
const COMMON_KEYS: Record<string, string> = {
  period: 'period:last-4-weeks',
  from: 'from:2026-01-01',
  to: 'to:2026-01-31',
  by: 'by:week',
  group: 'group:"Sales EMEA"',
  team: 'team:"Sales EMEA"',
};

const KEY = /^([A-Za-z][A-Za-z-]*):(.*)$/s;
const INVOCATION_WORDS = new Set(['/wsa', 'wsa', '@wsa']);

/** Where the asker wants the answer: just for them (the default), or posted into the conversation. */
export type Destination = 'private' | 'channel';

/** The option that says where the answer goes: `post:channel`, or `post:me` (the default). */
export const POST_OPTION = 'post';
const POST_VALUES: Readonly<Record<string, Destination>> = { channel: 'channel', me: 'private' };

/** Command text read whole: what is asked, and where the answer goes. */
export interface ParsedRequest extends ParsedText {
  /** `post:channel` → 'channel'; `post:me` or no `post:` → 'private'. */
  readonly destination: Destination;
  /** The command text without the `post:` option, its other words as typed (quotes kept). */
  readonly text: string;
  /** A `post:` with an unknown value, or given twice; the request is then not to be answered. */
  readonly problem: UsageError | null;
}

/**
 * Splits command text into the command name, its raw arguments and where the answer goes. The
 * `post:` option may stand anywhere among the words, like any `key:value`; inside a quoted value
 * (`team:"post:channel"`) it is part of that value. Throws a UsageError for an unclosed quote.
 */
export function parseRequest(text: string): ParsedRequest {
  const spans = wordSpans(text);
  const kept: WordSpan[] = [];
  const rest = [...spans];
  const invocation = rest[0] !== undefined && INVOCATION_WORDS.has(rest[0].word.toLowerCase()) ? rest.shift() : undefined;
  if (invocation) kept.push(invocation);
  let destination: Destination | undefined;
  let problem: UsageError | null = null;
  const args: RawArg[] = [];
  let command: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const span = rest[i] as WordSpan;
    const m = KEY.exec(span.word);
    if (command === null && !(m && (m[1] as string).toLowerCase() === POST_OPTION)) {
      command = span.word.toLowerCase();
      kept.push(span);
      continue;
    }
    if (!m) {
      args.push({ key: null, value: span.word });
      kept.push(span);
      continue;
    }
    const key = (m[1] as string).toLowerCase();
    let value = m[2] as string;
    let last = span;
    // `team: sales` — a space after the colon: the next word is the value.
    const next = rest[i + 1];
    if (value === '' && next !== undefined && !KEY.test(next.word)) {
      value = next.word;
      last = next;
      i++;
    }
    if (key !== POST_OPTION) {
      args.push({ key, value });
      kept.push(span);
      if (last !== span) kept.push(last);
      continue;
    }
    if (problem) continue;
    const given = text.slice(span.start, last.end);
    const chosen = POST_VALUES[value.trim().toLowerCase()];
    if (!chosen) problem = new UsageError(usage.badDestination(given));
    else if (destination !== undefined) problem = new UsageError(usage.repeatedDestination());
    else destination = chosen;
  }
  return {
    command,
    args,
    destination: destination ?? 'private',
    text: kept.map((w) => text.slice(w.start, w.end)).join(' '),
    problem,
  };
}

/** Splits command text into the command name and its raw arguments (`post:` set apart). */
export function parseText(text: string): ParsedText {
  const { command, args } = parseRequest(text.trim());
  return { command, args };
}

/** The keys a schema accepts, in the order help lists them. */
export function acceptedKeys(schema: ArgsSchema): string[] {
  return [
    ...(schema.period ? ['period', 'from', 'to'] : []),
    ...(schema.grain ? ['by'] : []),
    ...(schema.group ? ['team', 'group'] : []),
    ...Object.keys(schema.keys ?? {}),
  ];
}

/**
 * Binds raw arguments to a command's schema: periods resolved against today (the command's
 * default when none is given), `by:` and `team:`/`group:` checked, every mistake a UsageError.
 * `knownKeys` are keys some other command takes (so the message can say "does not take").
 */
export function bindArgs(
  command: string,
  schema: ArgsSchema,
  args: readonly RawArg[],
  today: string,
  knownKeys: readonly string[] = [],
): CommandArgs {
  const accepted = acceptedKeys(schema);
  const shown = accepted.filter((k) => k !== 'group');
  const seen = new Map<string, string>();
  const words: string[] = [];
  const pairs: Array<readonly [string, string]> = [];
  let preset: PresetName | null = null;
  let presetSource = '';

  for (const arg of args) {
    if (arg.key === null) {
      const word = arg.value.toLowerCase();
      if (schema.period && isPreset(word)) {
        if (preset !== null) throw new UsageError(usage.twoPeriods(presetSource, word));
        preset = word;
        presetSource = word;
      } else if (schema.word) {
        words.push(arg.value);
      } else if (accepted.length === 0) {
        throw new UsageError(usage.noArguments(command, arg.value));
      } else {
        const suggestions = schema.period ? closest(word, PRESETS) : [];
        throw new UsageError(usage.strayWord(command, arg.value, suggestions));
      }
      continue;
    }
    const key = arg.key === 'group' && schema.group ? 'team' : arg.key;
    if (!accepted.includes(arg.key)) {
      if (knownKeys.includes(arg.key) || arg.key in COMMON_KEYS) {
        throw new UsageError(usage.keyNotTaken(command, arg.key, shown));
      }
      throw new UsageError(usage.unknownKey(command, arg.key, closest(arg.key, shown), shown));
    }
    if (seen.has(key)) {
      throw new UsageError(key === 'team' ? usage.repeatedGroup() : usage.repeatedKey(arg.key));
    }
    if (arg.value.trim() === '') {
      throw new UsageError(usage.emptyValue(arg.key, COMMON_KEYS[arg.key] ?? `${arg.key}:VALUE`));
    }
    seen.set(key, arg.value.trim());
    if (key === 'period') {
      const word = arg.value.trim().toLowerCase();
      if (!isPreset(word)) throw new UsageError(usage.notAPeriod(arg.value, closest(word, PRESETS), PRESETS));
      if (preset !== null) throw new UsageError(usage.twoPeriods(presetSource, `period:${word}`));
      preset = word;
      presetSource = `period:${word}`;
    } else if (schema.keys && key in schema.keys) {
      pairs.push([key, arg.value.trim()] as const);
    }
  }

  if (words.length > (schema.word?.count ?? 1)) throw new UsageError(usage.tooManyWords(command, words));

  const from = seen.get('from');
  const to = seen.get('to');
  let period: Period | null = null;
  if (schema.period) {
    if (preset !== null && (from !== undefined || to !== undefined)) {
      throw new UsageError(usage.twoPeriods(presetSource, from !== undefined ? `from:${from}` : `to:${to}`));
    }
    if (to !== undefined && from === undefined) throw new UsageError(usage.toWithoutFrom(to));
    if (from !== undefined) period = customPeriod(from, to, today);
    else period = presetPeriod(preset ?? defaultPreset(command), today);
  }

  let grain: Grain | null = null;
  const by = seen.get('by');
  if (by !== undefined) {
    const g = by.toLowerCase();
    if (!(GRAINS as readonly string[]).includes(g)) throw new UsageError(usage.notAGrain(by, GRAINS));
    grain = g as Grain;
  }

  return {
    period,
    periodGiven: preset !== null || from !== undefined,
    grain,
    group: seen.get('team') ?? null,
    word: words[0] ?? null,
    words,
    pairs,
  };
}

// ---------------------------------------------------------------------------------------------
// People

/** A person named in command text: an email, or a Slack user id its adapter could not resolve. */
export type PersonRef = { readonly kind: 'email'; readonly email: string } | { readonly kind: 'slack-user'; readonly userId: string };

const EMAIL = /^[^\s@<>|]+@[^\s@<>|]+\.[^\s@<>|]+$/;

/**
 * A person as typed or as Slack escapes it (`should_escape`): `<@U123|name>` or `<@U123>`, a
 * mailto link `<mailto:a@b.com|a@b.com>`, or a plain email. Null when it is none of these.
 */
export function readPerson(word: string): PersonRef | null {
  const w = word.trim();
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(w);
  if (mention) return { kind: 'slack-user', userId: mention[1] as string };
  const mailto = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/i.exec(w);
  const email = mailto ? (mailto[1] as string).trim() : w.replace(/^@/, '');
  return EMAIL.test(email) ? { kind: 'email', email } : null;
}
