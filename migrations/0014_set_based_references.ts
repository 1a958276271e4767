/**
 * The three largest tables check their parent once per statement instead of once per row.
 *
 * `directory_accounts.snapshot_id`, `user_facts.report_id` and `events.import_id` were foreign
 * keys: PostgreSQL checks those with one look-up (and one row lock on the parent) per inserted
 * row — for a 100k-row Users report 180,000 look-ups of the same two parent rows, about a quarter
 * of the server's time in the import, and a third of the time of inserting 300,000 events. The
 * loads now write each of them in a few large statements (src/ingest/staging.ts, events-store.ts),
 * so the same guarantees are kept set-based, by statement-level triggers over the transition
 * tables, in the same transaction and at the same moment (the end of the statement):
 * - inserting (or re-pointing) rows whose parent does not exist fails with SQLSTATE 23503, as the
 *   foreign key did;
 * - deleting a snapshot or a report deletes its accounts or facts in the same statement's wake
 *   (the `on delete cascade` it replaces), one delete for every parent row the statement removed;
 *   deleting an import that events still name fails (23503), as the foreign key's `no action` did;
 * - the parents a statement's new rows name are locked `for key share` until the transaction ends,
 *   as the foreign key locked them, so a concurrent delete of one waits and its cascade then sees
 *   the new rows; TRUNCATE of a parent that has children is refused (23503).
 * The rest of the foreign keys stay: their tables are small or written a row at a time.
 *
 * `user_facts_report` (the cascade's way from a report to its facts) now leaves out the facts of
 * no report — every day fact of an event-fed store — which it indexed for nothing: a look-up by
 * report id never matches a null.
 * Frozen in time: this file never imports application code.
 */
import { sql, type Kysely } from 'kysely';

interface Reference {
  /** The child table, its column, and the parent table (key `id`). */
  child: 'directory_accounts' | 'user_facts' | 'events';
  column: 'snapshot_id' | 'report_id' | 'import_id';
  parent: 'directory_snapshots' | 'reports' | 'import_log';
  constraint: string;
  /** What deleting a parent does to its children: delete them, or fail while there are any. */
  onDelete: 'cascade' | 'restrict';
}

const REFERENCES: readonly Reference[] = [
  { child: 'directory_accounts', column: 'snapshot_id', parent: 'directory_snapshots', constraint: 'directory_accounts_snapshot_id_fkey', onDelete: 'cascade' },
  { child: 'user_facts', column: 'report_id', parent: 'reports', constraint: 'user_facts_report_id_fkey', onDelete: 'cascade' },
  { child: 'events', column: 'import_id', parent: 'import_log', constraint: 'events_import_id_fkey', onDelete: 'restrict' },
];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists user_facts_report`.execute(db);
  await sql`create index user_facts_report on user_facts (report_id) where report_id is not null`.execute(db);
  for (const { child, column, parent, constraint, onDelete } of REFERENCES) {
    await sql.raw(`alter table ${child} drop constraint ${constraint}`).execute(db);
    // Integrity: every non-null reference of the statement's new rows names an existing parent.
    await sql.raw(`
      create function ${child}_${column}_check() returns trigger language plpgsql as $$
      declare missing integer;
      begin
        -- As a foreign key does: the parents named are locked against deletion until this
        -- transaction ends, so a concurrent delete waits and its cascade then sees these rows.
        perform 1 from ${parent} p
        where p.id in (select distinct n.${column} from new_rows n where n.${column} is not null)
        for key share;
        select n.${column} into missing from new_rows n
        where n.${column} is not null and not exists (select 1 from ${parent} p where p.id = n.${column})
        limit 1;
        if found then
          raise exception 'insert or update on table "${child}" violates its reference to "${parent}"'
            using errcode = 'foreign_key_violation',
                  detail = format('Key (${column})=(%s) is not present in table "${parent}".', missing);
        end if;
        return null;
      end $$`).execute(db);
    await sql.raw(`create trigger ${child}_${column}_insert after insert on ${child}
      referencing new table as new_rows for each statement execute function ${child}_${column}_check()`).execute(db);
    await sql.raw(`create trigger ${child}_${column}_update after update on ${child}
      referencing new table as new_rows for each statement execute function ${child}_${column}_check()`).execute(db);
    // The cascade: the children of every parent row the statement deleted (or the refusal).
    const onParentDeleted =
      onDelete === 'cascade'
        ? `delete from ${child} c using old_rows o where c.${column} = o.id;`
        : `if exists (select 1 from ${child} c join old_rows o on c.${column} = o.id) then
             raise exception 'delete on table "${parent}" violates the reference from "${child}"'
               using errcode = 'foreign_key_violation';
           end if;`;
    await sql.raw(`
      create function ${parent}_cascade_${child}() returns trigger language plpgsql as $$
      begin
        ${onParentDeleted}
        return null;
      end $$`).execute(db);
    await sql.raw(`create trigger ${parent}_cascade_${child} after delete on ${parent}
      referencing old table as old_rows for each statement execute function ${parent}_cascade_${child}()`).execute(db);
    // TRUNCATE fires no delete trigger: refused when it leaves children behind (checked after every table
    // the command names is emptied, so truncating the parent and its children together is allowed).
    await sql.raw(`
      create function ${parent}_truncate_${child}() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from ${child} where ${column} is not null) then
          raise exception 'truncate on table "${parent}" would leave rows of "${child}" without their parent'
            using errcode = 'foreign_key_violation';
        end if;
        return null;
      end $$`).execute(db);
    await sql.raw(`create trigger ${parent}_truncate_${child} after truncate on ${parent}
      for each statement execute function ${parent}_truncate_${child}()`).execute(db);
    // A parent's id is never changed; refuse it rather than leave children behind.
    await sql.raw(`
      create function ${parent}_keep_id() returns trigger language plpgsql as $$
      begin
        if new.id <> old.id then
          raise exception 'the id of a row of "${parent}" cannot change' using errcode = 'foreign_key_violation';
        end if;
        return new;
      end $$`).execute(db);
    await sql.raw(`create trigger ${parent}_keep_id before update of id on ${parent}
      for each row execute function ${parent}_keep_id()`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists user_facts_report`.execute(db);
  await sql`create index user_facts_report on user_facts (report_id)`.execute(db);
  for (const { child, column, parent, constraint, onDelete } of REFERENCES) {
    await sql.raw(`drop trigger if exists ${parent}_keep_id on ${parent}`).execute(db);
    await sql.raw(`drop function if exists ${parent}_keep_id()`).execute(db);
    await sql.raw(`drop trigger if exists ${parent}_truncate_${child} on ${parent}`).execute(db);
    await sql.raw(`drop function if exists ${parent}_truncate_${child}()`).execute(db);
    await sql.raw(`drop trigger if exists ${parent}_cascade_${child} on ${parent}`).execute(db);
    await sql.raw(`drop function if exists ${parent}_cascade_${child}()`).execute(db);
    await sql.raw(`drop trigger if exists ${child}_${column}_update on ${child}`).execute(db);
    await sql.raw(`drop trigger if exists ${child}_${column}_insert on ${child}`).execute(db);
    await sql.raw(`drop function if exists ${child}_${column}_check()`).execute(db);
    await sql.raw(`alter table ${child} add constraint ${constraint}
      foreign key (${column}) references ${parent} (id)${onDelete === 'cascade' ? ' on delete cascade' : ''}`).execute(db);
  }
}
