/**
 * Digest subscriptions, the outbound delivery ledger and power users' answers about being named.
 * Frozen in time: this file never imports application code.
 *
 * - `digest_subscriptions`: a kind, a target (a Slack channel or a Teams conversation), a weekly or
 *   monthly slot in an IANA zone, an optional group. Unsubscribing disables the row (its deliveries
 *   stay readable); two active subscriptions with the same kind, target, slot and group cannot exist.
 * - `digest_deliveries`: one row per scheduled (subscription, period) — the row whose insert wins is
 *   the process that posts it, which is what makes a digest go out once across processes and
 *   restarts. A claim holds until `claim_expires_at` (renewed while its post is retried) and can then
 *   be taken over; `posted`, `missed` and `gone` rows are final. Manual `send-now` posts are recorded
 *   beside them (`scheduled = false`) and never stand in for the scheduled post.
 * - `digest_opt_ins`: whether a person agreed to be named in power-user shout-outs, by email key.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('digest_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull().check(sql`platform in ('slack', 'teams')`))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('day', 'smallint', (c) => c.notNull().check(sql`day between 0 and 6`))
    .addColumn('minute', 'smallint', (c) => c.notNull().check(sql`minute between 0 and 1439`))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('every', 'text', (c) => c.notNull().check(sql`every in ('week', 'month')`))
    .addColumn('group_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('disabled_reason', 'text')
    .execute();
  await sql`create unique index digest_subscriptions_one_active on digest_subscriptions
    (kind, platform, target, day, minute, time_zone, every, coalesce(group_id, ''))
    where disabled_at is null`.execute(db);

  await db.schema
    .createTable('digest_deliveries')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('digest_subscriptions.id'))
    .addColumn('scheduled', 'boolean', (c) => c.notNull())
    .addColumn('period_start', 'date', (c) => c.notNull())
    .addColumn('period_end', 'date', (c) => c.notNull())
    .addColumn('slot_at', 'timestamptz')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('claimed', 'posted', 'failed', 'missed', 'gone')`))
    .addColumn('claimed_by', 'text')
    .addColumn('claim_expires_at', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('late', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('posted_at', 'timestamptz')
    .addColumn('platform_ref', 'text')
    .addColumn('error', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create unique index digest_deliveries_once on digest_deliveries (subscription_id, period_start)
    where scheduled`.execute(db);
  await db.schema.createIndex('digest_deliveries_by_subscription').on('digest_deliveries').columns(['subscription_id', 'id']).execute();

  await db.schema
    .createTable('digest_opt_ins')
    .addColumn('email_key', 'text', (c) => c.primaryKey())
    .addColumn('choice', 'text', (c) => c.notNull().check(sql`choice in ('asked', 'in', 'out')`))
    .addColumn('platform', 'text')
    .addColumn('user_id', 'text')
    .addColumn('asked_at', 'timestamptz')
    .addColumn('answered_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('digest_opt_ins').ifExists().execute();
  await db.schema.dropTable('digest_deliveries').ifExists().execute();
  await db.schema.dropTable('digest_subscriptions').ifExists().execute();
}
