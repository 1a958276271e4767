/**
 * From a caller (an email an adapter vouches for, or the operator at the command line) to an
 * Identity the policy can judge (docs/design.md §7). Reads only the directory, never analytics data.
 */
import type { DbOrTx } from '../../store/schema.ts';
import { findAccountsByEmail, type DirectoryAccount } from '../../store/directory-accounts.ts';
import { roleOfAccounts, type DirectoryRole } from './roles.ts';

/** Who is asking, as an adapter knows it. */
export type Caller =
  /** The command line without --as: whoever runs it already holds the database. */
  | { readonly kind: 'operator' }
  /**
   * A person, by the email (or UPN) their platform vouches for, or the CLI's --as; the platform
   * and its user id, when known, go to the audit log.
   */
  | {
      readonly kind: 'person';
      readonly email: string;
      readonly platform?: 'slack' | 'teams';
      readonly platformUserId?: string;
    };

/** An analytics-viewer grant (docs/design.md §7; stored grants: src/core/access/grants.ts). */
export interface Grant {
  readonly role: 'analytics-viewer';
  /** Group names the grant is limited to; null = the whole workspace. */
  readonly groups: readonly string[] | null;
}

/**
 * Where the person stands in the directory:
 * - `found`: an enabled account, role from its `user_role`;
 * - `not-enabled`: only pending or deleted accounts;
 * - `unknown`: no account with this email;
 * - `no-directory`: nothing imported yet, so nobody can be looked up.
 */
export type DirectoryStanding = 'found' | 'not-enabled' | 'unknown' | 'no-directory';

export type Identity =
  | { readonly kind: 'operator' }
  | {
      readonly kind: 'person';
      readonly email: string;
      readonly standing: DirectoryStanding;
      /** The directory role, `member` when the standing is not `found`. */
      readonly directoryRole: DirectoryRole;
      /** The newest snapshot's day, when there is one. */
      readonly directoryAsOf: string | null;
      readonly accounts: readonly DirectoryAccount[];
      readonly grants: readonly Grant[];
    };

/** Grants of an email (lower-cased): `storeGrants` reads the store's; `noGrants` gives none. */
export type GrantSource = (db: DbOrTx, emailKey: string) => Promise<readonly Grant[]>;

export const noGrants: GrantSource = async () => [];

export async function resolveIdentity(
  db: DbOrTx,
  caller: Caller,
  grants: GrantSource = noGrants,
): Promise<Identity> {
  if (caller.kind === 'operator') return { kind: 'operator' };
  const email = caller.email.trim();
  const lookup = await findAccountsByEmail(db, email);
  const enabled = lookup.accounts.filter((a) => a.userStatus === 'enabled');
  const standing: DirectoryStanding =
    lookup.asOf === null
      ? 'no-directory'
      : lookup.accounts.length === 0
        ? 'unknown'
        : enabled.length === 0
          ? 'not-enabled'
          : 'found';
  return {
    kind: 'person',
    email,
    standing,
    directoryRole: standing === 'found' ? roleOfAccounts(enabled) : 'member',
    directoryAsOf: lookup.asOf,
    accounts: lookup.accounts,
    grants: await grants(db, email.toLowerCase()),
  };
}
