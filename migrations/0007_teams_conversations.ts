/**
 * Teams conversations the bot can post into later. Frozen in time: this file never imports
 * application code.
 *
 * Teams cannot be addressed by a channel name or an email: a bot posts into a conversation only
 * through the reference Teams handed it in an earlier activity (install, a message). One row per
 * conversation, refreshed on every activity (the service URL of a tenant can change); for a
 * personal chat the Teams user it belongs to, so an answer asked for in a channel can be sent to
 * the asker privately.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('teams_conversations')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('conversation_type', 'text', (c) => c.notNull().check(sql`conversation_type in ('personal', 'groupChat', 'channel')`))
    .addColumn('tenant_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('reference', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('teams_conversations_personal_user')
    .on('teams_conversations')
    .column('user_id')
    .where(sql.ref('conversation_type'), '=', 'personal')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('teams_conversations').ifExists().execute();
}
