/**
 * The adapter's AnswerFn bound to the core (src/delivery/core-answer.ts) with Slack's message
 * size as the row limit (a message shows MAX_DISPLAY_ROWS rows, so commands read no more than
 * those). The composition root (src/app.ts) and the benchmark's Slack figures use this one binding.
 */
import type { Clock } from '../../core/clock.ts';
import type { Registry } from '../../core/registry.ts';
import { chatAnswer } from '../../delivery/core-answer.ts';
import type { Logger } from '../../log.ts';
import type { DbOrTx } from '../../store/schema.ts';
import type { AnswerFn } from './index.ts';
import { MAX_DISPLAY_ROWS } from './limits.ts';

export function coreAnswer(deps: { db: DbOrTx; clock: Clock; logger: Logger; registry: Registry }): AnswerFn {
  return chatAnswer({ ...deps, rowLimit: MAX_DISPLAY_ROWS });
}
