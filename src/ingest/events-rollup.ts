/**
 * Roll-up of events into per-user, per-day usage facts (docs/design.md §4.2): the `user_facts` row
 * (grain `day`) of each given (user, day) is recomputed from every stored event of that user on
 * that day, so running it twice, or after a re-sent batch, gives the same row. One set-based
 * statement per chunk of pairs; PostgreSQL 15 and PGlite alike.
 *
 * Column meanings for event sources: one event is one message; `tool_messages` counts events
 * with a tool, so it is a subset of `messages` (unlike exports); the maps count messages per
 * model, GPT, tool, project, skill and app, `{}` when there are none.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../store/schema.ts';
import { TOUCHED_TABLE } from './events-store.ts';

/** Recomputes the day facts of every pair in the touched table (see events-store.ts). */
export async function rollUpTouched(db: DbOrTx): Promise<number> {
  // Real statistics for the pairs, so a large batch gets a hash join, a small one index look-ups.
  await sql`analyze ${sql.table(TOUCHED_TABLE)}`.execute(db);
  // One pass over the pairs' events: each event yields one row for "all" plus one per
  // dimension it names; counts per (user, day, dimension, key) then fold into one fact row.
  const result = await sql`
    with pairs as (
      select distinct public_id, day from ${sql.table(TOUCHED_TABLE)}
    ),
    counts as (
      select e.public_id, e.day, d.dim, d.k, count(*)::int as n
      from pairs p
      join events e on e.day = p.day and e.public_id = p.public_id
      cross join lateral (values
        ('all', ''), ('model', e.model), ('gpt', e.gpt_id), ('tool', e.tool),
        ('project', e.project_id), ('skill', e.skill), ('app', e.app)
      ) as d(dim, k)
      where d.k is not null
      group by e.public_id, e.day, d.dim, d.k
    )
    insert into user_facts (
      report_id, grain, period_start, period_end, public_id,
      first_day_active_in_period, last_day_active_in_period,
      messages, messages_rank, gpt_messages, gpts_messaged, tool_messages, tools_messaged,
      project_messages, projects_messaged, projects_created, skill_messages, app_messages,
      credits_used, last_day_active,
      model_to_messages, gpt_to_messages, tool_to_messages, project_to_messages,
      skill_to_messages, app_to_messages)
    select
      null, 'day', c.day, c.day, c.public_id,
      c.day, c.day,
      coalesce(sum(c.n) filter (where c.dim = 'all'), 0)::int,
      null,
      coalesce(sum(c.n) filter (where c.dim = 'gpt'), 0)::int,
      count(*) filter (where c.dim = 'gpt')::int,
      coalesce(sum(c.n) filter (where c.dim = 'tool'), 0)::int,
      count(*) filter (where c.dim = 'tool')::int,
      coalesce(sum(c.n) filter (where c.dim = 'project'), 0)::int,
      count(*) filter (where c.dim = 'project')::int,
      0,
      coalesce(sum(c.n) filter (where c.dim = 'skill'), 0)::int,
      coalesce(sum(c.n) filter (where c.dim = 'app'), 0)::int,
      null, c.day,
      coalesce(jsonb_object_agg(c.k, c.n) filter (where c.dim = 'model'), '{}'::jsonb),
      coalesce(jsonb_object_agg(c.k, c.n) filter (where c.dim = 'gpt'), '{}'::jsonb),
      coalesce(jsonb_object_agg(c.k, c.n) filter (where c.dim = 'tool'), '{}'::jsonb),
      coalesce(jsonb_object_agg(c.k, c.n) filter (where c.dim = 'project'), '{}'::jsonb),
      coalesce(jsonb_object_agg(c.k, c.n) filter (where c.dim = 'skill'), '{}'::jsonb),
      coalesce(jsonb_object_agg(c.k, c.n) filter (where c.dim = 'app'), '{}'::jsonb)
    from counts c
    group by c.public_id, c.day
    on conflict (grain, period_start, public_id) do update set
      report_id = excluded.report_id,
      period_end = excluded.period_end,
      first_day_active_in_period = excluded.first_day_active_in_period,
      last_day_active_in_period = excluded.last_day_active_in_period,
      messages = excluded.messages,
      messages_rank = excluded.messages_rank,
      gpt_messages = excluded.gpt_messages,
      gpts_messaged = excluded.gpts_messaged,
      tool_messages = excluded.tool_messages,
      tools_messaged = excluded.tools_messaged,
      project_messages = excluded.project_messages,
      projects_messaged = excluded.projects_messaged,
      projects_created = excluded.projects_created,
      skill_messages = excluded.skill_messages,
      app_messages = excluded.app_messages,
      credits_used = excluded.credits_used,
      last_day_active = excluded.last_day_active,
      model_to_messages = excluded.model_to_messages,
      gpt_to_messages = excluded.gpt_to_messages,
      tool_to_messages = excluded.tool_to_messages,
      project_to_messages = excluded.project_to_messages,
      skill_to_messages = excluded.skill_to_messages,
      app_to_messages = excluded.app_to_messages`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
