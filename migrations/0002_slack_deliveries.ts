/**
 * Slack deliveries already taken on (docs/design.md §9, §11). Frozen in time: this file never imports
 * application code.
 *
 * Slack re-sends an Events API delivery it thinks was lost (same `event_id`), and a request may
 * reach any of several replicas. Before answering, a replica inserts the delivery's key here;
 * the insert that wins (`ON CONFLICT DO NOTHING` returns its row) answers, every other one only
 * acknowledges. Keys: `event:{event_id}`, `command:{trigger_id}`, `action:{trigger_id}`. Rows
 * are needed only while Slack may still retry (minutes); the adapter deletes those older than a day.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('slack_deliveries')
    .addColumn('delivery_key', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('slack_deliveries_received_at').on('slack_deliveries').column('received_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('slack_deliveries').ifExists().execute();
}
