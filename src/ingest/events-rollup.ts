/**
 * Roll-up of events into per-user, per-day usage facts (docs/design.md §4.2), once per source, in
 * two set-based statements:
 * - a pair (user, day) new to the store — every one of the source's events of it went in, and it
 *   had no fact — gets the fact the process counted from the source (dayFactsOf), all such pairs
 *   in one insert (storeNewDayFacts): no stored event is read back;
 * - any other pair that gained events (a day that already had events, a source re-sent in part)
 *   has its fact recomputed from every stored event of that user on that day (rollUpTouched), so
 *   running it twice, or after a re-sent batch, gives the same row.
 * PostgreSQL 15 and PGlite alike.
 *
 * Column meanings for event sources: one event is one message; `tool_messages` counts events
 * with a tool, so it is a subset of `messages` (unlike exports); the maps count messages per
 * model, GPT, tool, project, skill and app, `{}` when there are none.
 */
import { sql } from 'kysely';
import { copyField } from '../store/copy.ts';
import type { DbOrTx } from '../store/schema.ts';
import type { BulkColumn } from './bulk-insert.ts';
import type { EventColumns } from './events-store.ts';
import { Stage } from './staging.ts';

/** Rows per batch of day facts sent to the staging table. */
const DAY_FACT_BATCH = 10_000;

/** A day fact as the process computes it from a source's events (staging columns). */
const DAY_FACT_COLUMNS: BulkColumn[] = [
  { name: 'public_id', type: 'text' },
  { name: 'day', type: 'date' },
  { name: 'messages', type: 'integer' },
  { name: 'gpt_messages', type: 'integer' },
  { name: 'gpts_messaged', type: 'integer' },
  { name: 'tool_messages', type: 'integer' },
  { name: 'tools_messaged', type: 'integer' },
  { name: 'project_messages', type: 'integer' },
  { name: 'projects_messaged', type: 'integer' },
  { name: 'skill_messages', type: 'integer' },
  { name: 'app_messages', type: 'integer' },
  { name: 'model_to_messages', type: 'jsonb' },
  { name: 'gpt_to_messages', type: 'jsonb' },
  { name: 'tool_to_messages', type: 'jsonb' },
  { name: 'project_to_messages', type: 'jsonb' },
  { name: 'skill_to_messages', type: 'jsonb' },
  { name: 'app_to_messages', type: 'jsonb' },
];

/** The labels a day fact counts messages by, in DAY_FACT_COLUMNS' map order. */
const MAPPED = ['model', 'gpt_id', 'tool', 'project_id', 'skill', 'app'] as const;

interface DayCounts {
  user: string;
  day: string;
  messages: number;
  /**
   * Per MAPPED field, its labels and their messages as [label, n, label, n, …] (a user's day
   * names a few labels: a short list scanned beats a Map per field and pair), or undefined.
   */
  labels: (Array<string | number> | undefined)[];
}

/** A label list as the fact stores it: JSON text (`{}` when empty), its messages and labels. */
function mapOf(list: Array<string | number> | undefined): { json: string; sum: number; size: number } {
  if (list === undefined) return { json: '{}', sum: 0, size: 0 };
  let json = '{';
  let sum = 0;
  for (let j = 0; j < list.length; j += 2) {
    const n = list[j + 1] as number;
    json += `${j === 0 ? '' : ','}${JSON.stringify(list[j])}:${n}`;
    sum += n;
  }
  return { json: `${json}}`, sum, size: list.length / 2 };
}

/**
 * The day facts of a source's events (each event once: the source's own repeats are gone), one
 * per (user, day), as rows of COPY's text format in DAY_FACT_COLUMNS order, in batches of
 * DAY_FACT_BATCH (a user's counts are dropped once encoded). These are the facts of pairs that had
 * no events before; `storeNewDayFacts` decides which pairs they are.
 */
export function* dayFactsOf(columns: EventColumns): Generator<{ rows: string; count: number }> {
  // users, then days: a user's days are few, so the inner maps stay small
  const byUser = new Map<string, Map<string, DayCounts>>();
  const fields = MAPPED.map((f) => columns.optional[f]);
  for (let i = 0; i < columns.length; i++) {
    const user = columns.user[i]!;
    const day = columns.day[i]!;
    let days = byUser.get(user);
    if (days === undefined) {
      days = new Map();
      byUser.set(user, days);
    }
    let counts = days.get(day);
    if (counts === undefined) {
      counts = { user, day, messages: 0, labels: [undefined, undefined, undefined, undefined, undefined, undefined] };
      days.set(day, counts);
    }
    counts.messages++;
    for (let m = 0; m < MAPPED.length; m++) {
      const label = fields[m]![i];
      if (label === null || label === undefined) continue;
      const list = counts.labels[m];
      if (list === undefined) {
        counts.labels[m] = [label, 1];
        continue;
      }
      let j = 0;
      while (j < list.length && list[j] !== label) j += 2;
      if (j < list.length) list[j + 1] = (list[j + 1] as number) + 1;
      else list.push(label, 1);
    }
  }
  let out: string[] = [];
  const batch = () => {
    out.push('');
    const rows = { rows: out.join('\n'), count: out.length - 1 };
    out = [];
    return rows;
  };
  for (const [user, days] of byUser) {
    byUser.delete(user);
    for (const c of days.values()) {
      const [model, gpt, tool, project, skill, app] = c.labels.map(mapOf) as [
        ReturnType<typeof mapOf>, ReturnType<typeof mapOf>, ReturnType<typeof mapOf>,
        ReturnType<typeof mapOf>, ReturnType<typeof mapOf>, ReturnType<typeof mapOf>,
      ];
      // DAY_FACT_COLUMNS' order; a map's JSON escapes with backslashes, which COPY's text escapes again
      out.push(
        [
          copyField(c.user), c.day, c.messages, gpt.sum, gpt.size, tool.sum, tool.size, project.sum, project.size,
          skill.sum, app.sum, copyField(model.json), copyField(gpt.json), copyField(tool.json),
          copyField(project.json), copyField(skill.json), copyField(app.json),
        ].join('\t'),
      );
    }
    if (out.length >= DAY_FACT_BATCH) yield batch();
  }
  if (out.length > 0) yield batch();
}

