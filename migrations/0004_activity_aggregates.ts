/**
 * Pre-aggregates of `user_facts` for the answers of docs/design.md §10, kept exact by statement-level
 * triggers on `user_facts` (inside the writing transaction, so every import, replacement of a
 * report, demo reset and event roll-up keeps them right, all or nothing), and backfilled here.
 * Frozen in time: this file never imports application code.
 *
 * - `period_totals`: per fact key (grain, period_start) the number of fact rows, of rows with
 *   messages (the key's active users: one row per user and key) and the sums of the counted
 *   columns (skill/app messages summed as 0 where null). Ungrouped sums over any set of keys are
 *   then a handful of rows instead of every user's fact.
 * - `activity_bits`: per user and block of 64 consecutive periods of one series, a bit per period
 *   in which the user has a fact with messages > 0. Distinct active users over several keys of one
 *   series are users whose mask meets the keys' bits: one row per user and block instead of one
 *   per user and key, and no hashing of text ids per fact.
 *   Series and ordinal (src/store/aggregates.ts mirrors this): Sunday-started weeks count weeks
 *   from 1970-01-04; first-of-month months count months from 1970-01; anything else (days, Date
 *   Range reports, unaligned periods) counts days from 1970-01-01 in a series `<grain>:day`.
 *   Fact keys are unique per user, so a bit is set exactly while its fact row exists with
 *   messages > 0: an insert sets it, a delete clears it, an update does both.
 *   The table keeps 30 % of each page free, so a mask changed by an import is rewritten in place
 *   (a HOT update: no new index entry), which halves what replacing a report costs.
 * - Indexes: directory seats read from an index alone; GPT/project/tool maps read only the
 *   facts that have entries (most have none).
 */
import { sql, type Kysely } from 'kysely';

const SUMS = ['messages', 'gpt_messages', 'tool_messages', 'project_messages', 'projects_created'] as const;
const NULLABLE_SUMS = ['skill_messages', 'app_messages'] as const;
const ALL_SUMS = [...SUMS, ...NULLABLE_SUMS];

/** `select … from <rows> group by grain, period_start`: one totals row per key, signed. */
function totalsOf(rows: string, sign: '' | '-'): string {
  const sums = [
    ...SUMS.map((c) => `${sign}coalesce(sum(${c}), 0)`),
    ...NULLABLE_SUMS.map((c) => `${sign}coalesce(sum(${c}), 0)`),
  ];
  return `select grain, period_start, ${sign}count(*), ${sign}count(*) filter (where messages > 0), ${sums.join(', ')}
    from ${rows} group by grain, period_start`;
}

/** `(series, bucket, public_id, mask)` of the rows with messages. */
function bitsOf(rows: string): string {
  return `select activity_series(grain, period_start) as series, activity_ordinal(grain, period_start) >> 6 as bucket,
      public_id, bit_or(1::bigint << (activity_ordinal(grain, period_start) & 63)) as mask
    from ${rows} where messages > 0 group by 1, 2, 3`;
}

const TOTAL_COLUMNS = `grain, period_start, fact_rows, active_users, ${ALL_SUMS.join(', ')}`;
const ADD_TOTALS = `on conflict (grain, period_start) do update set
  fact_rows = t.fact_rows + excluded.fact_rows, active_users = t.active_users + excluded.active_users,
  ${ALL_SUMS.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')}`;

function addRows(rows: string, sign: '' | '-'): string {
  return `insert into period_totals as t (${TOTAL_COLUMNS}) ${totalsOf(rows, sign)} ${ADD_TOTALS};`;
}

function setBits(rows: string): string {
  return `insert into activity_bits as b (series, bucket, public_id, mask) ${bitsOf(rows)}
    on conflict (series, bucket, public_id) do update set mask = b.mask | excluded.mask;`;
}

function clearBits(rows: string): string {
  // Two disjoint sets of rows in one statement: masks left empty go, the others lose the bits.
  return `with gone as (${bitsOf(rows)}),
    emptied as (
      delete from activity_bits b using gone
      where b.series = gone.series and b.bucket = gone.bucket and b.public_id = gone.public_id
        and b.mask & ~gone.mask = 0)
    update activity_bits b set mask = b.mask & ~gone.mask from gone
    where b.series = gone.series and b.bucket = gone.bucket and b.public_id = gone.public_id
      and b.mask & ~gone.mask <> 0;`;
}

