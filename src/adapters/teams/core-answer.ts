/**
 * The adapter's answer function bound to the core's `answer()`: the Teams caller becomes a person
 * known by email (no email: a person the directory does not know, so a member), an answer posted
 * for everyone in a conversation an answer for a channel, and the card's table size the row limit.
 */
import { answer } from '../../core/answer.ts';
import type { Clock } from '../../core/clock.ts';
import type { Registry } from '../../core/registry.ts';
import type { Logger } from '../../log.ts';
import type { DbOrTx } from '../../store/schema.ts';
import type { TeamsAnswerFn } from './index.ts';
import { MAX_CARD_TABLE_ROWS } from './limits.ts';

export function coreAnswer(deps: { db: DbOrTx; clock: Clock; logger: Logger; registry: Registry }): TeamsAnswerFn {
  return (caller, text, where) =>
    answer({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      registry: deps.registry,
      caller: { kind: 'person', email: caller.email ?? '' },
      text,
      where: where.toChannel ? 'channel' : 'direct',
      rowLimit: MAX_CARD_TABLE_ROWS,
    });
}
