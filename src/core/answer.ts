/**
 * The one entry point every adapter calls (CLI, Slack, Teams): command text and a caller in, a
 * Reply out. Parse → resolve the caller → the access check (before any analytics data is read)
 * → run the command. A request that cannot be answered comes back as a Reply whose `error` says
 * why; nothing is thrown for bad input, refusals or gaps in the data.
 */
import type { Clock } from './clock.ts';
import type { Logger } from '../log.ts';
import type { DbOrTx } from '../store/schema.ts';
import { ForbiddenError, UsageError, isWsaError } from './errors.ts';
import { bindArgs, closest, parseRequest, type CommandArgs } from './grammar.ts';
import { utcDate } from './periods.ts';
import { errorReply, type Reply } from './reply.ts';
import { needOf, type Registry } from './registry.ts';
import { resolveIdentity, noGrants, type Caller, type GrantSource, type Identity } from './access/identity.ts';
import { authorize, type Decision, type Where } from './access/policy.ts';
import { notices, usage } from './wording.ts';

/** A decision worth recording (docs/design.md §7: denials and exports go to the audit log, which is coming). */
export interface AccessEvent {
  readonly at: Date;
  readonly caller: Caller;
  readonly command: string;
  readonly text: string;
  readonly decision: Decision;
}

export interface AnswerInput {
  readonly db: DbOrTx;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly caller: Caller;
  /** What was typed: `overview team:sales`, `/wsa overview`, or empty for help. */
  readonly text: string;
  /** Where the answer goes; `cli` by default. */
  readonly where?: Where;
  /** Analytics-viewer grants (storing them is coming). */
  readonly grants?: GrantSource;
  /** Called with every access decision (the audit log, which is coming). */
  readonly onDecision?: (event: AccessEvent) => Promise<void> | void;
  /** The commands (commands/index.ts), handed in by the composition root. */
  readonly registry: Registry;
  /**
   * The most table rows the surface shows (a chat message, the text of `wsa ask`). Commands whose
   * complete rows are costly (every sender of `top-users`) then read only these and say how many
   * there are in all. Absent: complete rows, as the JSON of docs/design.md §6 gives them.
   */
  readonly rowLimit?: number;
}

const COMMAND_ALIASES: Readonly<Record<string, string>> = {
  seats: 'users',
  adoption: 'overview',
  usage: 'overview',
  wau: 'active-users',
  dau: 'active-users',
  champions: 'power-users',
  survey: 'impact',
  'data-freshness': 'freshness',
};

function unknownCommand(name: string, registry: Registry): UsageError {
  const names = registry.commands.map((c) => c.name);
  const suggestions = closest(name, names);
  const alias = COMMAND_ALIASES[name];
  if (alias && !suggestions.includes(alias)) suggestions.unshift(alias);
  return new UsageError(usage.unknownCommand(name, suggestions.slice(0, 3)));
}

/** What logs say instead of a command name nobody registered (it may be anything typed). */
export const UNKNOWN_COMMAND_LOG = '(unknown)';

/**
 * A command name as logs may carry it: a registered command's name, else a fixed marker and the
 * length of what was typed — never the typed word, which may be an email, a sentence or a group.
 */
export function loggableCommand(name: string, registry: Registry): { command: string; typedLength?: number } {
  return registry.find(name)?.name === name ? { command: name } : { command: UNKNOWN_COMMAND_LOG, typedLength: name.length };
}

export async function answer(input: AnswerInput): Promise<Reply> {
  const started = performance.now();
  const { registry } = input;
  const now = input.clock.now();
  const today = utcDate(now);
  let commandName = 'help';
  let stepStarted = started;
  /** Debug timing of each step of the answer (LOG_LEVEL=debug). */
  const step = (name: string) => {
    const at = performance.now();
    if (input.logger.isLevelEnabled('debug')) {
      input.logger.debug(
        { ...loggableCommand(commandName, registry), step: name, ms: Math.round((at - stepStarted) * 10) / 10 },
        'command.step',
      );
    }
    stepStarted = at;
  };
  try {
    // Where the answer goes is the adapter's to act on (it passes `where`); a bad `post:` is refused.
    const parsed = parseRequest(input.text.trim());
    commandName = parsed.command ?? 'help';
    if (parsed.problem) throw parsed.problem;
    const command = registry.find(commandName);
    if (!command) throw unknownCommand(commandName, registry);
    const args: CommandArgs = bindArgs(command.name, command.args, parsed.args, today, registry.keys);
    step('parse');

    const identity: Identity = await resolveIdentity(input.db, input.caller, input.grants ?? noGrants);
    step('identity');
    const need = needOf(command, args);
    const decision: Decision = authorize(identity, {
      command: command.name,
      need,
      group: args.group,
      where: input.where ?? 'cli',
      ...(command.action ? { action: command.action(args) } : {}),
    });
    await input.onDecision?.({ at: now, caller: input.caller, command: command.name, text: input.text, decision });
    step('access');
    if (!decision.allow) throw new ForbiddenError(decision.reason);

    const reply = await command.run(
      {
        db: input.db,
        clock: input.clock,
        logger: input.logger,
        now,
        today,
        identity,
        role: decision.role,
        scope: decision.scope,
        registry,
        rowLimit: input.rowLimit,
      },
      args,
    );
    step('run');
    input.logger.info(
      { command: command.name, role: decision.role, ms: Math.round(performance.now() - started) },
      'command.completed',
    );
    return reply;
  } catch (error) {
    // The Reply names the command only when it is a registered one: adapters log `reply.command`.
    const named = loggableCommand(commandName, registry).command;
    if (isWsaError(error) && error.userFacing) {
      input.logger.info(
        { ...loggableCommand(commandName, registry), code: error.code, ms: Math.round(performance.now() - started) },
        'command.refused',
      );
      return errorReply(named, error);
    }
    input.logger.error({ err: error, ...loggableCommand(commandName, registry) }, 'command.failed');
    return errorReply(named, { code: 'internal', message: notices.internal() });
  }
}
