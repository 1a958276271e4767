/** The adapter's ConversationStore bound to the store's Teams conversation references. */
import type { Clock } from '../../core/clock.ts';
import type { DbOrTx } from '../../store/schema.ts';
import { findPersonalConversation, findTeamsConversation, saveTeamsConversation } from '../../store/teams-conversations.ts';
import type { ConversationStore } from './index.ts';

export function storeConversations(db: DbOrTx, clock: Clock): ConversationStore {
  return {
    save: (conversation) => saveTeamsConversation(db, conversation, clock.now()),
    find: (id) => findTeamsConversation(db, id),
    findPersonal: (userId) => findPersonalConversation(db, userId),
  };
}
