/**
 * What an import does to the directory in use — the newest snapshot, which access checks read
 * (docs/design.md §7): accounts added, changed and dropped, counted against the snapshot that
 * was in use before. An import that would shut people out is refused unless the operator says
 * the file really is the whole directory now (`wsa import --replace-directory`):
 * - it leaves more than a tenth of the enabled accounts out (missing, or no longer enabled), or
 * - it leaves no enabled owner or admin where there was one.
 */
import { sql } from 'kysely';
import { ConflictError } from '../core/errors.ts';
import type { DbOrTx } from '../store/schema.ts';

/** The share of enabled accounts an import may leave out without `--replace-directory`. */
export const MAX_DROPPED_SHARE = 0.1;

const ADMIN_ROLES = ['account-owner', 'account-admin'] as const;

export interface DirectoryChange {
  /** Accounts in the new directory and not in the one before. */
  added: number;
  /** Accounts in both whose identity, role, status, groups or dates differ. */
  changed: number;
  /** Accounts in the directory before and not in the new one. */
  dropped: number;
  /** The day of the directory compared against; null for a store's first directory. */
  previousAsOf: string | null;
  /** Enabled accounts before, and how many of them the new directory has not (or not as enabled). */
  enabledBefore: number;
  enabledLost: number;
  /** Enabled owners and admins before and after (both 0 for a store's first directory: nothing to lose). */
  adminsBefore: number;
  adminsAfter: number;
  /** The import would have been refused and went in because of `--replace-directory`. */
  forced: boolean;
}

/** Compares two snapshots' accounts by `account_key` (the "before" one may be absent). */
export async function compareSnapshots(
  db: DbOrTx,
  before: { id: number; as_of: string } | undefined,
  afterId: number,
): Promise<DirectoryChange> {
  if (before === undefined) {
    // The first directory: every account is new (no join over the whole snapshot needed).
    const row = await db
      .selectFrom('directory_accounts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('snapshot_id', '=', afterId)
      .executeTakeFirstOrThrow();
    const added = Number(row.n);
    return { added, changed: 0, dropped: 0, previousAsOf: null, enabledBefore: 0, enabledLost: 0, adminsBefore: 0, adminsAfter: 0, forced: false };
  }
  const beforeId = before.id;
  const isAdmin = (alias: 'a' | 'b') =>
    sql`${sql.ref(`${alias}.user_status`)} = 'enabled' and ${sql.ref(`${alias}.user_role`)} in (${sql.join(ADMIN_ROLES.map((r) => sql.lit(r)))})`;
  const { rows } = await sql<Record<string, string | number>>`
    select
      count(*) filter (where b.account_key is null) as added,
      count(*) filter (where a.account_key is null) as dropped,
      count(*) filter (where a.account_key is not null and b.account_key is not null and
        row(a.public_id, a.name, a.email, a.role, a.user_role, a.department, a.group_ids, a.user_status, a.created_or_invited_date)
        is distinct from
        row(b.public_id, b.name, b.email, b.role, b.user_role, b.department, b.group_ids, b.user_status, b.created_or_invited_date)) as changed,
      count(*) filter (where b.user_status = 'enabled') as enabled_before,
      count(*) filter (where b.user_status = 'enabled' and a.user_status is distinct from 'enabled') as enabled_lost,
      count(*) filter (where ${isAdmin('b')}) as admins_before,
      count(*) filter (where ${isAdmin('a')}) as admins_after
    from (select * from directory_accounts where snapshot_id = ${beforeId}) b
    full join (select * from directory_accounts where snapshot_id = ${afterId}) a on a.account_key = b.account_key`.execute(db);
  const r = rows[0]!;
  return {
    added: Number(r.added),
    changed: Number(r.changed),
    dropped: Number(r.dropped),
    previousAsOf: before.as_of,
    enabledBefore: Number(r.enabled_before),
    enabledLost: Number(r.enabled_lost),
    adminsBefore: Number(r.admins_before),
    adminsAfter: Number(r.admins_after),
    forced: false,
  };
}

/** Why this change would shut people out; empty when it would not. */
export function lockoutReasons(change: DirectoryChange): string[] {
  const reasons: string[] = [];
  if (change.enabledLost > change.enabledBefore * MAX_DROPPED_SHARE) {
    const share = Math.round((change.enabledLost / change.enabledBefore) * 100);
    reasons.push(
      `${count(change.enabledLost)} of the ${count(change.enabledBefore)} enabled accounts (${share}%) ${change.enabledLost === 1 ? 'is' : 'are'} missing or no longer enabled`,
    );
  }
  if (change.adminsBefore > 0 && change.adminsAfter === 0) {
    reasons.push(`none of the ${count(change.adminsBefore)} enabled owners and admins is left`);
  }
  return reasons;
}

/**
 * Refuses a change that would shut people out (see the top of this file); with `replace` it is
 * let through and marked as forced.
 */
export function checkDirectoryChange(change: DirectoryChange, source: string, replace: boolean): DirectoryChange {
  const reasons = lockoutReasons(change);
  if (reasons.length === 0) return change;
  if (replace) return { ...change, forced: true };
  throw new ConflictError(
    `${source} was refused, nothing was imported: it would replace the directory as of ${change.previousAsOf}, and against that ` +
      `directory ${reasons.join('; ')}. People not in the directory as enabled accounts lose access to wsa, owners and admins included. ` +
      'If this file is a part of the directory, import the whole directory instead; if it really is the whole directory now, ' +
      'import it again with --replace-directory.',
  );
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
