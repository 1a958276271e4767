/** Roles (docs/design.md §7): owner and admin come from the directory, analytics viewer from a grant. */

export type DirectoryRole = 'owner' | 'admin' | 'member';
export type Role = DirectoryRole | 'analytics-viewer';

/** The directory's `user_role` values and the role each gives. Anything else is a member. */
const FROM_USER_ROLE: Readonly<Record<string, DirectoryRole>> = {
  'account-owner': 'owner',
  'account-admin': 'admin',
  'standard-user': 'member',
};

const RANK: Readonly<Record<Role, number>> = { member: 0, 'analytics-viewer': 1, admin: 2, owner: 3 };

export function roleFromUserRole(userRole: string | null): DirectoryRole {
  return FROM_USER_ROLE[(userRole ?? '').trim().toLowerCase()] ?? 'member';
}

export function higherRole<R extends Role>(a: R, b: R): R {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The highest role among accounts (docs/design.md §5: an email with several accounts). */
export function roleOfAccounts(accounts: ReadonlyArray<{ userRole: string | null }>): DirectoryRole {
  return accounts.map((a) => roleFromUserRole(a.userRole)).reduce(higherRole, 'member');
}

export function atLeast(role: Role, floor: Role): boolean {
  return RANK[role] >= RANK[floor];
}
