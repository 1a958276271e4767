/**
 * What exports need to give back an imported report value for value (docs/design.md §4.1, §7):
 * - `snapshot_groups`: the SCIM group names each directory snapshot carried. `scim_groups` keeps
 *   only the newest name of a group, so a report of an older week would otherwise export names
 *   it never had. Existing snapshots are filled with the names known now (the best there is);
 * - `user_facts.is_active`: the Users report's own flag, kept as written (it may disagree with
 *   `messages`); null for facts rolled up from events, where it is `messages > 0`;
 * - the audit log records what an export gave out: its report type, range and row count.
 * Frozen in time: this file never imports application code.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('snapshot_groups')
    .addColumn('snapshot_id', 'integer', (c) => c.notNull().references('directory_snapshots.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('snapshot_groups_pk', ['snapshot_id', 'group_id'])
    .execute();
  await sql`
    insert into snapshot_groups (snapshot_id, group_id, name)
    select distinct a.snapshot_id, g.group_id, s.name
    from directory_accounts a
    cross join lateral unnest(a.group_ids) as g(group_id)
    join scim_groups s on s.group_id = g.group_id`.execute(db);

  await db.schema.alterTable('user_facts').addColumn('is_active', 'boolean').execute();

  await db.schema
    .alterTable('audit_log')
    .addColumn('export_type', 'text')
    .addColumn('export_start', 'date')
    .addColumn('export_end', 'date')
    .addColumn('export_rows', 'integer')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('audit_log')
    .dropColumn('export_type')
    .dropColumn('export_start')
    .dropColumn('export_end')
    .dropColumn('export_rows')
    .execute();
  await db.schema.alterTable('user_facts').dropColumn('is_active').execute();
  await db.schema.dropTable('snapshot_groups').ifExists().execute();
}
