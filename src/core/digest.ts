/**
 * What a digest kind is: a name, a line for lists, and a pure build from the store, a period, an
 * optional group filter and the audience to a Reply. The list of kinds lives above the core
 * (digests/index.ts); scheduling and delivery are apart from building, so a digest can be
 * previewed and tested without a clock.
 */
import type { Clock } from './clock.ts';
import type { Logger } from '../log.ts';
import type { DbOrTx } from '../store/schema.ts';
import type { DateRange } from './periods.ts';
import type { Reply } from './reply.ts';

/** Who will read the digest: a private reader sees people; a channel may get the aggregate form. */
export type DigestAudience = 'private' | 'channel';

export interface DigestInput {
  readonly db: DbOrTx;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The week or month the digest covers. */
  readonly period: DateRange;
  /** A group id the digest is limited to, or none for the whole workspace. */
  readonly group?: string;
  readonly audience: DigestAudience;
}

export interface DigestKind {
  readonly name: string;
  /** One line for `digest list` and help. */
  readonly summary: string;
  build(input: DigestInput): Promise<Reply>;
  /**
   * Whom a channel's digest would name if they agreed and who has never been asked (the
   * power-user shout-out): the delivery asks each of them once.
   */
  wouldName?(input: DigestInput): Promise<ReadonlyArray<{ name: string; email: string }>>;
}

/** Where a digest is posted: a Slack channel or a Teams conversation. */
export interface DigestTarget {
  readonly platform: 'slack' | 'teams';
  /** A Slack channel id or a Teams conversation id. */
  readonly conversationId: string;
}

/**
 * What the `digest` chat command needs from the platforms, handed in by the composition root
 * (src/delivery/digest-runs.ts implements it): commands never call a platform themselves.
 */
export interface DigestActions {
  /** Throws a user-facing error when the bot cannot post into the target. */
  canPost(target: DigestTarget): Promise<void>;
  /** Posts a subscription's newest covered period now, beside its schedule. */
  sendNow(subscriptionId: string): Promise<{ period: DateRange; state: 'posted' | 'failed' | 'gone' }>;
}
