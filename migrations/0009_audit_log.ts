/**
 * The audit log (docs/design.md §7): every answer, denial, grant, revoke and settings change.
 * Frozen in time: this file never imports application code.
 *
 * Append-only in the database: a trigger refuses UPDATE and DELETE (TRUNCATE, which row triggers
 * do not see, still empties it for tests). It records who, what, where, the decision and when —
 * the command's name and the keys given, never the typed text and never an analytics figure.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('platform_user_id', 'text')
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('keys', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('where_kind', 'text', (c) => c.notNull().check(sql`where_kind in ('cli', 'direct', 'channel')`))
    .addColumn('channel_id', 'text')
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('allowed', 'denied')`))
    .addColumn('reason', 'text')
    .addColumn('grantee', 'text')
    .addColumn('role', 'text')
    .addColumn('groups', sql`text[]`)
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the audit log is append-only: % is not allowed', tg_op;
    end $$`.execute(db);
  await sql`create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').ifExists().execute();
  await sql`drop function if exists audit_log_append_only()`.execute(db);
}
