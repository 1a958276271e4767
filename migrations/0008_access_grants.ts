/**
 * Analytics-viewer grants (docs/design.md §7). Frozen in time: this file never imports application
 * code.
 *
 * One row per (person, role, group): `group_id` null is the whole workspace. Groups are kept by
 * SCIM group id, so a grant follows a renamed group. `email_key` is the lower-cased email the
 * grant is matched by; `email` is as it was given. `source` tells chat- and command-line-made
 * grants (`manual`) from those of a role-map file (`role-map`), which the next role-map file
 * replaces. Grants are kept when the demo workspace is emptied.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('access_grants')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('analytics-viewer')`))
    .addColumn('group_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('manual', 'role-map')`))
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`create unique index access_grants_unique
    on access_grants (email_key, role, coalesce(group_id, ''), source)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('access_grants').ifExists().execute();
}
