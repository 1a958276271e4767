/**
 * The delivery layer's chat binding of the core's `answer()` with the size of a card's table: a
 * card shows MAX_CARD_TABLE_ROWS rows, so commands read no more.
 */
import { chatAnswer, type ChatAnswerDeps, type ChatAnswerFn } from '../../delivery/core-answer.ts';
import { MAX_CARD_TABLE_ROWS } from './limits.ts';

export function coreAnswer(deps: Omit<ChatAnswerDeps, 'rowLimit'>): ChatAnswerFn {
  return chatAnswer({ ...deps, rowLimit: MAX_CARD_TABLE_ROWS });
}
