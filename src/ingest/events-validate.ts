/**
 * Validation of usage events (DESIGN §4.2): one JSON object per line, checked field by field.
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

/** Keys that would carry what people wrote: refused with their own message (DESIGN §4). */
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

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
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
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (DATE_ONLY.test(value)) {
    return { ok: false, reason: `ts ${shown} is a date without a time; give a time and a UTC offset, e.g. 2025-11-03T09:30:00Z` };
  }
  const m = TIMESTAMP.exec(value);
  if (!m) {
    return { ok: false, reason: `ts ${shown} is not an ISO-8601 timestamp such as 2025-11-03T09:30:00Z or 2025-11-03T10:30:00+01:00` };
  }
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  if (!z && !sign) {
    return { ok: false, reason: `ts ${shown} has no UTC offset; add Z or ±HH:MM (a time without an offset is ambiguous)` };
  }
  const year = Number(y);
  const month = Number(mo);
  const dayOfMonth = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month)) {
    return { ok: false, reason: `ts ${shown} is not a real date` };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: `ts ${shown} is not a real time of day` };
  }
  let offsetMinutes = 0;
  if (sign) {
    const offH = Number(oh);
    const offM = om === undefined ? 0 : Number(om);
    if (offM > 59 || offH * 60 + offM > 18 * 60) {
      return { ok: false, reason: `ts ${shown} has an impossible UTC offset` };
    }
    offsetMinutes = (sign === '-' ? -1 : 1) * (offH * 60 + offM);
  }
  const ms = Date.UTC(year, month - 1, dayOfMonth, hour, minute, second) - offsetMinutes * 60_000;
  if (ms < EARLIEST_EVENT_MS) {
    return { ok: false, reason: `ts ${shown} is before ${EARLIEST_EVENT.slice(0, 10)}; check the source's clock or time unit` };
  }
  if (ms > now.getTime() + MAX_FUTURE_SKEW_MS) {
    return { ok: false, reason: `ts ${shown} is more than a day in the future (now is ${now.toISOString()})` };
  }
  const iso = new Date(ms).toISOString();
  // Keep up to microseconds (the store's precision), without trailing zeros.
  const fraction = (frac ?? '').slice(0, 6).replace(/0+$/, '');
  return {
    ok: true,
    ts: `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`,
    day: iso.slice(0, 10),
    ms,
  };
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function checkString(field: string, value: string, problems: string[]): boolean {
  if (value.length > MAX_FIELD_LENGTH) {
    problems.push(`${field} is longer than ${MAX_FIELD_LENGTH} characters`);
    return false;
  }
  if (CONTROL.test(value)) {
    problems.push(`${field} contains a control character`);
    return false;
  }
  return true;
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

  const unknown: string[] = [];
  for (const key of Object.keys(record)) {
    if (ALLOWED_FIELDS.has(key)) continue;
    if (TEXT_FIELDS.has(key.toLowerCase())) {
      problems.push(
        `field "${key}" is refused: wsa never accepts message text, prompts or content — send only the event's ids and labels`,
      );
    } else {
      unknown.push(key);
    }
  }
  if (unknown.length > 0) {
    const names = unknown.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ');
    problems.push(
      `unknown field${unknown.length === 1 ? '' : 's'} ${names}${unknown.length > 5 ? ', …' : ''} (allowed: ${[...ALLOWED_FIELDS].join(', ')})`,
    );
  }

  const required: Partial<Record<(typeof REQUIRED_FIELDS)[number], string>> = {};
  for (const field of REQUIRED_FIELDS) {
    const value = record[field];
    if (value === undefined || value === null) {
      problems.push(`${field} is required`);
    } else if (typeof value !== 'string') {
      problems.push(`${field} must be a string, not ${typeName(value)}`);
    } else if (value.trim() === '') {
      problems.push(`${field} is empty`);
    } else if (checkString(field, value, problems)) {
      required[field] = value;
    }
  }

  const optional = {} as Record<OptionalField, string | null>;
  for (const field of OPTIONAL_FIELDS) {
    const value = record[field];
    if (value === undefined || value === null || value === '') {
      optional[field] = null;
    } else if (typeof value !== 'string') {
      problems.push(`${field} must be a string or null, not ${typeName(value)}`);
    } else if (checkString(field, value, problems)) {
      optional[field] = value;
    }
  }

  let ts: { ts: string; day: string } | undefined;
  if (required.ts !== undefined) {
    const result = parseEventTimestamp(required.ts, now);
    if (result.ok) ts = result;
    else problems.push(result.reason);
  }

  if (problems.length > 0 || !ts || !required.id || !required.user || !required.conversation_id) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    event: {
      id: required.id,
      ts: ts.ts,
      day: ts.day,
      user: required.user,
      conversationId: required.conversation_id,
      optional,
    },
  };
}
