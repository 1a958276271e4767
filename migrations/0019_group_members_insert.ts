/**
 * The group memberships of inserted accounts (migration 0013's `group_members`, kept by a
 * statement trigger on `directory_accounts`) are written without a hash aggregate and without
 * `on conflict do nothing`: of the import of a 100k-account Users report (~207k memberships) they
 * were the largest single cost, and 40 % of it was those two. Same rows as before:
 *
 * - an account's group ids are taken once each by keeping the first position of each id in its
 *   array (`array_position` = the element's ordinality) instead of `select distinct` over all
 *   memberships;
 * - the inserted accounts are new in their snapshot (the primary key of `directory_accounts`), and
 *   a membership only exists while its account does (the delete, update and truncate triggers), so
 *   no inserted membership can already be there: a conflict would mean the summary had drifted,
 *   and now fails the statement instead of passing unseen.
 *
 * The update trigger keeps 0013's statements (updates are rare and not on the import path).
 * Frozen in time: never imports application code.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    create or replace function directory_accounts_inserted() returns trigger language plpgsql as $$
    begin
      insert into group_members (snapshot_id, group_id, account_key)
        select r.snapshot_id, g.group_id, r.account_key
        from new_rows r cross join lateral unnest(r.group_ids) with ordinality as g(group_id, n)
        where array_position(r.group_ids, g.group_id) = g.n;
      return null;
    end $$`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    create or replace function directory_accounts_inserted() returns trigger language plpgsql as $$
    begin
      insert into group_members (snapshot_id, group_id, account_key) select distinct r.snapshot_id, g.group_id, r.account_key
        from new_rows r cross join lateral unnest(r.group_ids) as g(group_id)
        on conflict do nothing;
      return null;
    end $$`).execute(db);
}
