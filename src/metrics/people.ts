/**
 * `top-users` and `power-users` (docs/design.md §5): per-person rows in the Users report's columns,
 * aggregated over P's covered part, identity from the directory as of P's end.
 *
 * Power users (§5 precise rules): rank every sender by messages (descending, ties by public_id in
 * byte order), keep rank ≤ ceil(0.2 × senders) first, then require messages / (days / 7) ≥ 75
 * and ≥ 3 distinct tool names over the whole of P. A user failing the last two frees no place.
 *
 * Where §5 is silent:
 * - "Days in P" are the days of P's covered part (P is answered over its covered part): up to
 *   the newest data day for a partial period, and from the oldest data day for a period starting
 *   before the data. The rate test is done in integers: messages ≥ ⌈75 × days / 7⌉.
 * - A tool counts when its map entry is above 0 somewhere in P.
 * - Row columns follow the Users report: identity as of P's end (blank for people not in the
 *   directory), `is_active` 1, first/last day active = earliest/latest over the period's facts,
 *   counts summed, maps merged (summed per key), `*_messaged` = keys of the merged map,
 *   `messages_rank` = the rank above, `last_day_active` = the latest over the facts and the
 *   directory as of P's end, `credits_used` summed (null when never reported), `groups` = the
 *   group names.
 * - With a group filter, senders are the group's members as of P's end; ranks are within them.
 * - `restrictToGroupIds` keeps only rows of people in those groups; `aggregateOnly` gives no
 *   rows (values stay).
 *
 * Rankings, totals and tool sets come from the per-user summaries (people-rank.ts,
 * migrations/0012), maps from the facts of the people shown; every sender's row (the JSON
 * answer) can be streamed (`stream`): the first rows as above, then every other sender's totals
 * and maps from one pass over P's facts (everySender).
 */
import { sql, type ControlledTransaction, type Transaction } from 'kysely';
import type { Database, Db, DbOrTx } from '../store/schema.ts';
import { cursorPages } from '../exports/cursor.ts';
import type { MetricAnswer, MetricRequest, TopUsersOptions } from './types.ts';
import { factsCondition, factsIn, membersAtEnd, type GroupMembers } from './activity.ts';
import { EVENT_TOOL_WARNING, frame, requireAnswerable } from './metric-answer.ts';
import { loadCtx, snapshotAsOf, type Ctx } from './context.ts';
import { resolveRange, type FactPart } from './coverage.ts';
import { daysIn } from '../core/periods.ts';
import { bitsFilter } from '../store/aggregates.ts';
import { countSenders, detailsOf, firstSenders, keyCondition, keysOfParts, rankBySums, rankPowerUsers } from './people-rank.ts';
import { assembleRows, directoryRows, groupNamesById, keyIn } from './people-rows.ts';
import { mergeFactMaps, type CountMap, type Detail, type FactMaps, type Identity, type PeopleMaps, type Ranked } from './user-row.ts';
import { SENDER_COLUMNS } from './sender-rows.ts';
import { SenderRowsThread } from './sender-rows-thread.ts';
import type { RowsPage } from '../core/rows-json.ts';

export const POWER_SHARE_DIVISOR = 5; // top 20 %
export const POWER_MESSAGES_PER_WEEK = 75;
export const POWER_MIN_TOOLS = 3;

/**
 * Rows a streamed answer without a group holds in `rows`: what a chart of the answer shows at
 * most (MAX_BARS), read as a chat message's first rows are (cheap); the rest come through the
 * cursor. With a group, the first STREAM_PAGE_ROWS.
 */
export const STREAM_FIRST_ROWS = 20;
/** Rows per page of a streamed answer's `moreRows` (what one cursor fetch brings). */
export const STREAM_PAGE_ROWS = 1_000;

/**
 * The rows to read: the first `limit` (a chat message's), or all (null). A group-limited viewer
 * sees only some of the ranked rows, and the first `limit` of those are not known before every
 * row is: such a caller gets every row.
 */
function rowLimit(req: MetricRequest, opts: TopUsersOptions): number | null {
  return opts.limit !== undefined && req.restrictToGroupIds === undefined ? opts.limit : null;
}

