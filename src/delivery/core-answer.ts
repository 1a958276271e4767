/**
 * The core's `answer()` as a chat adapter calls it: the person who asked, known by the email their
 * platform vouches for; whether the answer goes into a conversation (`post:channel`) or to them
 * alone (and then who reads the conversation); and the most table rows the platform's message shows, so that commands read no more.
 */
import { answerFor, type Answered } from '../core/answer.ts';
import type { ReaderSource } from '../core/access/audience.ts';
import { storeAudit } from '../core/access/audit.ts';
import { storeGrants } from '../core/access/grants.ts';
import type { Clock } from '../core/clock.ts';
import type { Registry } from '../core/registry.ts';
import type { Logger } from '../log.ts';
import type { DbOrTx } from '../store/schema.ts';

export interface ChatAnswerDeps {
  db: DbOrTx;
  clock: Clock;
  logger: Logger;
  registry: Registry;
  /** Table rows one message shows (Slack: MAX_DISPLAY_ROWS). */
  rowLimit: number;
}

/** Who asked in chat: the email their platform vouches for, and (for the audit log) the platform's ids. */
export interface ChatCaller {
  readonly email: string;
  readonly platform?: 'slack' | 'teams';
  readonly userId?: string;
}

/** Where a chat answer goes: to the asker, or into the conversation whose readers the adapter knows. */
export interface ChatWhere {
  readonly toChannel: boolean;
  readonly channelId?: string;
  /** With `toChannel`: the conversation's readers (bots and deactivated accounts left out). */
  readonly readers?: ReaderSource;
}

/**
 * A chat request for the core: who asked (by email), the command text, and where it goes. The
 * answer carries the full Reply and, into a channel, the form the core chose for its readers.
 */
export type ChatAnswerFn = (caller: ChatCaller, text: string, where: ChatWhere) => Promise<Answered>;

export function chatAnswer(deps: ChatAnswerDeps): ChatAnswerFn {
  return (caller, text, where) =>
    answerFor({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      registry: deps.registry,
      caller: {
        kind: 'person',
        email: caller.email,
        ...(caller.platform ? { platform: caller.platform } : {}),
        ...(caller.userId ? { platformUserId: caller.userId } : {}),
      },
      text,
      where: where.toChannel ? 'channel' : 'direct',
      ...(where.channelId ? { channelId: where.channelId } : {}),
      ...(where.toChannel && where.readers ? { readers: where.readers } : {}),
      grants: storeGrants,
      onDecision: storeAudit(deps.db),
      rowLimit: deps.rowLimit,
    });
}
