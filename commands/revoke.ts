/** `/wsa revoke @user analytics-viewer [team:NAME]`: owners and admins end analytics-viewer grants. */
import type { Command } from '../src/core/registry.ts';
import { reply } from '../src/core/reply.ts';
import { personEmail, revokeRole } from '../src/core/access/grants.ts';
import { GRANT_ARGS, grantAuditDetail } from './support/grant-args.ts';

export const command: Command = {
  name: 'revoke',
  summary: 'End someone\'s analytics-viewer grants (owners and admins)',
  details: ['Without `team:` every analytics-viewer grant of that person ends; with it, only that group\'s.'],
  args: GRANT_ARGS,
  examples: ['revoke @lead analytics-viewer', 'revoke ana@example.com analytics-viewer team:sales'],
  access: 'admin',
  personal: true,
  action: () => 'Revoking roles',
  auditDetail: grantAuditDetail,
  async run(ctx, args) {
    const email = personEmail(args.words[0]);
    const change = await revokeRole(ctx.db, { email, role: args.words[1] ?? '', groups: args.group ? [args.group] : [] });
    return reply({
      command: 'revoke',
      title: 'Access revoked',
      summary: [change.message],
      rows: [{ email: change.email, role: change.role, groups: change.groups, ended: change.count }],
    });
  },
};