export async function topUsers(db: DbOrTx, req: MetricRequest, opts: TopUsersOptions = {}): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const res = resolveRange(ctx.src, ctx.range);
  requireAnswerable(res);
  const answer = frame(ctx, res);
  const parts = res.kind === 'ok' ? res.parts : [];
  const limit = rowLimit(req, opts);
  const members = membersAtEnd(ctx);
  if (!req.aggregateOnly && parts.length > 0) {
    if (limit === null && opts.stream && req.restrictToGroupIds === undefined) {
      // Every sender, streamed: the first rows read as a chat message's are; the rest through a
      // cursor, opened only once they are read (after the answer, when nothing else needs the
      // store's connection: an embedded store has one).
      // With a group the ranking sums every member's rows anyway, and a page of them read by key
      // costs far less than the cursor's pass over every fact of P: most groups fit in it.
      const first = opts.streamFirstRows ?? (members === null ? STREAM_FIRST_ROWS : STREAM_PAGE_ROWS);
      const [ranking, groupNames] = await Promise.all([
        members === null ? firstRanked(ctx, parts, first) : rankBySums(ctx, parts, members, first),
        groupNamesById(ctx),
      ]);
      const ids = ranking.ranked.map((r) => r.public_id);
      const [maps, people] =
        ids.length === 0 ? [new Map() as PeopleMaps, new Map<string, Identity>()] : await Promise.all([senderMaps(ctx, parts, ids), directoryRows(ctx, keyIn(ids))]);
      const senders = ranking.ranked[0]?.senders ?? 0;
      answer.rowsTotal = senders;
      answer.rows = assembleRows(ctx, ranking.ranked, ranking.facts, maps, people, groupNames);
      if (senders > ids.length) answer.moreRows = everySender(ctx, parts, members, groupNames, senders, ids.length, opts.streamPageRows ?? STREAM_PAGE_ROWS);
    } else if (limit === null) {
      // Every sender: ranking, maps and directory rows at once (senders from the activity bits).
      const [ranking, maps, people, groupNames] = await Promise.all([
        rankBySums(ctx, parts, members, null),
        senderMaps(ctx, parts, null),
        directoryRows(ctx, sql`a.account_key in (select b.public_id from activity_bits b where ${bitsFilter(keysOfParts(parts)).where})`),
        groupNamesById(ctx),
      ]);
      answer.rows = assembleRows(ctx, ranking.ranked, ranking.facts, maps, people, groupNames);
    } else {
      // The first `limit`: their totals, maps and directory rows once they are known.
      const ranking = members === null ? await firstRanked(ctx, parts, limit) : await rankBySums(ctx, parts, members, limit);
      const ids = ranking.ranked.map((r) => r.public_id);
      const [maps, people, groupNames] =
        ids.length === 0
          ? [new Map() as PeopleMaps, new Map<string, Identity>(), new Map<string, string>()]
          : await Promise.all([senderMaps(ctx, parts, ids), directoryRows(ctx, keyIn(ids)), groupNamesById(ctx)]);
      answer.rowsTotal = ranking.ranked[0]?.senders ?? 0;
      answer.rows = assembleRows(ctx, ranking.ranked, ranking.facts, maps, people, groupNames);
    }
  }
  if (ctx.src.usageSource === 'events' && answer.rows.length > 0) answer.warnings.push(EVENT_TOOL_WARNING);
  return answer;
}

/** A person's summed columns over P, read from the facts `f` themselves (as DETAIL_SUMS from summaries). */
const FACT_SUMS = sql`min(f.first_day_active_in_period) as first_day, max(f.last_day_active_in_period) as last_day,
  sum(f.messages) as messages, sum(f.gpt_messages) as gpt_messages, sum(f.tool_messages) as tool_messages,
  sum(f.project_messages) as project_messages, sum(f.projects_created) as projects_created,
  sum(f.credits_used) as credits_used, max(f.last_day_active) as last_day_active`;

/**
 * A person's four kinds of maps over the facts grouped (the aggregate's `ms`, `gs`, `ts`, `ps`:
 * `jsonb[]`, the stored values gathered) printed as the text of one JSON array, a list per kind
 * (`null` for a missing map). Printed in the statement's last step, row by row as the cursor is
 * read, so that work overlaps the process's instead of coming before the first row, as printing
 * each fact's maps in the aggregate did (the server's CPU before the first page 1.4 → 1.2 s).
 */
