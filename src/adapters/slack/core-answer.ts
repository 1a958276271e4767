/**
 * The adapter's AnswerFn bound to the core's `answer()`: the Slack caller becomes a person known
 * by email, `post:channel` an answer for a channel, and the message's table size the row limit
 * (a message shows MAX_DISPLAY_ROWS rows, so commands read no more than those). The composition
 * root (src/app.ts) and the benchmark's Slack figures use this one binding.
 */
import { answer } from '../../core/answer.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../log.ts';
import type { DbOrTx } from '../../store/schema.ts';
import type { Registry } from '../../core/registry.ts';
import type { AnswerFn } from './index.ts';
import { MAX_DISPLAY_ROWS } from './limits.ts';

export function coreAnswer(deps: { db: DbOrTx; clock: Clock; logger: Logger; registry: Registry }): AnswerFn {
  return (caller, text, where) =>
    answer({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      registry: deps.registry,
      caller: { kind: 'person', email: caller.email },
      text,
      where: where.toChannel ? 'channel' : 'direct',
      rowLimit: MAX_DISPLAY_ROWS,
    });
}
