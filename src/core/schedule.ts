/**
 * When a digest is due (docs/design.md §8): a subscription's schedule is a weekday and a time of
 * day in its own IANA time zone, every week or every month (the first such weekday of the month).
 * One function finds the slots around an instant, and it serves the scheduler's tick, `wsa digest
 * run-due` and `digest list` alike. Pure: instants in, instants out; zones through the runtime's
 * ICU data (Intl), so daylight-saving changes come from the same tables the operating system uses.
 *
 * A slot is the instant at which the local clock of the zone shows the schedule's time on a
 * matching day. Where that local time does not exist (the hour skipped when clocks go forward) the
 * slot is the same wall time read with the offset before the change — one hour later in local
 * terms; where it exists twice (clocks go back) the slot is the first of the two.
 */
import { UsageError } from './errors.ts';
import { addDays, dayNumber, fromDayNumber, weekday, type DateRange, type IsoDate } from './periods.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];
export type Cadence = 'week' | 'month';

export interface Schedule {
  /** 0 = Sunday … 6 = Saturday, in the schedule's zone. */
  readonly day: number;
  /** Minutes after local midnight. */
  readonly minute: number;
  /** An IANA zone name (`Europe/Paris`), `UTC` by default. */
  readonly timeZone: string;
  readonly every: Cadence;
}

/** Monday 09:00 UTC, weekly (docs/design.md §8). */
export const DEFAULT_SCHEDULE: Schedule = { day: 1, minute: 9 * 60, timeZone: 'UTC', every: 'week' };

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const DAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** `mon`, `Monday`, `TUES` (three letters or more of the name) → 1. */
export function parseWeekday(text: string): number {
  const word = text.trim().toLowerCase();
  const day = word.length >= 3 ? DAY_NAMES.findIndex((name) => name.startsWith(word)) : -1;
  if (day < 0) throw new UsageError(`"${text}" is not a weekday: use mon, tue, wed, thu, fri, sat or sun.`);
  return day;
}

/** `09:00`, `9:30` → minutes after midnight. */
export function parseTimeOfDay(text: string): number {
  const match = TIME.exec(text.trim());
  if (!match) throw new UsageError(`"${text}" is not a time of day: use HH:MM on a 24-hour clock, like 09:00 or 17:30.`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** An IANA zone name as the runtime spells it (`europe/paris` → `Europe/Paris`); refused if unknown. */
export function parseTimeZone(text: string): string {
  const name = text.trim();
  try {
    if (name === '' || /^[+-]?\d/.test(name)) throw new RangeError('offset');
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new UsageError(
      `"${text}" is not a time zone this server knows: use an IANA name such as Europe/Paris, America/New_York or UTC.`,
    );
  }
}

/**
 * A schedule from the parts people type (`day`, `time`, `tz`, `every`, each optional), the rest
 * from DEFAULT_SCHEDULE; each part refused in plain words. `every` names the option as typed
 * (`--every` on the command line, `every:` in chat).
 */
export function scheduleFrom(parts: { day?: string | undefined; time?: string | undefined; tz?: string | undefined; every?: string | undefined }, everyName = 'every'): Schedule {
  const every = parts.every?.trim().toLowerCase() ?? DEFAULT_SCHEDULE.every;
  if (every !== 'week' && every !== 'month') throw new UsageError(`${everyName} is week or month, not "${parts.every}".`);
  return {
    day: parts.day !== undefined ? parseWeekday(parts.day) : DEFAULT_SCHEDULE.day,
    minute: parts.time !== undefined ? parseTimeOfDay(parts.time) : DEFAULT_SCHEDULE.minute,
    timeZone: parts.tz !== undefined ? parseTimeZone(parts.tz) : DEFAULT_SCHEDULE.timeZone,
    every,
  };
}

export function formatTimeOfDay(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Local wall time ↔ instants

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in milliseconds (Paris in summer: +2 h). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  const part = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const p of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (p.type in part) part[p.type as keyof typeof part] = Number(p.value);
  }
  const wall = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute, part.second);
  return wall - Math.floor(instantMs / 1000) * 1000;
}

