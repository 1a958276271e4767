/**
 * Summaries for group and item answers (docs/design.md §10), kept exact by statement-level
 * triggers inside every writing transaction, like migration 0004's, and backfilled here.
 * Frozen in time: this file never imports application code.
 *
 * - `group_members(snapshot_id, group_id, account_key)`: one row per SCIM group an account of a
 *   directory snapshot lists, from `directory_accounts.group_ids`. A group's members as of a day
 *   are an index range of it (the snapshot as of that day, then the group), never an unnest of
 *   every account's array. Kept by triggers on `directory_accounts`, so a Users report, a
 *   directory CSV, a replaced report (its snapshot's accounts cascade away) and an emptied store
 *   all keep it true.
 * - `item_usage(grain, period_start, public_id, kind, item_id, messages)`: one row per positive
 *   entry of a fact's GPT or project map (`kind` 'gpt' or 'project'). A fact key's rows come
 *   from one fact row each, so a delete of facts removes exactly the rows of their keys. An
 *   item's messages over a period are the sum of its rows in the period's keys and its messagers
 *   the distinct users among them (exact over any number of keys: users, not per-key counts, are
 *   kept), without parsing a map at read time. Kept by triggers on `user_facts` (Users reports,
 *   replacements, the events roll-up, deletions).
 */
import { sql, type Kysely } from 'kysely';

/** `(snapshot_id, group_id, account_key)` of the accounts in `rows`, each pair once. */
function membershipsOf(rows: string): string {
  return `select distinct r.snapshot_id, g.group_id, r.account_key
    from ${rows} r cross join lateral unnest(r.group_ids) as g(group_id)`;
}

function addMembers(rows: string): string {
  return `insert into group_members (snapshot_id, group_id, account_key) ${membershipsOf(rows)}
    on conflict do nothing;`;
}

function dropMembers(rows: string): string {
  return `delete from group_members m using (${membershipsOf(rows)}) o
    where m.snapshot_id = o.snapshot_id and m.group_id = o.group_id and m.account_key = o.account_key;`;
}

/** `(grain, period_start, public_id, kind, item_id, messages)` of the positive map entries in `rows`. */
function entriesOf(rows: string): string {
  const kinds = (['gpt', 'project'] as const).map(
    (kind) => `select r.grain, r.period_start, r.public_id, '${kind}'::text as kind, kv.key as item_id,
        (kv.value)::numeric::bigint as messages
      from ${rows} r cross join lateral jsonb_each_text(r.${kind}_to_messages) as kv
      where r.${kind}_to_messages is not null and r.${kind}_to_messages <> '{}'::jsonb and (kv.value)::numeric > 0`,
  );
  return kinds.join('\n      union all\n      ');
}

function addEntries(rows: string): string {
  return `insert into item_usage (grain, period_start, public_id, kind, item_id, messages) ${entriesOf(rows)};`;
}

function dropEntries(rows: string): string {
  // A fact key (grain, period_start, public_id) is one fact row: its entries go with it.
  return `delete from item_usage i using ${rows} o
    where i.grain = o.grain and i.period_start = o.period_start and i.public_id = o.public_id
      and ((o.gpt_to_messages is not null and o.gpt_to_messages <> '{}'::jsonb)
        or (o.project_to_messages is not null and o.project_to_messages <> '{}'::jsonb));`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table group_members (
      snapshot_id integer not null,
      group_id text not null,
      account_key text not null,
      primary key (snapshot_id, group_id, account_key))`.execute(db);
  await sql`
    create table item_usage (
      grain text not null,
      period_start date not null,
      public_id text not null,
      kind text not null check (kind in ('gpt', 'project')),
      item_id text not null,
      messages bigint not null,
      primary key (grain, period_start, public_id, kind, item_id))`.execute(db);

  await sql.raw(`
    create function directory_accounts_inserted() returns trigger language plpgsql as $$
    begin
      ${addMembers('new_rows')}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create function directory_accounts_deleted() returns trigger language plpgsql as $$
    begin
      ${dropMembers('old_rows')}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create function directory_accounts_updated() returns trigger language plpgsql as $$
    begin
      ${dropMembers('old_rows')}
      ${addMembers('new_rows')}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create function directory_accounts_truncated() returns trigger language plpgsql as $$
    begin
      delete from group_members;
      return null;
    end $$`).execute(db);
  await sql.raw(`create trigger directory_accounts_members_insert after insert on directory_accounts
    referencing new table as new_rows for each statement execute function directory_accounts_inserted()`).execute(db);
  await sql.raw(`create trigger directory_accounts_members_delete after delete on directory_accounts
    referencing old table as old_rows for each statement execute function directory_accounts_deleted()`).execute(db);
  await sql.raw(`create trigger directory_accounts_members_update after update on directory_accounts
    referencing old table as old_rows new table as new_rows for each statement execute function directory_accounts_updated()`).execute(db);
  await sql.raw(`create trigger directory_accounts_members_truncate after truncate on directory_accounts
    for each statement execute function directory_accounts_truncated()`).execute(db);

  await sql.raw(`
    create function user_facts_items_inserted() returns trigger language plpgsql as $$
    begin
      ${addEntries('new_rows')}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create function user_facts_items_deleted() returns trigger language plpgsql as $$
    begin
      ${dropEntries('old_rows')}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create function user_facts_items_updated() returns trigger language plpgsql as $$
    begin
      ${dropEntries('old_rows')}
      ${addEntries('new_rows')}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create function user_facts_items_truncated() returns trigger language plpgsql as $$
    begin
      delete from item_usage;
      return null;
    end $$`).execute(db);
  await sql.raw(`create trigger user_facts_items_insert after insert on user_facts
    referencing new table as new_rows for each statement execute function user_facts_items_inserted()`).execute(db);
  await sql.raw(`create trigger user_facts_items_delete after delete on user_facts
    referencing old table as old_rows for each statement execute function user_facts_items_deleted()`).execute(db);
  await sql.raw(`create trigger user_facts_items_update after update on user_facts
    referencing old table as old_rows new table as new_rows for each statement execute function user_facts_items_updated()`).execute(db);
  await sql.raw(`create trigger user_facts_items_truncate after truncate on user_facts
    for each statement execute function user_facts_items_truncated()`).execute(db);

  // Backfill from what the store holds.
  await sql.raw(`insert into group_members (snapshot_id, group_id, account_key) ${membershipsOf('directory_accounts')}`).execute(db);
  await sql.raw(`insert into item_usage (grain, period_start, public_id, kind, item_id, messages) ${entriesOf('user_facts')}`).execute(db);
  await sql`analyze group_members`.execute(db);
  await sql`analyze item_usage`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const event of ['insert', 'delete', 'update', 'truncate']) {
    await sql.raw(`drop trigger if exists directory_accounts_members_${event} on directory_accounts`).execute(db);
    await sql.raw(`drop trigger if exists user_facts_items_${event} on user_facts`).execute(db);
  }
  for (const fn of ['inserted', 'deleted', 'updated', 'truncated']) {
    await sql.raw(`drop function if exists directory_accounts_${fn}()`).execute(db);
    await sql.raw(`drop function if exists user_facts_items_${fn}()`).execute(db);
  }
  await sql`drop table if exists item_usage`.execute(db);
  await sql`drop table if exists group_members`.execute(db);
}
