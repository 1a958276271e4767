/**
 * Per-user summaries of `user_facts` for the rankings of docs/design.md §5 (`top-users`,
 * `power-users`), kept exact by statement-level triggers on `user_facts` inside the writing
 * transaction (like migration 0004), so every import, replaced report, demo reset, event roll-up
 * and deletion keeps them right, all or nothing; backfilled here from the facts already stored.
 * Frozen in time: this file never imports application code.
 *
 * `user_summaries`: one row per fact row (grain, period_start, public_id), without its maps —
 * the counted columns, first/last day active, `last_day_active`, `credits_used`, and `tools`, the
 * set of tool names with an entry above 0 in the fact's tool map (sorted, byte order). A tool set,
 * not a count: distinct tools over several periods are the union of their sets.
 *
 * - A ranking over one fact key (a week, a month, a day) reads the first rows of
 *   `user_summaries_rank` (messages descending, then public_id in byte order: §5's order) and
 *   stops; over several keys it aggregates these narrow rows instead of the facts.
 * - The power-user tool test reads `tools` instead of expanding every fact's tool map.
 */
import { sql, type Kysely } from 'kysely';

const COLUMNS = `grain, period_start, public_id, messages, gpt_messages, tool_messages, project_messages,
  projects_created, credits_used, first_day, last_day, last_day_active, tools`;

/** The summary rows of fact rows `rows` (a table or transition table). */
function summariesOf(rows: string): string {
  return `select f.grain, f.period_start, f.public_id, f.messages, f.gpt_messages, f.tool_messages,
      f.project_messages, f.projects_created, f.credits_used, f.first_day_active_in_period,
      f.last_day_active_in_period, f.last_day_active, tool_set(f.tool_to_messages)
    from ${rows} f`;
}

const INSERT_NEW = `insert into user_summaries (${COLUMNS}) ${summariesOf('new_rows')};`;
const DELETE_OLD = `delete from user_summaries s using old_rows o
  where s.grain = o.grain and s.period_start = o.period_start and s.public_id = o.public_id;`;

export async function up(db: Kysely<any>): Promise<void> {
  // Tool names with a count above 0, sorted in byte order; '{}' for none.
  await sql.raw(`
    create function tool_set(m jsonb) returns text[]
    language sql immutable parallel safe as $$
      select coalesce(array_agg(t.key order by t.key collate "C"), '{}'::text[])
      from jsonb_each(case when jsonb_typeof(m) = 'object' then m else '{}'::jsonb end) t
      where jsonb_typeof(t.value) = 'number' and (t.value)::numeric > 0 $$`).execute(db);

  await sql.raw(`
    create table user_summaries (
      grain text not null,
      period_start date not null,
      public_id text not null,
      messages integer not null,
      gpt_messages integer not null,
      tool_messages integer not null,
      project_messages integer not null,
      projects_created integer not null,
      credits_used numeric,
      first_day date,
      last_day date,
      last_day_active date,
      tools text[] not null,
      primary key (grain, period_start, public_id))`).execute(db);
  await sql.raw(`create index user_summaries_rank on user_summaries
    (grain, period_start, messages desc, public_id collate "C") where messages > 0`).execute(db);

  await sql.raw(`
    create function user_summaries_inserted() returns trigger language plpgsql as $$
    begin
      ${INSERT_NEW}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create function user_summaries_deleted() returns trigger language plpgsql as $$
    begin
      ${DELETE_OLD}
      return null;
    end $$`).execute(db);
  // An update may change a row's key: the old rows go, the new ones come.
  await sql.raw(`
    create function user_summaries_updated() returns trigger language plpgsql as $$
    begin
      ${DELETE_OLD}
      ${INSERT_NEW}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create function user_summaries_truncated() returns trigger language plpgsql as $$
    begin
      delete from user_summaries;
      return null;
    end $$`).execute(db);
  await sql.raw(`create trigger user_summaries_insert after insert on user_facts
    referencing new table as new_rows for each statement execute function user_summaries_inserted()`).execute(db);
  await sql.raw(`create trigger user_summaries_delete after delete on user_facts
    referencing old table as old_rows for each statement execute function user_summaries_deleted()`).execute(db);
  await sql.raw(`create trigger user_summaries_update after update on user_facts
    referencing old table as old_rows new table as new_rows for each statement execute function user_summaries_updated()`).execute(db);
  await sql.raw(`create trigger user_summaries_truncate after truncate on user_facts
    for each statement execute function user_summaries_truncated()`).execute(db);

  // Backfill from the facts already stored.
  await sql.raw(`insert into user_summaries (${COLUMNS}) ${summariesOf('user_facts')}`).execute(db);
  await sql.raw('analyze user_summaries').execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const event of ['insert', 'delete', 'update', 'truncate']) {
    await sql.raw(`drop trigger if exists user_summaries_${event} on user_facts`).execute(db);
  }
  for (const fn of ['user_summaries_inserted', 'user_summaries_deleted', 'user_summaries_updated', 'user_summaries_truncated']) {
    await sql.raw(`drop function if exists ${fn}()`).execute(db);
  }
  await sql`drop table if exists user_summaries`.execute(db);
  await sql`drop function if exists tool_set(jsonb)`.execute(db);
}