/** The columns a day fact is written with, in the order both writers select them. */
const INSERTED_FACT_COLUMNS = sql.raw(`report_id, grain, period_start, period_end, public_id,
  first_day_active_in_period, last_day_active_in_period,
  messages, messages_rank, gpt_messages, gpts_messaged, tool_messages, tools_messaged,
  project_messages, projects_messaged, projects_created, skill_messages, app_messages,
  credits_used, last_day_active,
  model_to_messages, gpt_to_messages, tool_to_messages, project_to_messages,
  skill_to_messages, app_to_messages`);

/**
 * The (user, day) pairs that gained events in this ingest, with how many each gained: a temporary
 * table of the transaction (dropped at commit), so the roll-up can join them with real row
 * estimates.
 */
const TOUCHED_TABLE = 'wsa_ingest_touched';

/**
 * Fills the touched table from the source's staged day facts (one per pair of the source). When
 * every event of the source went in (`allWentIn`: none was already stored), each pair gained
 * exactly the events the process counted, and nothing is read back; otherwise each pair gained the
 * events of this import stored under it, counted through the events' (day, user) index.
 */
async function collectGained(db: DbOrTx, stage: Stage, importId: number, allWentIn: boolean): Promise<void> {
  await sql`create temp table if not exists ${sql.table(TOUCHED_TABLE)} (public_id text not null, day date not null, gained integer not null) on commit drop`.execute(db);
  await sql`truncate ${sql.table(TOUCHED_TABLE)}`.execute(db);
  if (allWentIn) {
    await sql`insert into ${sql.table(TOUCHED_TABLE)} (public_id, day, gained)
      select public_id, day, messages from ${sql.table(stage.table)}`.execute(db);
    return;
  }
  await sql`insert into ${sql.table(TOUCHED_TABLE)} (public_id, day, gained)
    select s.public_id, s.day, count(*)::int
    from ${sql.table(stage.table)} s
    join events e on e.day = s.day and e.public_id = s.public_id
    where e.import_id = ${importId}::int
    group by s.public_id, s.day`.execute(db);
}

/**
 * Writes the day facts of every (user, day) that gained events from this source, once per source
 * (docs/design.md §4.2); returns how many fact rows were written. `batches` are the source's day
 * facts as the process counted them (dayFactsOf); `accepted` how many of the source's `unique`
 * events went in under `importId`.
 */
export async function rollUpSource(
  db: DbOrTx,
  batches: Iterable<{ rows: string; count: number }>,
  counts: { importId: number; accepted: number; unique: number },
): Promise<number> {
  if (counts.accepted === 0) return 0;
  const stage = new Stage('day_facts', { table: 'user_facts', columns: DAY_FACT_COLUMNS, orderBy: ['day', 'public_id'] });
  for (const batch of batches) await stage.appendCopy(db, batch.rows, batch.count);
  await collectGained(db, stage, counts.importId, counts.accepted === counts.unique);
  return (await storeNewDayFacts(db, stage)) + (await rollUpTouched(db));
}

/**
 * Stores the day facts computed in the process (dayFactsOf) for the pairs they are right for:
 * every one of the source's events of that user and day went in (none was stored before), and
 * the pair had no fact. One insert for the whole source; those pairs leave the touched table, so
 * `rollUpTouched` recomputes only the rest from the stored events. Returns how many went in.
 */
async function storeNewDayFacts(db: DbOrTx, stage: Stage): Promise<number> {
  if (stage.rows === 0) return 0;
  const { rows } = await sql<{ n: number }>`
    with stored as (
      insert into user_facts (${INSERTED_FACT_COLUMNS})
      select null, 'day', s.day, s.day, s.public_id, s.day, s.day,
        s.messages, null, s.gpt_messages, s.gpts_messaged, s.tool_messages, s.tools_messaged,
        s.project_messages, s.projects_messaged, 0, s.skill_messages, s.app_messages,
        null, s.day,
        s.model_to_messages, s.gpt_to_messages, s.tool_to_messages, s.project_to_messages,
        s.skill_to_messages, s.app_to_messages
      from ${sql.table(stage.table)} s
      join ${sql.table(TOUCHED_TABLE)} g on g.public_id = s.public_id and g.day = s.day and g.gained = s.messages
      where not exists (
        select 1 from user_facts f where f.grain = 'day' and f.period_start = s.day and f.public_id = s.public_id)
      order by s.day, s.public_id
      returning public_id, period_start
    ),
    done as (
      delete from ${sql.table(TOUCHED_TABLE)} t using stored
      where t.public_id = stored.public_id and t.day = stored.period_start
    )
    select count(*)::int as n from stored`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Recomputes the day facts of every pair left in the touched table from its stored events. */
async function rollUpTouched(db: DbOrTx): Promise<number> {
  // Real statistics for the pairs, so a large batch gets a hash join, a small one index look-ups.
  await sql`analyze ${sql.table(TOUCHED_TABLE)}`.execute(db);
  // One pass over the pairs' events: each event yields one row for "all" plus one per
  // dimension it names; counts per (user, day, dimension, key) then fold into one fact row.
  const result = await sql`
    with pairs as (
      select public_id, day from ${sql.table(TOUCHED_TABLE)}
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
    insert into user_facts (${INSERTED_FACT_COLUMNS})
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
