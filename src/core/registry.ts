/**
 * What a command of `/wsa` is, and the registry that lists them. The list itself lives above the
 * core (commands/index.ts) and is handed in by the composition root, so the core never names the
 * commands, the metrics or the store behind them. Help, the Slack manifest check and the Teams
 * command list read the registry they are given.
 */
import type { Clock } from './clock.ts';
import type { Logger } from '../log.ts';
import type { DbOrTx } from '../store/schema.ts';
import type { ArgsSchema, CommandArgs } from './grammar.ts';
import type { Reply } from './reply.ts';
import type { Caller, Identity } from './access/identity.ts';
import type { DigestActions } from './digest.ts';
import type { Need, Scope, Where } from './access/policy.ts';
import type { AuditDetail } from './answer.ts';
import type { ExportAudit } from '../store/audit.ts';
import type { Role } from './access/roles.ts';

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
  /** Complete rows may be streamed (AnswerInput.streamRows, Reply.moreRows). */
  readonly streamRows?: boolean;
  /** Where the answer goes (AnswerInput.where). */
  readonly where?: Where;
  /** Who asked, as the adapter knows them (AnswerInput.caller). */
  readonly caller?: Caller;
  /** The conversation asked in (AnswerInput.channelId). */
  readonly channelId?: string;
  /** Platform actions of `digest` (AnswerInput.digests); absent where none are configured. */
  readonly digests?: DigestActions;
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
  /** What a grant or revoke is about, for the audit log (never analytics figures). */
  readonly auditDetail?: (args: CommandArgs) => AuditDetail;
  /** The command as the audit log names it, when its first word is part of it (`digest subscribe`). */
  readonly auditName?: (args: CommandArgs) => string;
  /** What an export gave out, for the audit log: its type, range and row count. */
  readonly auditExport?: (args: CommandArgs, reply: Reply) => ExportAudit | null;
  /** Answered only to the asker: refused with post:channel (the audit log). */
  readonly privateOnly?: boolean;
  /**
   * Its answer is about a person (whoami, grant, revoke): it has no aggregate form, so a channel
   * whose readers may not all see people gets a refusal and the asker the answer privately.
   */
  readonly personal?: boolean;
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

/** The need of a command for these arguments. */
export function needOf(command: Command, args: CommandArgs): Need {
  return typeof command.access === 'function' ? command.access(args) : command.access;
}
