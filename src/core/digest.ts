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
}
