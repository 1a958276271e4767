/**
 * What a Users report import (issue 19) paid for and no answer read: every inserted account and
 * fact entered indexes that no query uses any more, and every fact's tool set was computed by a
 * call of an SQL function per row.
 *
 * - `user_facts_{gpt,project,tool}_used` (migration 0004): partial indexes of the facts whose map
 *   has entries. GPT and project usage are read from `item_usage` (migration 0013) and the
 *   power-user tool test from `user_summaries.tools` (0012); no query left names a map with the
 *   indexes' predicate (the skill/app maps of day facts have no such index).
 * - `directory_accounts_group_ids` (0003): a GIN index over every account's group list (~2
 *   entries per inserted account). Group breakdowns and `team:` filters of activity read
 *   `group_members` (0013); the two that test `group_ids &&` (seats and impact respondents of a
 *   group) name their snapshot: the snapshot's accounts read by an index that leads with it and
 *   filtered are faster than with the GIN index in a bitmap AND (on the 100k benchmark store with
 *   64 snapshots, 157 / 97 ms against 287 / 213 ms), and than a probe per member through
 *   `group_members` (450-600 ms on one 100k snapshot).
 * - The summaries' tool set is an array constructor inline instead of a `tool_set()` call per row
 *   (same set: names with a count above 0, sorted byte-wise, '{}' for none).
 *
 * Kept: `user_facts_counts` (covering index read by team-filtered activity), `user_facts_report`
 * (the delete of a replaced report's facts), the primary keys, `directory_accounts_email` and
 * `directory_accounts_seats`.
 * Frozen in time: never imports application code.
 */
import { sql, type Kysely } from 'kysely';

const MAPS = ['gpt', 'project', 'tool'] as const;

const COLUMNS = `grain, period_start, public_id, messages, gpt_messages, tool_messages, project_messages,
  projects_created, credits_used, first_day, last_day, last_day_active, tools`;

/** Migration 0012's summary rows, the tool set computed inline. */
function insertSummaries(toolSet: string): string {
  return `insert into user_summaries (${COLUMNS})
    select f.grain, f.period_start, f.public_id, f.messages, f.gpt_messages, f.tool_messages,
      f.project_messages, f.projects_created, f.credits_used, f.first_day_active_in_period,
      f.last_day_active_in_period, f.last_day_active, ${toolSet}
    from new_rows f;`;
}

// An array constructor over the entries (an empty one is '{}'): measured cheaper than both the
// function call and an inline `array_agg`, and than one aggregate over the whole batch.
const INLINE_TOOL_SET = `case when jsonb_typeof(f.tool_to_messages) = 'object' then array(
      select t.key from jsonb_each(f.tool_to_messages) t
      where jsonb_typeof(t.value) = 'number' and (t.value)::numeric > 0 order by t.key collate "C")
    else '{}'::text[] end`;

const DELETE_OLD = `delete from user_summaries s using old_rows o
  where s.grain = o.grain and s.period_start = o.period_start and s.public_id = o.public_id;`;

async function summaryTriggers(db: Kysely<any>, toolSet: string): Promise<void> {
  await sql.raw(`
    create or replace function user_summaries_inserted() returns trigger language plpgsql as $$
    begin
      ${insertSummaries(toolSet)}
      return null;
    end $$`).execute(db);
  await sql.raw(`
    create or replace function user_summaries_updated() returns trigger language plpgsql as $$
    begin
      ${DELETE_OLD}
      ${insertSummaries(toolSet)}
      return null;
    end $$`).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  for (const map of MAPS) await sql.raw(`drop index if exists user_facts_${map}_used`).execute(db);
  await sql`drop index if exists directory_accounts_group_ids`.execute(db);
  await summaryTriggers(db, INLINE_TOOL_SET);
}

export async function down(db: Kysely<any>): Promise<void> {
  await summaryTriggers(db, 'tool_set(f.tool_to_messages)');
  await sql`create index directory_accounts_group_ids on directory_accounts using gin (group_ids)`.execute(db);
  for (const map of MAPS) {
    await sql.raw(`create index user_facts_${map}_used on user_facts (grain, period_start, public_id)
      where ${map}_to_messages is not null and ${map}_to_messages <> '{}'::jsonb`).execute(db);
  }
}
