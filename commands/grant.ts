/** `/wsa grant @user analytics-viewer [team:NAME]`: owners and admins make someone an analytics viewer. */
import type { Command } from '../src/core/registry.ts';
import { reply } from '../src/core/reply.ts';
import { grantRole, personEmail } from '../src/core/access/grants.ts';
import { GRANT_ARGS, grantAuditDetail } from './support/grant-args.ts';

export const command: Command = {
  name: 'grant',
  summary: 'Make someone an analytics viewer, of the whole workspace or of one group (owners and admins)',
  details: [
    'Name the person by @-mention (Slack) or email; `team:NAME` limits the grant to that group.',
    'A group-scoped viewer sees only their groups\' numbers and people. `revoke` ends a grant.',
  ],
  args: GRANT_ARGS,
  examples: ['grant @lead analytics-viewer team:sales', 'grant ana@example.com analytics-viewer'],
  access: 'admin',
  personal: true,
  action: () => 'Granting roles',
  auditDetail: grantAuditDetail,
  async run(ctx, args) {
    const email = personEmail(args.words[0]);
    const change = await grantRole(ctx.db, {
      email,
      role: args.words[1] ?? '',
      groups: args.group ? [args.group] : [],
      by: ctx.identity.kind === 'operator' ? 'operator' : ctx.identity.email,
      at: ctx.now,
    });
    return reply({
      command: 'grant',
      title: 'Access granted',
      summary: [change.message],
      rows: [{ email: change.email, role: change.role, groups: change.groups, added: change.count, in_directory: change.inDirectory }],
    });
  },
};
