/** `/wsa whoami`: the asker's email, role and grants, as wsa sees them. */
import { formatDay } from '../src/core/periods.ts';
import type { Command } from '../src/core/registry.ts';
import { reply } from '../src/core/reply.ts';
import { effectiveRole } from '../src/core/access/policy.ts';
import { atLeast } from '../src/core/access/roles.ts';
import { roleWord } from '../src/core/wording.ts';

export const command: Command = {
  name: 'whoami',
  summary: 'Your email, your role and what it lets you see',
  args: {},
  examples: ['whoami'],
  access: 'everyone',
  personal: true,
  async run(ctx) {
    const id = ctx.identity;
    if (id.kind === 'operator') {
      return reply({
        command: 'whoami',
        title: 'Who you are',
        summary: ['You are the operator: the command line without --as, with full access to every command.'],
        rows: [{ email: null, role: 'operator', directory_role: null, directory: null, directory_as_of: null, grants: [] }],
      });
    }
    const role = effectiveRole(id);
    const asOf = id.directoryAsOf ? ` as of ${formatDay(id.directoryAsOf)}` : '';
    const userRoles = [...new Set(id.accounts.filter((a) => a.userStatus === 'enabled').map((a) => a.userRole ?? 'no role'))];
    const standing = {
      found: `The workspace directory${asOf} lists you as ${userRoles.join(', ')}${id.accounts.length > 1 ? ` (${id.accounts.length} accounts; the highest role counts)` : ''}.`,
      'not-enabled': `The workspace directory${asOf} has no enabled account for you (pending or deleted only).`,
      unknown: `You are not in the workspace directory${asOf}, so you are treated as a member.`,
      'no-directory': 'No workspace directory has been imported yet, so your role cannot be checked.',
    }[id.standing];
    const scoped = id.grants.length > 0 && !id.grants.some((g) => g.groups === null);
    const groups = [...new Set(id.grants.flatMap((g) => g.groups ?? []))];
    const can = atLeast(role, 'admin')
      ? 'You can see workspace analytics, change settings, grant and revoke the analytics-viewer role, and read the audit log.'
      : atLeast(role, 'analytics-viewer')
        ? scoped
          ? `You can see the analytics of ${groups.join(', ')} only: answers without team: cover ${groups.length === 1 ? 'that group' : 'those groups'}, and no one outside ${groups.length === 1 ? 'it' : 'them'} is listed.`
          : 'You can see workspace analytics.'
        : 'You can use help and whoami; workspace analytics need the owner, admin or analytics-viewer role, which an owner or admin can grant.';
    const grants = id.grants.map((g) => ({ role: g.role, groups: g.groups }));
    const unused = id.grants.length > 0 && id.standing !== 'found' ? ' They count once the directory lists you with an enabled account.' : '';
    const grantLine =
      grants.length === 0
        ? 'Grants: none.'
        : `Grants: ${grants.map((g) => `${roleWord(g.role)}${g.groups ? ` for ${g.groups.join(', ')}` : ' for the whole workspace'}`).join('; ')}.${unused}`;
    return reply({
      command: 'whoami',
      title: 'Who you are',
      summary: [`${id.email} · ${roleWord(role)}`, standing, `Directory role: ${roleWord(id.directoryRole)}.`, grantLine, can],
      rows: [
        {
          email: id.email,
          role,
          directory_role: id.directoryRole,
          directory: id.standing,
          directory_as_of: id.directoryAsOf,
          grants,
        },
      ],
    });
  },
};
