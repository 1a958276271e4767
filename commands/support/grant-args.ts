/** What `grant` and `revoke` share: their arguments (a person, a role, a group) and audit detail. */
import type { CommandArgs } from '../../src/core/grammar.ts';
import { readPerson } from '../../src/core/grammar.ts';
import type { Command } from '../../src/core/registry.ts';

export const GRANT_ARGS: Command['args'] = {
  word: { name: 'person and role', describe: 'the person (@-mention or email), then analytics-viewer', count: 2 },
  group: true,
};

/** The grantee, the role and the group of a grant or revoke, for the audit log. */
export function grantAuditDetail(args: CommandArgs) {
  const person = args.words[0] ? readPerson(args.words[0]) : null;
  return {
    grantee: person?.kind === 'email' ? person.email.toLowerCase() : null,
    role: args.words[1]?.toLowerCase() ?? null,
    groups: args.group ? [args.group] : null,
  };
}