const DROP_EMPTY_TOTALS = 'delete from period_totals where fact_rows = 0;';

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`
    create function activity_series(grain text, d date) returns text
    language sql immutable parallel safe as $$
      select case
        when grain = 'week' and extract(isodow from d) = 7 then 'week'
        when grain = 'month' and extract(day from d) = 1 then 'month'
        when grain = 'day' then 'day'
        else grain || ':day' end $$`).execute(db);
  await sql.raw(`
    create function activity_ordinal(grain text, d date) returns integer
    language sql immutable parallel safe as $$
      select case
        when grain = 'week' and extract(isodow from d) = 7 then (d - date '1970-01-04') / 7
        when grain = 'month' and extract(day from d) = 1 then extract(year from d)::int * 12 + extract(month from d)::int - 1
        else d - date '1970-01-01' end $$`).execute(db);

  await sql.raw(`
    create table period_totals (
      grain text not null,
      period_start date not null,
      fact_rows bigint not null,
      active_users bigint not null,
      ${ALL_SUMS.map((c) => `${c} bigint not null`).join(',\n      ')},
      primary key (grain, period_start))`).execute(db);
  await sql.raw(`
    create table activity_bits (
      series text not null,
      bucket integer not null,
      public_id text not null,
      mask bigint not null,
      primary key (series, bucket, public_id))
    with (fillfactor = 70)`).execute(db);

  await sql.raw(`
    create function user_facts_inserted() returns trigger language plpgsql as $$
    begin
      ${addRows('new_rows', '')}
      ${setBits('new_rows')}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create function user_facts_deleted() returns trigger language plpgsql as $$
    begin
      ${addRows('old_rows', '-')}
      ${DROP_EMPTY_TOTALS}
      ${clearBits('old_rows')}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create function user_facts_updated() returns trigger language plpgsql as $$
    begin
      ${addRows('old_rows', '-')}
      ${addRows('new_rows', '')}
      ${DROP_EMPTY_TOTALS}
      ${clearBits('old_rows')}
      ${setBits('new_rows')}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create function user_facts_truncated() returns trigger language plpgsql as $$
    begin
      delete from period_totals;
      delete from activity_bits;
      return null;
    end $$`).execute(db);
  await sql.raw(`create trigger user_facts_aggregates_insert after insert on user_facts
    referencing new table as new_rows for each statement execute function user_facts_inserted()`).execute(db);
  await sql.raw(`create trigger user_facts_aggregates_delete after delete on user_facts
    referencing old table as old_rows for each statement execute function user_facts_deleted()`).execute(db);
  await sql.raw(`create trigger user_facts_aggregates_update after update on user_facts
    referencing old table as old_rows new table as new_rows for each statement execute function user_facts_updated()`).execute(db);
  await sql.raw(`create trigger user_facts_aggregates_truncate after truncate on user_facts
    for each statement execute function user_facts_truncated()`).execute(db);

  // Backfill from the facts already stored.
  await sql.raw(`insert into period_totals (${TOTAL_COLUMNS}) ${totalsOf('user_facts', '')}`).execute(db);
  await sql.raw(`insert into activity_bits (series, bucket, public_id, mask) ${bitsOf('user_facts')}`).execute(db);

  await sql`create index directory_accounts_seats on directory_accounts (snapshot_id, user_status)
    include (public_id, last_day_active)`.execute(db);
  for (const map of ['gpt', 'project', 'tool'] as const) {
    await sql.raw(`create index user_facts_${map}_used on user_facts (grain, period_start, public_id)
      where ${map}_to_messages is not null and ${map}_to_messages <> '{}'::jsonb`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const map of ['gpt', 'project', 'tool'] as const) await sql.raw(`drop index if exists user_facts_${map}_used`).execute(db);
  await sql`drop index if exists directory_accounts_seats`.execute(db);
  for (const event of ['insert', 'delete', 'update', 'truncate']) {
    await sql.raw(`drop trigger if exists user_facts_aggregates_${event} on user_facts`).execute(db);
  }
  for (const fn of ['user_facts_inserted', 'user_facts_deleted', 'user_facts_updated', 'user_facts_truncated']) {
    await sql.raw(`drop function if exists ${fn}()`).execute(db);
  }
  await sql`drop table if exists activity_bits`.execute(db);
  await sql`drop table if exists period_totals`.execute(db);
  await sql`drop function if exists activity_ordinal(text, date)`.execute(db);
  await sql`drop function if exists activity_series(text, date)`.execute(db);
}
