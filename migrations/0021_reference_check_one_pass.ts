/**
 * The set-based reference checks of migration 0014 read the statement's transition table once
 * instead of twice. They locked the parents named by the new rows (one pass: `select distinct`),
 * then looked for a new row whose parent is missing (a second pass, one anti-join probe per row).
 * Now the one pass collects the distinct parent ids, and the lock and the look-up for a missing
 * parent work on those few ids: for an ingest of 300,000 events, 300,000 probes fewer. Same
 * outcome: the same parents locked `for key share`, the same error (SQLSTATE 23503, naming one
 * missing key) when a parent is missing.
 * Frozen in time: this file never imports application code.
 */
import { sql, type Kysely } from 'kysely';

const REFERENCES = [
  { child: 'directory_accounts', column: 'snapshot_id', parent: 'directory_snapshots' },
  { child: 'user_facts', column: 'report_id', parent: 'reports' },
  { child: 'events', column: 'import_id', parent: 'import_log' },
] as const;

type Reference = (typeof REFERENCES)[number];

/** The error a foreign key raises, when the check above it found a `missing` parent id. */
function raiseIfMissing({ child, column, parent }: Reference): string {
  return `if found then
          raise exception 'insert or update on table "${child}" violates its reference to "${parent}"'
            using errcode = 'foreign_key_violation',
                  detail = format('Key (${column})=(%s) is not present in table "${parent}".', missing);
        end if;`;
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const ref of REFERENCES) {
    const { child, column, parent } = ref;
    await sql.raw(`
      create or replace function ${child}_${column}_check() returns trigger language plpgsql as $$
      declare
        named integer[];
        missing integer;
      begin
        select array_agg(d.id) into named
        from (select distinct n.${column} as id from new_rows n where n.${column} is not null) d;
        if named is null then
          return null;
        end if;
        -- As a foreign key does: the parents named are locked against deletion until this
        -- transaction ends, so a concurrent delete waits and its cascade then sees these rows.
        perform 1 from ${parent} p where p.id = any (named) for key share;
        select m.id into missing from unnest(named) as m(id)
        where not exists (select 1 from ${parent} p where p.id = m.id)
        limit 1;
        ${raiseIfMissing(ref)}
        return null;
      end $$`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const ref of REFERENCES) {
    const { child, column, parent } = ref;
    await sql.raw(`
      create or replace function ${child}_${column}_check() returns trigger language plpgsql as $$
      declare missing integer;
      begin
        perform 1 from ${parent} p
        where p.id in (select distinct n.${column} from new_rows n where n.${column} is not null)
        for key share;
        select n.${column} into missing from new_rows n
        where n.${column} is not null and not exists (select 1 from ${parent} p where p.id = n.${column})
        limit 1;
        ${raiseIfMissing(ref)}
        return null;
      end $$`).execute(db);
  }
}
