/**
 * The one entry point every adapter calls (CLI, Slack, Teams): command text and a caller in, a
 * Reply out. Parse → resolve the caller → the access check (before any analytics data is read)
 * → run the command. A request that cannot be answered comes back as a Reply whose `error` says
 * why; nothing is thrown for bad input, refusals or gaps in the data.
 */
import type { Clock } from './clock.ts';
import type { Logger } from '../log.ts';
import type { DbOrTx } from '../store/schema.ts';
import type { ExportAudit } from '../store/audit.ts';
import { ForbiddenError, UsageError, isWsaError } from './errors.ts';
import { acceptedKeys, bindArgs, parseRequest, type CommandArgs } from './grammar.ts';
import { closest } from './did-you-mean.ts';
import { utcDate } from './periods.ts';
import { errorReply, type Reply } from './reply.ts';
import { resolveIdentity, noGrants, type Caller, type GrantSource, type Identity } from './access/identity.ts';
import { authorize, type Decision, type Scope, type Where } from './access/policy.ts';
import { decideAudience, type AudienceDecision, type ReaderSource } from './access/audience.ts';
import { needOf, type Command, type CommandContext, type Registry } from './registry.ts';
import { notices, usage } from './wording.ts';
import type { DigestActions } from './digest.ts';

/** What a grant or revoke was about, for the audit log (Command.auditDetail). */
export interface AuditDetail {
  readonly grantee: string | null;
  readonly role: string | null;
  /** Group names as given; null = the whole workspace. */
  readonly groups: readonly string[] | null;
}

/**
 * One request as the audit log records it (docs/design.md §7): never the typed text and never an
 * analytics figure — the registered command's name (else `unknown (N chars)`), the keys given,
 * where it was asked, the policy's decision and, for an allowed request that then failed, why.
 */
export interface AccessEvent {
  readonly at: Date;
  readonly caller: Caller;
  readonly command: string;
  /** The `key:` names given that the command accepts, in order, without their values. */
  readonly keys: readonly string[];
  readonly where: Where;
  readonly channelId: string | null;
  /** The policy's decision; null when the request was not understood (nothing was read). */
  readonly decision: Decision | null;
  /** For an allowed request: null when it was answered, else the error code it ended with. */
  readonly outcome: string | null;
  readonly detail: AuditDetail | null;
  /** For an answer into a channel: which form went there, and why (core/access/audience.ts). */
  readonly audience?: AudienceDecision | null;
  /** For an export: its report type, range and row count (Command.auditExport). */
  readonly exported?: ExportAudit | null;
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
  /** The conversation asked in (a Slack channel id, a Teams conversation id), when known. */
  readonly channelId?: string;
  /** Analytics-viewer grants: callers pass `storeGrants` (src/core/access/grants.ts); none if absent. */
  readonly grants?: GrantSource;
  /**
   * Called once per request with what the audit log records: a denial before anything is read,
   * an allowed request once it is answered, a request not understood with no decision. Callers
   * pass `storeAudit` (src/core/access/audit.ts).
   */
  readonly onDecision?: (event: AccessEvent) => Promise<void> | void;
  /** The commands (commands/index.ts), handed in by the composition root. */
  readonly registry: Registry;
  /**
   * The most table rows the surface shows (a chat message, the text of `wsa ask`). Commands whose
   * complete rows are costly (every sender of `top-users`) then read only these and say how many
   * there are in all. Absent: complete rows, as the JSON of docs/design.md §6 gives them.
   */
  readonly rowLimit?: number;
  /**
   * Without a row limit: commands with costly complete rows (every sender of `top-users`) may
   * return the first in `rows` and the rest in `Reply.moreRows`, read while the caller writes
   * them (`writeReplyJson`). The store must stay open until then.
   */
  readonly streamRows?: boolean;
  /** What `digest` needs from the platforms (src/delivery/digest-runs.ts), when they are configured. */
  readonly digests?: DigestActions;
  /**
   * For `where: 'channel'`: the channel's readers, from the adapter. Without it the channel gets
   * the aggregate form (nobody vouched for its readers).
   */
  readonly readers?: ReaderSource;
  /** How long the audience may take to decide (AUDIENCE_DEADLINE_MS by default). */
  readonly audienceDeadlineMs?: number;
}

/** What goes into a channel: the full answer, or the aggregate form the core ran for its readers. */
export interface ChannelForm {
  readonly reply: Reply;
  readonly form: 'full' | 'aggregate';
  /** Why this form, in words (no email, no name). */
  readonly reason: string;
}