const MAPS_TEXT = sql`concat('[[', array_to_string(r.ms, ',', 'null'), '],[', array_to_string(r.gs, ',', 'null'), '],[',
  array_to_string(r.ts, ',', 'null'), '],[', array_to_string(r.ps, ',', 'null'), ']]')`;

/**
 * Every sender's row in rank order after the first `after`, `pageRows` at a time, from one
 * statement read through a cursor: one pass over P's facts, summed and their maps gathered per
 * person, ranked, the directory as of P's end joined, each row printed as one JSON text
 * (SENDER_COLUMNS, then MAPS_TEXT) and built into the answer's text on a thread of its own
 * (sender-rows-thread.ts) while this one reads the next page and writes the last. The facts are
 * read for their maps anyway, so their counts are summed in the same pass rather than from the
 * summaries in a second; the maps travel as text (a `jsonb_agg` of them cost the database about
 * three times as much, building and printing jsonb) and are parsed and merged on the row thread,
 * which costs far less than expanding every map entry into a row and grouping in
 * SQL. The facts are grouped by their key in byte order (`collate "C"`: the same groups, sorted
 * without the locale's rules, which cost the server ~0.15 s of CPU on 243k facts). Runs in its own transaction (or the caller's), ended when the
 * reader finishes or stops.
 */
async function* everySender(
  ctx: Ctx,
  parts: FactPart[],
  members: GroupMembers | null,
  groupNames: Map<string, string>,
  senders: number,
  after: number,
  pageRows: number,
): AsyncGenerator<RowsPage> {
  const snap = snapshotAsOf(ctx.src.snapshots, ctx.range.end);
  const query = sql<{ row: string }>`
    with u as (
      select f.public_id collate "C" as public_id, ${FACT_SUMS}, array_agg(f.model_to_messages) as ms,
        array_agg(f.gpt_to_messages) as gs, array_agg(f.tool_to_messages) as ts, array_agg(f.project_to_messages) as ps
      from ${factsIn(parts, members)}
      group by f.public_id collate "C"
      having sum(f.messages) > 0)
    select concat('[', json_build_array(${sql.join(SENDER_COLUMNS.map((c) => sql.ref(`r.${c}`)))})::text, ',', ${MAPS_TEXT}, ']') as row
    from (
      select u.*, row_number() over (order by u.messages desc, u.public_id collate "C") as rk,
        a.account_key, a.name, a.email, a.role, a.user_role, a.department,
        a.group_ids, a.user_status, a.created_or_invited_date, a.last_day_active as directory_last_day_active
      from u
      left join directory_accounts a on a.snapshot_id = ${snap?.id ?? -1}::int and a.account_key = u.public_id) r
    where r.rk > ${after}
    -- the ranking's own order: rows leave the window as they are ranked, no second sort
    order by r.messages desc, r.public_id collate "C"`;
  // Started first: the thread loads while the database works towards the first row.
  const thread = new SenderRowsThread(senders, groupNames);
  let own: ControlledTransaction<Database> | null = null;
  let finished = false;
  try {
    // Inside the try: a transaction that cannot start still ends the thread (it would keep the
    // process alive).
    own = ctx.db.isTransaction ? null : await (ctx.db as Db).startTransaction().setIsolationLevel('repeatable read').execute();
    const trx = own ?? (ctx.db as Transaction<Database>);
    // Each page goes to the thread as it is read; the one before it is handed over meanwhile, so
    // the thread builds a page while this thread reads the next and writes the last.
    const building: Array<Promise<RowsPage>> = [];
    for await (const page of cursorPages(trx, query, pageRows)) {
      const built = thread.build(page.map((r) => r.row));
      // Awaited in turn below; marked handled so a failure while an earlier page is written is not "unhandled".
      built.catch(() => undefined);
      building.push(built);
      if (building.length > 1) yield await building.shift()!;
    }
    for (const built of building.splice(0)) yield await built;
    finished = true;
  } finally {
    try {
      if (own) await (finished ? own.commit() : own.rollback()).execute();
    } finally {
      await thread.close();
    }
  }
}

