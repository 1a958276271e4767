/**
 * Granting and revoking the analytics-viewer role (docs/design.md §7), the same for `/wsa grant`
 * in chat and `wsa grant` at the command line: group names are resolved to SCIM group ids when
 * the grant is made (case-insensitively; an unknown name is refused with the closest ones), so a
 * grant follows a renamed group. Emails match case-insensitively. Someone not (yet) in the
 * directory may be granted the role; the answer says so.
 */
import { UsageError } from '../errors.ts';
import { readPerson } from '../grammar.ts';
import type { DbOrTx } from '../../store/schema.ts';
import { addGrants, listGrants, revokeGrants, type StoredGrant } from '../../store/grants.ts';
import { findAccountsByEmail } from '../../store/directory-accounts.ts';
import { resolveGroup } from '../../metrics/groups.ts';
import type { Grant, GrantSource } from './identity.ts';

export const GRANTABLE_ROLE = 'analytics-viewer';

/** Stored grants as the policy reads them: the whole workspace, and/or the current names of groups. */
export function grantsFromRows(rows: readonly StoredGrant[]): Grant[] {
  const out: Grant[] = [];
  if (rows.some((r) => r.groupId === null)) out.push({ role: 'analytics-viewer', groups: null });
  // A group no longer in the directory has no name: its grant covers nobody until it returns.
  const names = [...new Set(rows.filter((r) => r.groupId !== null && r.groupName !== null).map((r) => r.groupName as string))];
  if (names.length > 0) out.push({ role: 'analytics-viewer', groups: names.sort((a, b) => a.localeCompare(b)) });
  return out;
}

/** The grants kept in the store: the GrantSource every adapter and the CLI pass to `answer()`. */
export const storeGrants: GrantSource = async (db, emailKey) => grantsFromRows(await listGrants(db, emailKey));

/** The email of a person as typed (`a@b.com`, `<mailto:…|…>`, or a Slack mention its adapter resolved). */
export function personEmail(word: string | null | undefined): string {
  if (!word) throw new UsageError('Say whom: an email or, in Slack, an @-mention (`grant @lead analytics-viewer team:sales`).');
  const ref = readPerson(word);
  if (ref === null) throw new UsageError(`"${word}" is not an email or an @-mention of a person.`);
  if (ref.kind === 'slack-user') {
    throw new UsageError('wsa could not read the email of that Slack user; give their email instead.');
  }
  return ref.email;
}

export function checkRole(role: string | null | undefined): 'analytics-viewer' {
  const r = (role ?? '').trim().toLowerCase();
  if (r === GRANTABLE_ROLE) return GRANTABLE_ROLE;
  throw new UsageError(
    r === ''
      ? 'Say which role: analytics-viewer (`grant EMAIL analytics-viewer`).'
      : `"${role}" cannot be granted: wsa grants only analytics-viewer. The owner and admin roles come from the workspace directory.`,
  );
}

/** Group names → their ids and names as the directory spells them (an unknown one refused). */
async function resolveGroups(db: DbOrTx, names: readonly string[]): Promise<{ ids: string[]; names: string[] }> {
  const ids: string[] = [];
  const spelled: string[] = [];
  for (const name of names) {
    const g = await resolveGroup(db, name);
    ids.push(...g.ids);
    if (!spelled.includes(g.name)) spelled.push(g.name);
  }
  return { ids, names: spelled };
}

export interface GrantChange {
  readonly email: string;
  readonly role: 'analytics-viewer';
  /** The groups' names as the directory spells them; null = the whole workspace. */
  readonly groups: readonly string[] | null;
  /** Grants added or ended. */
  readonly count: number;
  /** Whether the email has an account in the newest directory snapshot. */
  readonly inDirectory: boolean;
  /** A sentence for the person who asked. */
  readonly message: string;
}

function scopeWords(groups: readonly string[] | null): string {
  return groups === null ? 'the whole workspace' : groups.join(', ');
}

export async function grantRole(
  db: DbOrTx,
  request: { email: string; role: string; groups: readonly string[]; by: string; at: Date },
): Promise<GrantChange> {
  const role = checkRole(request.role);
  const resolved = request.groups.length > 0 ? await resolveGroups(db, request.groups) : null;
  const count = await addGrants(db, {
    email: request.email,
    groupIds: resolved?.ids ?? null,
    source: 'manual',
    grantedBy: request.by,
    at: request.at,
  });
  const lookup = await findAccountsByEmail(db, request.email);
  const inDirectory = lookup.accounts.length > 0;
  const groups = resolved?.names ?? null;
  const message = [
    count > 0
      ? `${request.email} is now an analytics viewer for ${scopeWords(groups)}.`
      : `${request.email} already was an analytics viewer for ${scopeWords(groups)}.`,
    ...(inDirectory
      ? lookup.accounts.some((a) => a.userStatus === 'enabled')
        ? []
        : ['Their account in the workspace directory is not enabled (pending or deleted): the grant counts once it is.']
      : ['They are not in the workspace directory: the grant counts once an import lists them with an enabled account.']),
  ].join(' ');
  return { email: request.email, role, groups, count, inDirectory, message };
}

/** Ends grants of the role: for these groups, or every one when no group is named. */
export async function revokeRole(
  db: DbOrTx,
  request: { email: string; role: string; groups: readonly string[] },
): Promise<GrantChange> {
  const role = checkRole(request.role);
  const resolved = request.groups.length > 0 ? await resolveGroups(db, request.groups) : null;
  const count = await revokeGrants(db, request.email, resolved?.ids ?? null);
  const lookup = await findAccountsByEmail(db, request.email);
  const groups = resolved?.names ?? null;
  const message =
    count === 0
      ? `${request.email} had no analytics-viewer grant${groups ? ` for ${scopeWords(groups)}` : ''}; nothing changed.`
      : groups === null
        ? `${request.email} is no longer an analytics viewer (${count} grant${count === 1 ? '' : 's'} ended).`
        : `${request.email} is no longer an analytics viewer for ${scopeWords(groups)}.`;
  return { email: request.email, role, groups, count, inDirectory: lookup.accounts.length > 0, message };
}