/** An answer and, for a channel, the form its readers get. */
export interface Answered {
  /** The full answer: what the asker may see. */
  readonly reply: Reply;
  /** For `where: 'channel'` and an answer that is not an error; else null. */
  readonly channel: ChannelForm | null;
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

/** The command as the audit log names it: a registered name, else `unknown (N chars)`. */
export function auditableCommand(name: string, registry: Registry): string {
  return registry.find(name)?.name === name ? name : `unknown (${name.length} chars)`;
}

/** The full answer (for `where: 'channel'`, answerFor gives the channel's form too). */
export async function answer(input: AnswerInput): Promise<Reply> {
  return (await answerFor(input)).reply;
}

const NO_READERS: AudienceDecision = { form: 'aggregate', reason: "the channel's readers are not known", readers: null, limited: null };

/**
 * The channel's form of an answer: as it is for readers who may all see people, else the command
 * run again with `aggregateOnly` (no names, no emails, no person rows, no group under the minimum
 * size). A command whose answer is about a person (`personal`) has no aggregate form.
 */
async function channelForm(command: Command, ctx: CommandContext, args: CommandArgs, full: Reply, audience: AudienceDecision): Promise<ChannelForm> {
  if (audience.form === 'full') return { reply: full, form: 'full', reason: audience.reason };
  const aggregate: Scope = { ...ctx.scope, aggregateOnly: true };
  let reply: Reply;
  try {
    reply = command.personal
      ? errorReply(command.name, new UsageError(notices.personalNotInChannel(command.name)))
      : await command.run({ ...ctx, scope: aggregate }, args);
  } catch (error) {
    if (!isWsaError(error) || !error.userFacing) throw error;
    reply = errorReply(command.name, error);
  }
  return { reply: { ...reply, files: [] }, form: 'aggregate', reason: audience.reason };
}

export async function answerFor(input: AnswerInput): Promise<Answered> {
  const started = performance.now();
  const { registry } = input;
  const now = input.clock.now();
  const today = utcDate(now);
  let commandName = 'help';
  let stepStarted = started;
  let keys: string[] = [];
  let decision: Decision | null = null;
  let detail: AuditDetail | null = null;
  let exported: ExportAudit | null = null;
  let recorded = false;
  let audience: AudienceDecision | null = null;
  /** The command as the audit log names it, once its arguments are known (`digest subscribe`). */
  let auditName: string | null = null;
  const record = async (outcome: string | null) => {
    if (recorded || !input.onDecision) return;
    recorded = true;
    await input.onDecision({
      at: now,
      caller: input.caller,
      command: auditName ?? auditableCommand(commandName, registry),
      keys,
      where: input.where ?? 'cli',
      channelId: input.channelId ?? null,
      decision,
      outcome,
      detail,
      audience,
      ...(exported ? { exported } : {}),
    });
  };
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
    commandName = command.name;
    const accepted = acceptedKeys(command.args);
    keys = parsed.args.flatMap((a) => (a.key !== null && accepted.includes(a.key) ? [a.key] : []));
    const args: CommandArgs = bindArgs(command.name, command.args, parsed.args, today, registry.keys);
    detail = command.auditDetail?.(args) ?? null;
    auditName = command.auditName?.(args) ?? null;
    step('parse');

    const identity: Identity = await resolveIdentity(input.db, input.caller, input.grants ?? noGrants);
    step('identity');
    const need = needOf(command, args);
    decision = authorize(identity, {
      command: command.name,
      need,
      group: args.group,
      where: input.where ?? 'cli',
      ...(command.action ? { action: command.action(args) } : {}),
    });
    if (!decision.allow) {
      await record(null);
      throw new ForbiddenError(decision.reason);
    }
    if (command.privateOnly && input.where === 'channel') {
      throw new UsageError(`\`${command.name}\` is answered only privately: ask without post:channel.`);
    }
    step('access');

    const ctx: CommandContext = {
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
      ...(input.streamRows ? { streamRows: true } : {}),
      where: input.where ?? 'cli',
      caller: input.caller,
      ...(input.channelId ? { channelId: input.channelId } : {}),
      ...(input.digests ? { digests: input.digests } : {}),
    };
    // Into a channel: who reads it is looked up while the full answer is computed.
    const audienceLookup =
      input.where === 'channel'
        ? input.readers
          ? decideAudience(input.db, input.readers, {
              ...(input.audienceDeadlineMs !== undefined ? { deadlineMs: input.audienceDeadlineMs } : {}),
              onError: (error) => input.logger.warn({ err: error }, 'audience.failed'),
            })
          : Promise.resolve(NO_READERS)
        : null;
    const reply = await command.run(ctx, args);
    step('run');
    let channel: ChannelForm | null = null;
    if (audienceLookup && !reply.error) {
      audience = await audienceLookup;
      channel = await channelForm(command, ctx, args, reply, audience);
      step('audience');
    }
    exported = command.auditExport?.(args, reply) ?? null;
    await record(reply.error?.code ?? null);
    input.logger.info(
      { command: command.name, role: decision.role, ms: Math.round(performance.now() - started), ...(channel ? { form: channel.form } : {}) },
      'command.completed',
    );
    return { reply, channel };
  } catch (error) {
    // The Reply names the command only when it is a registered one: adapters log `reply.command`.
    const named = loggableCommand(commandName, registry).command;
    try {
      await record(isWsaError(error) ? error.code : 'internal');
    } catch (auditError) {
      input.logger.error({ err: auditError, ...loggableCommand(commandName, registry) }, 'audit.failed');
      return { reply: errorReply(named, { code: 'internal', message: notices.internal() }), channel: null };
    }
    if (isWsaError(error) && error.userFacing) {
      input.logger.info(
        { ...loggableCommand(commandName, registry), code: error.code, ms: Math.round(performance.now() - started) },
        'command.refused',
      );
      return { reply: errorReply(named, error), channel: null };
    }
    input.logger.error({ err: error, ...loggableCommand(commandName, registry) }, 'command.failed');
    return { reply: errorReply(named, { code: 'internal', message: notices.internal() }), channel: null };
  }
}