/** The first `limit` senders of the whole workspace, with their totals and the number of senders. */
async function firstRanked(ctx: Ctx, parts: FactPart[], limit: number): Promise<{ ranked: Ranked[]; facts: Map<string, Detail> }> {
  const [first, senders] = await Promise.all([firstSenders(ctx, parts, limit), countSenders(ctx, parts, null)]);
  const facts = await detailsOf(ctx, parts, first.map((r) => r.public_id));
  const ranked = first.map((r, i) => ({ public_id: r.public_id, messages: r.messages, rk: i + 1, senders }));
  return { ranked, facts };
}

/**
 * The merged maps of every sender (or of `ids`): every fact's maps as they are, merged here
 * (summed per key, entries above 0 kept), which costs far less than expanding every map entry
 * into a row and grouping in SQL.
 */
async function senderMaps(ctx: Ctx, parts: FactPart[], ids: string[] | null): Promise<PeopleMaps> {
  const { rows } = await sql<{ public_id: string; model: CountMap | null; gpt: CountMap | null; tool: CountMap | null; project: CountMap | null }>`
    select f.public_id, f.model_to_messages as model, f.gpt_to_messages as gpt, f.tool_to_messages as tool,
      f.project_to_messages as project
    from ${
      ids === null
        ? factsIn(parts, membersAtEnd(ctx))
        : // the people's own facts, looked up by key (they are senders of P, members if filtered)
          sql`jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as i(public_id)
            join lateral (select * from user_facts f where f.public_id = i.public_id and ${keyCondition(keysOfParts(parts))}) f on true`
    }`.execute(ctx.db);
  const facts = new Map<string, FactMaps[]>();
  for (const f of rows) {
    const mine = facts.get(f.public_id);
    if (mine) mine.push([f.model, f.gpt, f.tool, f.project]);
    else facts.set(f.public_id, [[f.model, f.gpt, f.tool, f.project]]);
  }
  const maps: PeopleMaps = new Map();
  for (const [id, mine] of facts) maps.set(id, mergeFactMaps(mine));
  return maps;
}

/**
 * Power users: the senders counted, the power users ranked (people-rank.ts), then for those shown
 * (the first `limit`, or all) their totals, maps and directory rows as of P's end.
 */
async function powerCandidates(ctx: Ctx, parts: FactPart[], days: number, limit: number | null) {
  const members = membersAtEnd(ctx);
  const senders = await countSenders(ctx, parts, members);
  const rules = {
    places: Math.ceil(senders / POWER_SHARE_DIVISOR),
    need: Math.ceil((POWER_MESSAGES_PER_WEEK * days) / 7),
    tools: POWER_MIN_TOOLS,
  };
  const all = await rankPowerUsers(ctx, parts, members, rules);
  const shown = limit === null ? all : all.slice(0, limit);
  const ids = shown.map((r) => r.public_id);
  const [facts, maps, people] =
    ids.length === 0
      ? [new Map<string, Detail>(), new Map() as PeopleMaps, new Map<string, Identity>()]
      : await Promise.all([detailsOf(ctx, parts, ids), senderMaps(ctx, parts, ids), directoryRows(ctx, keyIn(ids))]);
  const ranked: Ranked[] = shown.map((r) => ({ ...r, senders }));
  return { ranked, senders, power: all.length, facts, maps, people };
}

export async function powerUsers(db: DbOrTx, req: MetricRequest, opts: TopUsersOptions = {}): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const res = resolveRange(ctx.src, ctx.range);
  requireAnswerable(res);
  const answer = frame(ctx, res);
  const parts = res.kind === 'ok' ? res.parts : [];
  const days = res.covered === null ? 0 : daysIn(res.covered);
  const limit = rowLimit(req, opts);
  // The aggregate form shows no rows: only the counts are read.
  const [power, groupNames] = await Promise.all([
    powerCandidates(ctx, parts, days, req.aggregateOnly ? 0 : limit),
    groupNamesById(ctx),
  ]);
  answer.values = { power_users: power.power, senders: power.senders };
  if (!req.aggregateOnly) {
    answer.rows = assembleRows(ctx, power.ranked, power.facts, power.maps, power.people, groupNames);
    if (limit !== null) answer.rowsTotal = power.power;
  }
  if (ctx.src.usageSource === 'events' && answer.rows.length > 0) answer.warnings.push(EVENT_TOOL_WARNING);
  return answer;
}
