/**
 * Validation of usage events (docs/design.md §4.2): one JSON object per line, checked field by field.
 * Pure functions, no database: `checkEventLine` turns one physical line into a normalised event
 * or the problems it has. No message text is ever accepted.
 */

/** Optional string fields of an event, in the order of the `events` table. */
export const OPTIONAL_FIELDS = [
  'gpt_id',
  'project_id',
  'tool',
  'skill',
  'app',
  'model',
  'task_type',
  'topic',
] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

export const REQUIRED_FIELDS = ['id', 'ts', 'user', 'conversation_id'] as const;

const ALLOWED_FIELDS = new Set<string>([...REQUIRED_FIELDS, ...OPTIONAL_FIELDS]);

/** Keys that would carry what people wrote: refused with their own message (docs/design.md §4). */
const TEXT_FIELDS = new Set([
  'text',
  'content',
  'prompt',
  'message',
  'body',
  'completion',
  'response',
]);

/** Longest accepted value of any field (ids, names, labels), in UTF-16 code units. */
export const MAX_FIELD_LENGTH = 256;
/**
 * Fields that name a category (a label shown in charts and tables), not an id: they must look like
 * a short name, so a sentence of a prompt cannot be stored as a "topic".
 */
export const LABEL_FIELDS: ReadonlySet<OptionalField> = new Set(['tool', 'skill', 'app', 'model', 'task_type', 'topic']);
/** Longest accepted label, in characters. */
export const MAX_LABEL_LENGTH = 64;
/** The punctuation a label may hold besides letters, digits and spaces. */
export const LABEL_PUNCTUATION = '_-./:+#&()';
const LABEL = /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} _\-./:+#&()]*$/u;
/** A physical line longer than this is refused without being parsed (bytes). */
export const MAX_LINE_BYTES = 64 * 1024;
/** Timestamps may run ahead of the clock by this much (clock skew between systems). */
export const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;
/** Events before this instant are taken as a broken clock or a unit mix-up, not as usage. */
export const EARLIEST_EVENT = '2000-01-01T00:00:00Z';
const EARLIEST_EVENT_MS = Date.parse(EARLIEST_EVENT);

/** A valid event, normalised: `ts` in UTC (`…Z`, fraction without trailing zeros), `day` its UTC date. */
export interface UsageEvent {
  id: string;
  ts: string;
  day: string;
  user: string;
  conversationId: string;
  optional: Record<OptionalField, string | null>;
}

export type LineCheck = { ok: true; event: UsageEvent } | { ok: false; problems: string[] };

// YYYY-MM-DD, T or space, HH:MM[:SS[.fraction]], then Z or ±HH[[:]MM].
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// Half of a UTF-16 surrogate pair without the other half: only a JSON escape (`\ud800`) makes one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

const MS_PER_DAY = 86_400_000;
/** `YYYY-MM-DD` of each UTC day met, by day number: a source's events fall on a few days. */
const dayText = new Map<number, string>();
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * `YYYY-MM-DDTHH:MM:SS` of a UTC instant in whole seconds since 2000 — what
 * `new Date(ms).toISOString()` starts with, without a Date and its formatting for every event
 * (a third of the time spent on timestamps written with an offset).
 */
