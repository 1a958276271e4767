/**
 * Stored Teams conversation references (migration 0007): saved from every activity, read back to
 * post without an activity to answer (digests, an answer that took too long for its turn, an
 * answer sent privately to someone who asked in a channel). Not analytics.
 */
import type { Kysely } from 'kysely';
import type { DbOrTx } from './schema.ts';

export type TeamsConversationType = 'personal' | 'groupChat' | 'channel';

interface TeamsConversationsTable {
  conversation_id: string;
  conversation_type: TeamsConversationType;
  tenant_id: string | null;
  user_id: string | null;
  /** botbuilder's ConversationReference, as Teams gave it. */
  reference: unknown;
  updated_at: Date;
}

export interface StoredConversation {
  readonly conversationId: string;
  readonly conversationType: TeamsConversationType;
  readonly tenantId: string | null;
  /** The Teams user of a personal chat. */
  readonly userId: string | null;
  readonly reference: Record<string, unknown>;
}

function conversations(db: DbOrTx) {
  return (db as Kysely<unknown>).withTables<{ teams_conversations: TeamsConversationsTable }>();
}

/** Saves or refreshes the reference of one conversation (one row per conversation). */
export async function saveTeamsConversation(db: DbOrTx, conversation: StoredConversation, at: Date): Promise<void> {
  const row = {
    conversation_id: conversation.conversationId,
    conversation_type: conversation.conversationType,
    tenant_id: conversation.tenantId,
    user_id: conversation.userId,
    reference: JSON.stringify(conversation.reference),
    updated_at: at,
  };
  await conversations(db)
    .insertInto('teams_conversations')
    .values(row)
    .onConflict((oc) =>
      oc.column('conversation_id').doUpdateSet({
        conversation_type: row.conversation_type,
        tenant_id: row.tenant_id,
        user_id: row.user_id,
        reference: row.reference,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

function fromRow(row: TeamsConversationsTable): StoredConversation {
  const reference = typeof row.reference === 'string' ? JSON.parse(row.reference) : row.reference;
  return {
    conversationId: row.conversation_id,
    conversationType: row.conversation_type,
    tenantId: row.tenant_id,
    userId: row.user_id,
    reference: reference as Record<string, unknown>,
  };
}

export async function findTeamsConversation(db: DbOrTx, conversationId: string): Promise<StoredConversation | undefined> {
  const row = await conversations(db).selectFrom('teams_conversations').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** The newest personal chat of a Teams user, if the bot has one with them. */
export async function findPersonalConversation(db: DbOrTx, userId: string): Promise<StoredConversation | undefined> {
  const row = await conversations(db)
    .selectFrom('teams_conversations')
    .selectAll()
    .where('conversation_type', '=', 'personal')
    .where('user_id', '=', userId)
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}
