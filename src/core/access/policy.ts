/**
 * The access policy (docs/design.md §7): one pure function from (identity, what is asked) to a decision.
 * It runs in the core before any analytics data is read. Grants and group scopes are already
 * part of it. The policy never sets `aggregateOnly`: who reads a channel is decided after it, by
 * audience.ts, and `answerFor()` then runs the command with it.
 */
import { denial } from '../wording.ts';
import type { Identity } from './identity.ts';
import { atLeast, type Role } from './roles.ts';

/** What a command needs: anyone, a viewer of analytics, or an owner/admin. */
export type Need = 'everyone' | 'viewer' | 'admin';

/** Where the answer goes (docs/design.md §7 audience); the CLI answers the operator or `--as` directly. */
export type Where = 'direct' | 'channel' | 'cli';

export interface AccessRequest {
  readonly command: string;
  readonly need: Need;
  /** The group filter asked for (`team:`), as typed. */
  readonly group: string | null;
  readonly where: Where;
  /** For an admin-only action, what it is in words ("Changing settings"). */
  readonly action?: string;
}

/** What an allowed caller may see. */
export interface Scope {
  /** Group names a scoped viewer is limited to; null = every group. */
  readonly groups: readonly string[] | null;
  /** Only aggregates (no names, no emails, small groups hidden): a channel's form (audience.ts). */
  readonly aggregateOnly: boolean;
}

export type Decision =
  | { readonly allow: true; readonly role: Role | 'operator'; readonly scope: Scope }
  | { readonly allow: false; readonly role: Role; readonly reason: string };

const EVERYTHING: Scope = { groups: null, aggregateOnly: false };

/** The role the policy judges by: the directory role, raised by a grant for an enabled account. */
export function effectiveRole(identity: Extract<Identity, { kind: 'person' }>): Role {
  const role = identity.directoryRole;
  if (identity.standing === 'found' && identity.grants.length > 0 && !atLeast(role, 'admin')) {
    return 'analytics-viewer';
  }
  return role;
}

/** Who can give the role a refusal names. */
const GRANTS_VIEWER = 'Owners and admins grant the analytics-viewer role (`grant`).';
const ADMIN_FROM_DIRECTORY = 'The owner and admin roles come from the workspace directory.';

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function authorize(identity: Identity, request: AccessRequest): Decision {
  if (identity.kind === 'operator') return { allow: true, role: 'operator', scope: EVERYTHING };
  const role = effectiveRole(identity);
  if (request.need === 'everyone') return { allow: true, role, scope: EVERYTHING };

  const deny = (reason: string): Decision => ({ allow: false, role, reason });
  if (!atLeast(role, 'analytics-viewer')) {
    switch (identity.standing) {
      case 'no-directory':
        return deny(denial.noDirectory());
      case 'unknown':
        return deny(denial.notInDirectory(identity.email));
      case 'not-enabled':
        return deny(denial.notEnabled(identity.email));
      case 'found':
        return deny(
          request.need === 'admin'
            ? `${denial.needsAdmin(request.action ?? `\`${request.command}\``, role)} ${ADMIN_FROM_DIRECTORY}`
            : `${denial.needsViewer(request.command, role)} ${GRANTS_VIEWER}`,
        );
    }
  }
  if (request.need === 'admin' && !atLeast(role, 'admin')) {
    return deny(`${denial.needsAdmin(request.action ?? `\`${request.command}\``, role)} ${ADMIN_FROM_DIRECTORY}`);
  }
  if (atLeast(role, 'admin')) return { allow: true, role, scope: EVERYTHING };

  // An analytics viewer: the union of their grants' scopes.
  if (identity.grants.some((g) => g.groups === null)) return { allow: true, role, scope: EVERYTHING };
  const groups = [...new Set(identity.grants.flatMap((g) => g.groups ?? []))];
  if (request.group !== null && !groups.some((g) => sameName(g, request.group as string))) {
    return deny(denial.outOfScope(request.group, groups));
  }
  return { allow: true, role, scope: { groups, aggregateOnly: false } };
}
