/**
 * Options of the synthetic workspace generator, their defaults and their validation. The
 * generator never reads the clock: the window ends on `endDate`, or on the Saturday ending the
 * last complete week before the `today` it is given.
 */
import { UsageError } from '../core/errors.ts';
import { dayOfDate, dayOfWeek, formatIsoDay, lastCompleteWeekEnd, parseIsoDay } from './dates.ts';
import { stream } from './prng.ts';

export type DemoSource = 'events' | 'exports';

export interface GenerateOptions {
  /** Same seed and options → byte-identical files. Default 1. */
  seed?: number | string;
  /** Accounts in the directory, pending invites and deleted accounts included. Default 600. */
  users?: number;
  /** Complete Sunday–Saturday weeks of activity. Default 26. */
  weeks?: number;
  /** SCIM groups (0 = a workspace without SCIM). Default 12. */
  groups?: number;
  /** Custom GPTs. Default users / 50 (at least 5). */
  gpts?: number;
  /** Projects. Default users / 20 (at least 5). */
  projects?: number;
  /** `events` (events.ndjson + directory.csv) or `exports` (Users reports). Default `events`. */
  source?: DemoSource;
  /** The Saturday ending the window (YYYY-MM-DD). Default: derived from `today`. */
  endDate?: string;
  /** Today (YYYY-MM-DD or a Date), used only to derive `endDate`. */
  today?: string | Date;
  /** The workspace's 32-hex account id. Default: derived from the seed. */
  accountId?: string;
}

export interface ResolvedOptions {
  seed: number | string;
  users: number;
  weeks: number;
  groups: number;
  gpts: number;
  projects: number;
  source: DemoSource;
  /** First day of the window (a Sunday). */
  startDate: string;
  /** Last day of the window (a Saturday). */
  endDate: string;
  accountId: string;
}

/**
 * 600 accounts: about 208,000 events over 26 weeks, which the embedded store loads in ~12 s on an
 * idle core, so a first `npm start` is ready in well under 30 s (docs/design.md §10). Every command
 * still has something to show: 12 groups of which 3 are below the minimum group size, ~550
 * enabled people with joiners, leavers and pending invites, ~30 power users, 12 GPTs, 30
 * projects, four impact surveys. (2,000 until issue 19: 690,000 events, ~40 s of loading.)
 */
export const DEFAULT_USERS = 600;
export const DEFAULT_WEEKS = 26;
export const DEFAULT_GROUPS = 12;
export const MIN_USERS = 50;
export const MAX_USERS = 1_000_000;
export const MAX_WEEKS = 104;

function integer(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new UsageError(`demo option ${name} must be an integer from ${min} to ${max}, not ${String(value)}`);
  }
  return v;
}

export function resolveOptions(options: GenerateOptions): ResolvedOptions {
  const seed = options.seed ?? 1;
  if (typeof seed === 'string' ? seed.length === 0 : !Number.isFinite(seed)) {
    throw new UsageError('demo option seed must be a non-empty string or a finite number');
  }
  const users = integer('users', options.users, DEFAULT_USERS, MIN_USERS, MAX_USERS);
  const weeks = integer('weeks', options.weeks, DEFAULT_WEEKS, 1, MAX_WEEKS);
  const groups = integer('groups', options.groups, DEFAULT_GROUPS, 0, Math.floor(users / 4));
  const gpts = integer('gpts', options.gpts, Math.max(5, Math.round(users / 50)), 0, users * 5);
  const projects = integer('projects', options.projects, Math.max(5, Math.round(users / 20)), 0, users * 5);
  const source = options.source ?? 'events';
  if (source !== 'events' && source !== 'exports') {
    throw new UsageError(`demo option source must be events or exports, not ${String(source)}`);
  }

  let end: number;
  if (options.endDate !== undefined) {
    try {
      end = parseIsoDay(options.endDate);
    } catch {
      throw new UsageError(`demo option endDate must be a YYYY-MM-DD date, not ${options.endDate}`);
    }
    if (dayOfWeek(end) !== 6) throw new UsageError(`demo option endDate must be a Saturday: ${options.endDate} is not`);
  } else if (options.today !== undefined) {
    let today: number;
    if (options.today instanceof Date) {
      if (Number.isNaN(options.today.getTime())) throw new UsageError('demo option today is an invalid Date');
      today = dayOfDate(options.today);
    } else {
      try {
        today = parseIsoDay(options.today);
      } catch {
        throw new UsageError(`demo option today must be a YYYY-MM-DD date, not ${options.today}`);
      }
    }
    end = lastCompleteWeekEnd(today);
  } else {
    throw new UsageError('the demo generator needs endDate or today (it never reads the clock)');
  }
  const start = end - weeks * 7 + 1;

  const accountId = options.accountId ?? stream(seed, 'account').hex(32);
  if (!/^[0-9a-f]{32}$/.test(accountId)) {
    throw new UsageError('demo option accountId must be 32 lower-case hex characters');
  }

  return {
    seed,
    users,
    weeks,
    groups,
    gpts,
    projects,
    source,
    startDate: formatIsoDay(start),
    endDate: formatIsoDay(end),
    accountId,
  };
}
