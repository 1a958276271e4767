/**
 * The commands of `/wsa` (docs/design.md §6), one module each in commands/. Help text is derived from
 * this list; so will be the Slack manifest's and Teams' command lists.
 */
import type { Clock } from './clock.ts';
import type { Logger } from '../log.ts';
import type { DbOrTx } from '../store/schema.ts';
import type { ArgsSchema, CommandArgs } from './grammar.ts';
import type { Reply } from './reply.ts';
import type { Identity } from './access/identity.ts';
import type { Need, Scope } from './access/policy.ts';
import type { Role } from './access/roles.ts';

import { command as help } from '../../commands/help.ts';
import { command as overview } from '../../commands/overview.ts';
import { command as activeUsers } from '../../commands/active-users.ts';
import { command as messages } from '../../commands/messages.ts';
import { command as groups } from '../../commands/groups.ts';
import { command as benchmarks } from '../../commands/benchmarks.ts';
import { command as impact } from '../../commands/impact.ts';
import { command as tasks } from '../../commands/tasks.ts';
import { command as heatmap } from '../../commands/heatmap.ts';
import { command as users } from '../../commands/users.ts';
import { command as topUsers } from '../../commands/top-users.ts';
import { command as powerUsers } from '../../commands/power-users.ts';
import { command as gpts } from '../../commands/gpts.ts';
import { command as projects } from '../../commands/projects.ts';
import { command as skills } from '../../commands/skills.ts';
import { command as settings } from '../../commands/settings.ts';
import { command as whoami } from '../../commands/whoami.ts';
import { command as freshness } from '../../commands/freshness.ts';

/** What a command's `run` receives: everything injected, nothing read from the environment. */
export interface CommandContext {
  readonly db: DbOrTx;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The instant of the request and its UTC day. */
  readonly now: Date;
  readonly today: string;
  readonly identity: Identity;
  /** The role the policy granted ('operator' for the command line without --as). */
  readonly role: Role | 'operator';
  readonly scope: Scope;
  readonly registry: Registry;
  /** The most table rows the surface shows (AnswerInput.rowLimit); absent: complete rows. */
  readonly rowLimit?: number;
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Further lines for `help <command>`. */
  readonly details?: readonly string[];
  readonly args: ArgsSchema;
  readonly examples: readonly string[];
  /** The role it needs; a function when it depends on the arguments (settings: view or change). */
  readonly access: Need | ((args: CommandArgs) => Need);
  /** For an admin-only use, what it is in words, for the refusal ("Changing settings"). */
  readonly action?: (args: CommandArgs) => string;
  run(ctx: CommandContext, args: CommandArgs): Promise<Reply>;
}

export interface Registry {
  readonly commands: readonly Command[];
  find(name: string): Command | undefined;
  /** Every `key:` some command accepts. */
  readonly keys: readonly string[];
}

export function createRegistry(commands: readonly Command[]): Registry {
  const byName = new Map(commands.map((c) => [c.name, c]));
  const keys = new Set<string>();
  for (const c of commands) {
    if (c.args.period) ['period', 'from', 'to'].forEach((k) => keys.add(k));
    if (c.args.grain) keys.add('by');
    if (c.args.group) ['team', 'group'].forEach((k) => keys.add(k));
    Object.keys(c.args.keys ?? {}).forEach((k) => keys.add(k));
  }
  return { commands, find: (name) => byName.get(name), keys: [...keys] };
}

/** The commands of docs/design.md §6 that are built, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  help,
  overview,
  activeUsers,
  messages,
  groups,
  users,
  benchmarks,
  impact,
  tasks,
  heatmap,
  topUsers,
  powerUsers,
  gpts,
  projects,
  skills,
  freshness,
  settings,
  whoami,
];

export const registry: Registry = createRegistry(COMMANDS);

/** The need of a command for these arguments. */
export function needOf(command: Command, args: CommandArgs): Need {
  return typeof command.access === 'function' ? command.access(args) : command.access;
}