function utcLayout(ms: number): string {
  const dayNumber = Math.floor(ms / MS_PER_DAY);
  let day = dayText.get(dayNumber);
  if (day === undefined) {
    day = new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
    if (dayText.size < 100_000) dayText.set(dayNumber, day);
  }
  const seconds = Math.floor((ms - dayNumber * MS_PER_DAY) / 1000);
  return `${day}T${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

function timestampProblem(value: string, why: string): { ok: false; reason: string } {
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return { ok: false, reason: `ts ${shown} ${why}` };
}

/**
 * Parses an ISO-8601 timestamp that carries a UTC offset (or Z). Returns the normalised UTC form,
 * or a reason. Naive timestamps are refused: the same wall time means different days in
 * different zones, so guessing would move messages between days.
 */
export function parseEventTimestamp(
  value: string,
  now: Date,
): { ok: true; ts: string; day: string; ms: number } | { ok: false; reason: string } {
  const m = TIMESTAMP.exec(value);
  if (!m) {
    return DATE_ONLY.test(value)
      ? timestampProblem(value, 'is a date without a time; give a time and a UTC offset, e.g. 2025-11-03T09:30:00Z')
      : timestampProblem(value, 'is not an ISO-8601 timestamp such as 2025-11-03T09:30:00Z or 2025-11-03T10:30:00+01:00');
  }
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  if (!z && !sign) return timestampProblem(value, 'has no UTC offset; add Z or ±HH:MM (a time without an offset is ambiguous)');
  const year = Number(y);
  const month = Number(mo);
  const dayOfMonth = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month)) {
    return timestampProblem(value, 'is not a real date');
  }
  if (hour > 23 || minute > 59 || second > 59) return timestampProblem(value, 'is not a real time of day');
  let offsetMinutes = 0;
  if (sign) {
    const offH = Number(oh);
    const offM = om === undefined ? 0 : Number(om);
    if (offM > 59 || offH * 60 + offM > 18 * 60) return timestampProblem(value, 'has an impossible UTC offset');
    offsetMinutes = (sign === '-' ? -1 : 1) * (offH * 60 + offM);
  }
  const ms = Date.UTC(year, month - 1, dayOfMonth, hour, minute, second) - offsetMinutes * 60_000;
  if (ms < EARLIEST_EVENT_MS) {
    return timestampProblem(value, `is before ${EARLIEST_EVENT.slice(0, 10)}; check the source's clock or time unit`);
  }
  if (ms > now.getTime() + MAX_FUTURE_SKEW_MS) {
    return timestampProblem(value, `is more than a day in the future (now is ${now.toISOString()})`);
  }
  // Keep up to microseconds (the store's precision), without trailing zeros.
  let fraction = frac === undefined ? '' : frac.length > 6 ? frac.slice(0, 6) : frac;
  while (fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  // Already UTC in the canonical layout (the common case): no date arithmetic needed.
  const base = z && value.charCodeAt(10) === 0x54 /* T */ && s !== undefined ? value.slice(0, 19) : utcLayout(ms);
  return {
    ok: true,
    ts: fraction ? `${base}.${fraction}Z` : `${base}Z`,
    day: base.slice(0, 10),
    ms,
  };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Checks length, control characters and lone surrogates. `mayHoldEscapes` is false when the raw
 * line has no backslash: JSON then cannot have produced either, and the scans are skipped.
 */
function checkString(field: string, value: string, mayHoldEscapes: boolean, problems: string[]): boolean {
  if (value.length > MAX_FIELD_LENGTH) {
    problems.push(`${field} is longer than ${MAX_FIELD_LENGTH} characters`);
    return false;
  }
  if (mayHoldEscapes && CONTROL.test(value)) {
    problems.push(`${field} contains a control character`);
    return false;
  }
  // Not text: the store would keep U+FFFD in its place, so two such ids would become one, and
  // the id as stored would no longer be the id as sent.
  if (mayHoldEscapes && LONE_SURROGATE.test(value)) {
    problems.push(`${field} contains a lone surrogate escape (\\uD800–\\uDFFF without its pair), which is not text`);
    return false;
  }
  return true;
}

/** A label is a short name; the value itself is never echoed (it may be what someone wrote). */
function checkLabel(field: string, value: string, problems: string[]): boolean {
  if ([...value].length <= MAX_LABEL_LENGTH && LABEL.test(value)) return true;
  problems.push(
    `${field} must be a short name (at most ${MAX_LABEL_LENGTH} characters: letters, digits, spaces and ${LABEL_PUNCTUATION}, ` +
      'starting with a letter or digit); sentences and message text are refused',
  );
  return false;
}

function checkRequired(
  record: Record<string, unknown>,
  field: (typeof REQUIRED_FIELDS)[number],
  mayHoldEscapes: boolean,
  problems: string[],
): string | undefined {
  const value = record[field];
  if (value === undefined || value === null) problems.push(`${field} is required`);
  else if (typeof value !== 'string') problems.push(`${field} must be a string, not ${typeName(value)}`);
  else if (value.trim() === '') problems.push(`${field} is empty`);
  else if (checkString(field, value, mayHoldEscapes, problems)) return value;
  return undefined;
}

/** Describes a JSON.parse failure without echoing the line (it may hold anything). */
function describeJsonError(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const at = /at position (\d+)/.exec(message);
  if (at) return `not valid JSON (at character ${Number(at[1]) + 1})`;
  if (/Unexpected end of JSON input/.test(message)) return 'not valid JSON (it ends too early)';
  const token = /^Unexpected token '(.)'/.exec(message);
  if (token) return `not valid JSON (unexpected ${JSON.stringify(token[1])})`;
  return 'not valid JSON';
}

/** Checks one non-blank physical line. */
export function checkEventLine(text: string, now: Date): LineCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${describeJsonError(error)}; each line must be one JSON object`] };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, problems: [`must be a JSON object, not ${typeName(parsed)}`] };
  }
  const record = parsed as Record<string, unknown>;
  const problems: string[] = [];
  const mayHoldEscapes = text.includes('\\');

  let unknown: string[] | undefined;
  for (const key in record) {
    if (ALLOWED_FIELDS.has(key)) continue;
    if (TEXT_FIELDS.has(key.toLowerCase())) {
      problems.push(
        `field "${key}" is refused: wsa never accepts message text, prompts or content — send only the event's ids and labels`,
      );
    } else {
      (unknown ??= []).push(key);
    }
  }
  if (unknown) {
    const names = unknown.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ');
    problems.push(
      `unknown field${unknown.length === 1 ? '' : 's'} ${names}${unknown.length > 5 ? ', …' : ''} (allowed: ${[...ALLOWED_FIELDS].join(', ')})`,
    );
  }

  const id = checkRequired(record, 'id', mayHoldEscapes, problems);
  const tsText = checkRequired(record, 'ts', mayHoldEscapes, problems);
  const user = checkRequired(record, 'user', mayHoldEscapes, problems);
  const conversationId = checkRequired(record, 'conversation_id', mayHoldEscapes, problems);

  const optional = {} as Record<OptionalField, string | null>;
  for (const field of OPTIONAL_FIELDS) {
    const value = record[field];
    if (value === undefined || value === null || value === '') {
      optional[field] = null;
    } else if (typeof value !== 'string') {
      problems.push(`${field} must be a string or null, not ${typeName(value)}`);
    } else if (checkString(field, value, mayHoldEscapes, problems) && (!LABEL_FIELDS.has(field) || checkLabel(field, value, problems))) {
      optional[field] = value;
    }
  }

  let ts: { ts: string; day: string } | undefined;
  if (tsText !== undefined) {
    const result = parseEventTimestamp(tsText, now);
    if (result.ok) ts = result;
    else problems.push(result.reason);
  }

  if (problems.length > 0 || !ts || !id || !user || !conversationId) return { ok: false, problems };
  return { ok: true, event: { id, ts: ts.ts, day: ts.day, user, conversationId, optional } };
}
