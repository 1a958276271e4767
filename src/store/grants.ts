/**
 * Analytics-viewer grants (docs/design.md §7, migration 0008): by lower-cased email, scoped to SCIM
 * group ids (null = the whole workspace), from chat or the command line (`manual`) or from a
 * role-map file (`role-map`).
 */
import { sql } from 'kysely';
import type { DbOrTx } from './schema.ts';
import { emailKey as keyOfEmail } from './directory-accounts.ts';

export type GrantOrigin = 'manual' | 'role-map';

export interface StoredGrant {
  readonly email: string;
  readonly emailKey: string;
  readonly role: 'analytics-viewer';
  /** null = the whole workspace. */
  readonly groupId: string | null;
  /** The group's current name; null for the whole workspace or a group no longer in the directory. */
  readonly groupName: string | null;
  readonly source: GrantOrigin;
  readonly grantedBy: string;
  readonly grantedAt: Date;
}

/** A person's grants (or everyone's with `emailKey` undefined), group names as they are now. */
export async function listGrants(db: DbOrTx, emailKey?: string): Promise<StoredGrant[]> {
  let q = db
    .selectFrom('access_grants as g')
    .leftJoin('scim_groups as s', 's.group_id', 'g.group_id')
    .select(['g.email', 'g.email_key', 'g.role', 'g.group_id', 's.name', 'g.source', 'g.granted_by', 'g.granted_at'])
    .orderBy('g.email_key')
    .orderBy('s.name')
    .orderBy('g.id');
  if (emailKey !== undefined) q = q.where('g.email_key', '=', keyOfEmail(emailKey));
  const rows = await q.execute();
  return rows.map((r) => ({
    email: r.email,
    emailKey: r.email_key,
    role: r.role,
    groupId: r.group_id,
    groupName: r.name ?? null,
    source: r.source,
    grantedBy: r.granted_by,
    grantedAt: r.granted_at,
  }));
}

export interface NewGrant {
  readonly email: string;
  /** null = the whole workspace. */
  readonly groupIds: readonly string[] | null;
  readonly source: GrantOrigin;
  readonly grantedBy: string;
  readonly at: Date;
}

/** Adds grants; one already there is left as it is. Returns how many were new. */
export async function addGrants(db: DbOrTx, grant: NewGrant): Promise<number> {
  const ids = grant.groupIds === null ? [null] : [...new Set(grant.groupIds)];
  if (ids.length === 0) return 0;
  const rows = ids.map((groupId) => ({
    email_key: keyOfEmail(grant.email),
    email: grant.email.trim(),
    role: 'analytics-viewer' as const,
    group_id: groupId,
    source: grant.source,
    granted_by: grant.grantedBy,
    granted_at: grant.at,
  }));
  const inserted = await db
    .insertInto('access_grants')
    .values(rows)
    .onConflict((oc) => oc.expression(sql`email_key, role, coalesce(group_id, ''), source`).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/**
 * Ends a person's grants of the role, whatever made them: those for these groups, or every one
 * with `groupIds` null. Returns how many ended.
 */
export async function revokeGrants(db: DbOrTx, email: string, groupIds: readonly string[] | null): Promise<number> {
  let q = db.deleteFrom('access_grants').where('email_key', '=', keyOfEmail(email)).where('role', '=', 'analytics-viewer');
  if (groupIds !== null) {
    if (groupIds.length === 0) return 0;
    q = q.where('group_id', 'in', [...groupIds]);
  }
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Replaces every grant of the previous role-map file with these (in the caller's transaction). */
export async function replaceRoleMapGrants(db: DbOrTx, grants: readonly NewGrant[]): Promise<{ removed: number; added: number }> {
  const removed = await db.deleteFrom('access_grants').where('source', '=', 'role-map').executeTakeFirst();
  let added = 0;
  for (const g of grants) added += await addGrants(db, { ...g, source: 'role-map' });
  return { removed: Number(removed.numDeletedRows), added };
}

/** Which of these lower-cased emails hold a grant for the whole workspace (one query). */
export async function wholeWorkspaceGrantees(db: DbOrTx, emailKeys: readonly string[]): Promise<Set<string>> {
  if (emailKeys.length === 0) return new Set();
  const rows = await db
    .selectFrom('access_grants')
    .select('email_key')
    .where('group_id', 'is', null)
    .where('email_key', '=', sql<string>`any(${sql.val([...emailKeys])}::text[])`)
    .execute();
  return new Set(rows.map((r) => r.email_key));
}
