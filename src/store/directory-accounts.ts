/**
 * Who an email is in the workspace directory (docs/design.md §7): its accounts as of the newest
 * directory snapshot. Emails are compared lower-cased in code through `email_key`, never with
 * the database's `lower()`.
 */
import { sql } from 'kysely';
import type { DbOrTx } from './schema.ts';

export interface DirectoryAccount {
  readonly publicId: string | null;
  readonly name: string | null;
  readonly email: string | null;
  /** `account-owner`, `account-admin`, `standard-user` (or whatever the export said). */
  readonly userRole: string | null;
  /** `enabled`, `pending` or `deleted`. */
  readonly userStatus: string;
}

export interface DirectoryLookup {
  /** The day of the newest snapshot; null when no directory has been imported. */
  readonly asOf: string | null;
  /** Every account of that snapshot with this email (an email may have several). */
  readonly accounts: readonly DirectoryAccount[];
}

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The newest directory snapshot: the latest `as_of`; of two ending the same day, the shorter
 * (later `period_start`), as the "as of" rule of docs/design.md §5 prefers. `except` leaves one snapshot
 * out (an import's comparison, while the snapshot it replaces still exists).
 */
export async function newestSnapshot(db: DbOrTx, except?: number): Promise<{ id: number; as_of: string } | undefined> {
  let query = db.selectFrom('directory_snapshots').select(['id', 'as_of']);
  if (except !== undefined) query = query.where('id', '!=', except);
  return query
    .orderBy('as_of', 'desc')
    .orderBy('period_start', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findAccountsByEmail(db: DbOrTx, email: string): Promise<DirectoryLookup> {
  const snapshot = await newestSnapshot(db);
  if (!snapshot) return { asOf: null, accounts: [] };
  const rows = await db
    .selectFrom('directory_accounts')
    .select(['public_id', 'name', 'email', 'user_role', 'user_status'])
    .where('snapshot_id', '=', snapshot.id)
    .where('email_key', '=', emailKey(email))
    .orderBy('account_key')
    .execute();
  return {
    asOf: snapshot.as_of,
    accounts: rows.map((r) => ({
      publicId: r.public_id,
      name: r.name,
      email: r.email,
      userRole: r.user_role,
      userStatus: r.user_status,
    })),
  };
}

/**
 * The enabled accounts of the newest snapshot among these lower-cased emails, with their
 * `user_role`: one query whatever their number (a channel's readers, docs/design.md §7).
 */
export async function enabledAccountsByEmail(db: DbOrTx, emailKeys: readonly string[]): Promise<Array<{ emailKey: string; userRole: string | null }>> {
  const snapshot = await newestSnapshot(db);
  if (!snapshot || emailKeys.length === 0) return [];
  const rows = await db
    .selectFrom('directory_accounts')
    .select(['email_key', 'user_role'])
    .where('snapshot_id', '=', snapshot.id)
    .where('user_status', '=', 'enabled')
    .where('email_key', '=', sql<string>`any(${sql.val([...emailKeys])}::text[])`)
    .execute();
  return rows.flatMap((r) => (r.email_key === null ? [] : [{ emailKey: r.email_key, userRole: r.user_role }]));
}
