import { parseArgs } from 'node:util';
import { grantRole, personEmail, revokeRole, type GrantChange } from '../../core/access/grants.ts';
import { appendAudit } from '../../store/audit.ts';
import { CommandLineError, EXIT_OK, type CliCommand, type CliContext } from '../context.ts';

/** `wsa grant|revoke EMAIL ROLE [--team NAME]…` read into its parts (exit 2 when malformed). */
export function readGrantArgs(name: string, args: string[]): { email: string; role: string; teams: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { team: { type: 'string', multiple: true } } });
  } catch (error) {
    throw new CommandLineError((error as Error).message);
  }
  const [who, role, ...rest] = parsed.positionals;
  if (!who || !role) throw new CommandLineError(`${name} needs an email and a role`);
  if (rest.length > 0) throw new CommandLineError(`unexpected "${rest.join(' ')}"`);
  let email: string;
  try {
    email = personEmail(who);
  } catch (error) {
    throw new CommandLineError((error as Error).message);
  }
  return { email, role, teams: parsed.values.team ?? [] };
}

/** The operator's grant or revoke, written to the audit log whether it was made or refused. */
export async function operatorChange(
  ctx: CliContext,
  name: 'grant' | 'revoke',
  args: string[],
): Promise<number> {
  const { email, role, teams } = readGrantArgs(name, args);
  const store = await ctx.openStore();
  try {
    const at = ctx.clock.now();
    let change: GrantChange | undefined;
    let failure: unknown;
    try {
      change =
        name === 'grant'
          ? await grantRole(store.db, { email, role, groups: teams, by: 'operator', at })
          : await revokeRole(store.db, { email, role, groups: teams });
    } catch (error) {
      failure = error;
    }
    await appendAudit(store.db, {
      at,
      actor: 'operator',
      platform: 'cli',
      command: name,
      keys: teams.length > 0 ? ['team'] : [],
      where: 'cli',
      decision: 'allowed',
      reason: failure ? `allowed, then failed (${(failure as { code?: string }).code ?? 'error'})` : `${name === 'grant' ? 'granted' : 'revoked'} (${change?.count ?? 0})`,
      grantee: email.toLowerCase(),
      role: role.toLowerCase(),
      groups: change ? change.groups : teams.length > 0 ? teams : null,
    });
    if (failure) throw failure;
    ctx.stdout.write(`${(change as GrantChange).message}\n`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}

export const command: CliCommand = {
  name: 'grant',
  usage: 'wsa grant EMAIL analytics-viewer [--team NAME]…',
  run: (args, ctx) => operatorChange(ctx, 'grant', args),
};
