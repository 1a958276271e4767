/**
 * Who can read a channel, and so which form of an answer may go there (docs/design.md §7). The
 * adapter supplies the channel's readers — people only: bots and deactivated accounts left out —
 * by the email their platform gives (null when it gives none); this module resolves them through
 * the directory in use and the stored grants and decides:
 * - every reader may see people (owner, admin, or an analytics viewer of the whole workspace) →
 *   the full answer goes to the channel;
 * - otherwise → the aggregate form (the command run again with `scope.aggregateOnly`).
 * A reader who cannot be resolved (no email, not in the directory, not enabled) counts as a member.
 * A viewer whose grant is limited to groups counts as a member too: the full answer may name
 * people outside their groups. When the readers are not known within the deadline (a roster the
 * platform is slow to give), the channel gets the aggregate form; the roster keeps loading into
 * the adapter's cache for the next question.
 * Reads the directory and grants only, two queries whatever the channel's size.
 */
import type { DbOrTx } from '../../store/schema.ts';
import { enabledAccountsByEmail } from '../../store/directory-accounts.ts';
import { wholeWorkspaceGrantees } from '../../store/grants.ts';
import { roleFromUserRole } from './roles.ts';

/** A channel's readers by email (null: the platform gives none), bots and deactivated accounts left out. */
export type ReaderSource = () => Promise<readonly (string | null)[]>;

/** How long the decision may take before the channel gets the aggregate form anyway. */
export const AUDIENCE_DEADLINE_MS = 2_000;

export interface AudienceDecision {
  readonly form: 'full' | 'aggregate';
  /** Why, in words for the audit log and the asker (no email, no name). */
  readonly reason: string;
  /** Readers counted, and those who may not see people (null when the readers were not known). */
  readonly readers: number | null;
  readonly limited: number | null;
}

/** The lower-cased emails among `keys` whose holder may see people. */
async function whoMaySeePeople(db: DbOrTx, keys: readonly string[]): Promise<Set<string>> {
  const [accounts, wholeWorkspaceViewers] = await Promise.all([enabledAccountsByEmail(db, keys), wholeWorkspaceGrantees(db, keys)]);
  const out = new Set<string>();
  for (const a of accounts) {
    const role = roleFromUserRole(a.userRole);
    if (role === 'owner' || role === 'admin' || wholeWorkspaceViewers.has(a.emailKey)) out.add(a.emailKey);
  }
  return out;
}

/** The decision for readers already known. */
export async function judgeReaders(db: DbOrTx, readers: readonly (string | null)[]): Promise<AudienceDecision> {
  const keys = [...new Set(readers.flatMap((e) => (e && e.trim() ? [e.trim().toLowerCase()] : [])))];
  const allowed = await whoMaySeePeople(db, keys);
  const limited = readers.filter((e) => !e || !allowed.has(e.trim().toLowerCase())).length;
  const n = readers.length;
  if (limited === 0) {
    return { form: 'full', reason: `every reader of the channel (${n}) may see people`, readers: n, limited: 0 };
  }
  return {
    form: 'aggregate',
    reason: `${limited} of ${n} reader${n === 1 ? '' : 's'} of the channel may not see people`,
    readers: n,
    limited,
  };
}

/** Reads the roster and judges it, or gives the aggregate form when that takes past the deadline. */
export async function decideAudience(
  db: DbOrTx,
  readers: ReaderSource,
  options: { deadlineMs?: number; onError?: (error: unknown) => void } = {},
): Promise<AudienceDecision> {
  const deadline = options.deadlineMs ?? AUDIENCE_DEADLINE_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<AudienceDecision>((resolve) => {
    timer = setTimeout(
      () => resolve({ form: 'aggregate', reason: `the channel's readers were not known within ${deadline / 1000} s`, readers: null, limited: null }),
      deadline,
    );
    timer.unref();
  });
  const judged = readers()
    .then((list) => judgeReaders(db, list))
    .catch((error: unknown): AudienceDecision => {
      options.onError?.(error);
      return { form: 'aggregate', reason: "the channel's readers could not be read", readers: null, limited: null };
    });
  try {
    return await Promise.race([judged, late]);
  } finally {
    clearTimeout(timer);
  }
}
