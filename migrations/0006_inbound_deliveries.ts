/**
 * Inbound deliveries already taken on, for every chat platform. Frozen in time:
 * this file never imports application code.
 *
 * A platform re-sends a delivery it thinks was lost (Slack's `event_id`, a Teams activity id), and
 * a request may reach any of several replicas. Before answering, a replica inserts the delivery's
 * (platform, kind, delivery_id) here; the insert that wins (`ON CONFLICT DO NOTHING` returns its
 * row) answers, every other one only acknowledges. Rows are needed only while a platform may still
 * re-send (minutes); the application deletes those older than a day.
 *
 * Replaces `slack_deliveries` (migration 0002), whose keys were `{kind}:{id}`: its rows are carried
 * over as platform 'slack', and it is dropped.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('inbound_deliveries')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('inbound_deliveries_pkey', ['platform', 'kind', 'delivery_id'])
    .execute();
  await db.schema.createIndex('inbound_deliveries_received_at').on('inbound_deliveries').column('received_at').execute();
  await sql`
    insert into inbound_deliveries (platform, kind, delivery_id, received_at)
    select 'slack', split_part(delivery_key, ':', 1), substr(delivery_key, strpos(delivery_key, ':') + 1), received_at
    from slack_deliveries
    where strpos(delivery_key, ':') > 0
    on conflict do nothing`.execute(db);
  await db.schema.dropTable('slack_deliveries').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('slack_deliveries')
    .addColumn('delivery_key', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('slack_deliveries_received_at').on('slack_deliveries').column('received_at').execute();
  await sql`
    insert into slack_deliveries (delivery_key, received_at)
    select kind || ':' || delivery_id, received_at
    from inbound_deliveries
    where platform = 'slack'
    on conflict do nothing`.execute(db);
  await db.schema.dropTable('inbound_deliveries').execute();
}