/** The local calendar day of an instant in a zone. */
export function localDate(instant: Date, timeZone: string): IsoDate {
  const ms = instant.getTime();
  return new Date(ms + zoneOffsetMs(ms, timeZone)).toISOString().slice(0, 10);
}

/** The instant the zone's clocks show `minute` on `date` (see the header for skipped and repeated hours). */
export function localInstant(date: IsoDate, minute: number, timeZone: string): Date {
  const wall = dayNumber(date) * DAY_MS + minute * MINUTE_MS;
  // The offsets in force a day either side of the wall time bound the answer: try the earlier first.
  const candidates = [...new Set([zoneOffsetMs(wall - DAY_MS, timeZone), zoneOffsetMs(wall + DAY_MS, timeZone)])]
    .map((offset) => wall - offset)
    .sort((a, b) => a - b);
  for (const at of candidates) {
    if (at + zoneOffsetMs(at, timeZone) === wall) return new Date(at);
  }
  // Skipped wall time: read it with the offset before the change.
  return new Date(wall - zoneOffsetMs(wall - DAY_MS, timeZone));
}

// ---------------------------------------------------------------------------------------------
// Slots

/** Whether a local date is a slot day of the schedule. */
function isSlotDay(date: IsoDate, schedule: Schedule): boolean {
  if (weekday(date) !== schedule.day) return false;
  return schedule.every === 'week' || Number(date.slice(8, 10)) <= 7;
}

/** Local days searched either side of an instant: a month's first weekday is at most 37 days away. */
const SEARCH_DAYS = 40;

/** The first slot strictly after `instant`. */
export function nextSlot(schedule: Schedule, instant: Date): Date {
  const from = dayNumber(localDate(instant, schedule.timeZone)) - 1;
  for (let d = from; d <= from + SEARCH_DAYS; d += 1) {
    const date = fromDayNumber(d);
    if (!isSlotDay(date, schedule)) continue;
    const at = localInstant(date, schedule.minute, schedule.timeZone);
    if (at.getTime() > instant.getTime()) return at;
  }
  throw new Error('no slot found within the search window');
}

/** The newest slot at or before `instant`. */
export function latestSlot(schedule: Schedule, instant: Date): Date {
  const from = dayNumber(localDate(instant, schedule.timeZone)) + 1;
  for (let d = from; d >= from - SEARCH_DAYS; d -= 1) {
    const date = fromDayNumber(d);
    if (!isSlotDay(date, schedule)) continue;
    const at = localInstant(date, schedule.minute, schedule.timeZone);
    if (at.getTime() <= instant.getTime()) return at;
  }
  throw new Error('no slot found within the search window');
}

/** Every slot in (after, until], oldest first. */
export function slotsBetween(schedule: Schedule, after: Date, until: Date): Date[] {
  const out: Date[] = [];
  for (let at = nextSlot(schedule, after); at.getTime() <= until.getTime(); at = nextSlot(schedule, at)) out.push(at);
  return out;
}

/**
 * What a slot's digest covers: weekly, the newest Sunday–Saturday week that ended before the
 * slot's instant in UTC; monthly, the newest calendar month that ended before it.
 */
export function coveredPeriod(every: Cadence, slot: Date): DateRange {
  // The last UTC day that has wholly ended by the slot's instant.
  const lastEnded = fromDayNumber(Math.floor(slot.getTime() / DAY_MS) - 1);
  if (every === 'week') {
    const end = addDays(lastEnded, -((weekday(lastEnded) + 1) % 7));
    return { start: addDays(end, -6), end };
  }
  const next = addDays(lastEnded, 1);
  const end = Number(next.slice(8, 10)) === 1 ? lastEnded : addDays(`${lastEnded.slice(0, 8)}01`, -1);
  return { start: `${end.slice(0, 8)}01`, end };
}

/** "Mondays at 09:00 Europe/Paris", "the first Monday of each month at 09:00 UTC". */
export function describeSchedule(schedule: Schedule): string {
  const name = DAY_NAMES[schedule.day] ?? 'monday';
  const day = name.charAt(0).toUpperCase() + name.slice(1);
  const time = `${formatTimeOfDay(schedule.minute)} ${schedule.timeZone}`;
  return schedule.every === 'week' ? `${day}s at ${time}` : `the first ${day} of each month at ${time}`;
}
