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
 *   before the data. The rate test is done in integers: messages × 7 ≥ 75 × days.
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
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest, TopUsersOptions } from './types.ts';
import { factsCondition, factsIn, membersAtEnd } from './activity.ts';
import { EVENT_TOOL_WARNING, frame, requireAnswerable } from './metric-answer.ts';
import { loadCtx, snapshotAsOf, type Ctx } from './context.ts';
import { resolveRange, type FactPart } from './coverage.ts';
import { addDays, daysIn } from '../core/periods.ts';
import { bitsFilter } from '../store/aggregates.ts';
import {
  addFactMaps,
  assembleRows,
  detailOf,
  directoryRows,
  emptyMaps,
  groupNamesById,
  keepPositive,
  keyIn,
  type CountMap,
  type Detail,
  type FactMaps,
  type Identity,
  type PeopleMaps,
  type Ranked,
} from './people-rows.ts';

export const POWER_SHARE_DIVISOR = 5; // top 20 %
export const POWER_MESSAGES_PER_WEEK = 75;
export const POWER_MIN_TOOLS = 3;

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
  if (!req.aggregateOnly && parts.length > 0) {
    let ranking: { ranked: Ranked[]; facts: Map<string, Detail> };
    let maps: PeopleMaps;
    let people: Map<string, Identity>;
    let groupNames: Map<string, string>;
    if (limit === null) {
      // Every sender: ranking, maps and directory rows at once (senders from the activity bits).
      [ranking, maps, people, groupNames] = await Promise.all([
        rankSenders(ctx, parts, null),
        senderMaps(ctx, parts, null),
        directoryRows(ctx, sql`a.account_key in (select b.public_id from activity_bits b where ${bitsFilter(dayKeys(parts)).where})`),
        groupNamesById(ctx),
      ]);
    } else {
      // The first `limit`: their maps and directory rows once they are known.
      ranking = await rankSenders(ctx, parts, limit);
      const ids = ranking.ranked.map((r) => r.public_id);
      [maps, people, groupNames] =
        ids.length === 0
          ? [new Map(), new Map(), new Map()]
          : await Promise.all([senderMaps(ctx, parts, ids), directoryRows(ctx, keyIn(ids)), groupNamesById(ctx)]);
      answer.rowsTotal = ranking.ranked[0]?.senders ?? 0;
    }
    answer.rows = assembleRows(ctx, ranking.ranked, ranking.facts, maps, people, groupNames);
  }
  if (ctx.src.usageSource === 'events' && answer.rows.length > 0) answer.warnings.push(EVENT_TOOL_WARNING);
  return answer;
}

/** Every fact key of the parts (one per day of a day range). */
function dayKeys(parts: FactPart[]): Array<{ grain: string; pstart: string }> {
  return parts.flatMap((p) => {
    const out: Array<{ grain: string; pstart: string }> = [];
    for (let d = p.from; d <= p.to; d = addDays(d, 1)) out.push({ grain: p.grain, pstart: d });
    return out;
  });
}

/** Every sender (or the first `limit`) ranked, with their aggregated facts. */
async function rankSenders(
  ctx: Ctx,
  parts: FactPart[],
  limit: number | null,
): Promise<{ ranked: Ranked[]; facts: Map<string, Detail> }> {
  const { rows } = await sql<Detail & { rk: number; senders: number }>`
    with u as (
      select f.public_id, min(f.first_day_active_in_period) as first_day, max(f.last_day_active_in_period) as last_day,
        sum(f.messages) as messages, sum(f.gpt_messages) as gpt_messages, sum(f.tool_messages) as tool_messages,
        sum(f.project_messages) as project_messages, sum(f.projects_created) as projects_created,
        sum(f.credits_used) as credits_used, max(f.last_day_active) as last_day_active
      from ${factsIn(parts, membersAtEnd(ctx))}
      group by f.public_id
      having sum(f.messages) > 0),
    r as (
      select u.*, row_number() over (order by messages desc, public_id collate "C") as rk, count(*) over () as senders
      from u)
    select * from r ${limit === null ? sql`` : sql`where rk <= ${limit}`} order by rk`.execute(ctx.db);
  const ranked: Ranked[] = [];
  const facts = new Map<string, Detail>();
  for (const r of rows) {
    const messages = Number(r.messages);
    ranked.push({ public_id: r.public_id, messages, rk: Number(r.rk), senders: Number(r.senders) });
    facts.set(r.public_id, detailOf(r, messages));
  }
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
    from ${factsIn(parts, membersAtEnd(ctx))}
    ${ids === null ? sql`` : sql`and f.public_id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`}`.execute(ctx.db);
  const maps: PeopleMaps = new Map();
  for (const f of rows) {
    let merged = maps.get(f.public_id);
    if (!merged) maps.set(f.public_id, (merged = emptyMaps()));
    addFactMaps(merged, [f.model, f.gpt, f.tool, f.project]);
  }
  for (const merged of maps.values()) keepPositive(merged);
  return maps;
}

interface PowerRow extends Detail, Partial<Omit<Identity, 'last_day_active'>> {
  directory_last_day_active: string | null;
  rk: number | null;
  senders: number;
  /** The number of power users (on the last row only). */
  power: number | null;
  /** Each fact's model, GPT, tool and project maps. */
  maps: FactMaps[] | null;
}

/**
 * Power users in one statement: senders ranked, the top ceil(senders / 5) kept, then the rate
 * test and the tool test (distinct tool names with an entry above 0 in some fact of P, read from
 * the facts' tool maps); then, for the power users shown (the first `limit`, or all), their
 * aggregated facts, every fact's maps (merged here) and their directory row as of P's end. Also
 * the number of senders and of power users.
 */
async function powerCandidates(ctx: Ctx, parts: FactPart[], days: number, limit: number | null) {
  const ranked: Ranked[] = [];
  const facts = new Map<string, Detail>();
  const maps: PeopleMaps = new Map();
  const people = new Map<string, Identity>();
  if (parts.length === 0) return { ranked, senders: 0, power: 0, facts, maps, people };
  const snap = snapshotAsOf(ctx.src.snapshots, ctx.range.end);
  const { rows } = await sql<PowerRow>`
    with u as (
      select f.public_id, sum(f.messages) as messages
      from ${factsIn(parts, membersAtEnd(ctx))}
      group by f.public_id
      having sum(f.messages) > 0),
    r as (
      select public_id, messages,
        row_number() over (order by messages desc, public_id collate "C") as rk,
        count(*) over () as senders
      from u),
    top as (
      select public_id, messages, rk, senders from r
      where rk <= (senders + ${POWER_SHARE_DIVISOR - 1}) / ${POWER_SHARE_DIVISOR}
        and messages * 7 >= ${POWER_MESSAGES_PER_WEEK * days}),
    tools as (
      select f.public_id
      from user_facts f
      join top on top.public_id = f.public_id
      cross join lateral jsonb_each(f.tool_to_messages) t
      -- the predicate of the partial index user_facts_tool_used (migration 0004)
      where ${factsCondition(parts)} and f.tool_to_messages is not null and f.tool_to_messages <> '{}'::jsonb
        and (t.value)::numeric > 0
      group by f.public_id
      having count(distinct t.key) >= ${POWER_MIN_TOOLS}),
    ok as (
      select top.*, row_number() over (order by top.rk) as n
      from top join tools on tools.public_id = top.public_id),
    -- a LIMIT (not a filter on n) lets the planner see how few rows are shown, and look their
    -- facts and directory rows up by key instead of reading the period's every fact
    shown as (select * from ok ${limit === null ? sql`` : sql`order by n limit ${limit}`}),
    d as (
      select f.public_id, min(f.first_day_active_in_period) as first_day, max(f.last_day_active_in_period) as last_day,
        sum(f.gpt_messages) as gpt_messages, sum(f.tool_messages) as tool_messages,
        sum(f.project_messages) as project_messages, sum(f.projects_created) as projects_created,
        sum(f.credits_used) as credits_used, max(f.last_day_active) as last_day_active,
        jsonb_agg(jsonb_build_array(f.model_to_messages, f.gpt_to_messages, f.tool_to_messages, f.project_to_messages)) as maps
      from user_facts f
      join shown on shown.public_id = f.public_id
      where ${factsCondition(parts)}
      group by f.public_id)
    select shown.public_id, shown.messages, shown.rk, shown.senders, null::bigint as power, d.first_day, d.last_day,
      d.gpt_messages, d.tool_messages, d.project_messages, d.projects_created, d.credits_used, d.last_day_active, d.maps,
      a.account_key, a.name, a.email, a.role, a.user_role, a.department, a.group_ids, a.user_status,
      a.created_or_invited_date, a.last_day_active as directory_last_day_active
    from shown
    join d on d.public_id = shown.public_id
    left join directory_accounts a on a.snapshot_id = ${snap?.id ?? -1}::int and a.account_key = shown.public_id
    union all
    select null, null, null, (select count(*) from u), (select count(*) from ok), null, null, null, null, null, null, null,
      null, null, null, null, null, null, null, null, null, null, null, null
    order by rk nulls last`.execute(ctx.db);
  const last = rows[rows.length - 1];
  const senders = Number(last?.senders ?? 0);
  const power = Number(last?.power ?? 0);
  for (const r of rows) {
    if (r.rk === null) continue;
    const merged = emptyMaps();
    for (const fact of r.maps ?? []) addFactMaps(merged, fact);
    keepPositive(merged);
    const messages = Number(r.messages);
    ranked.push({ public_id: r.public_id, messages, rk: Number(r.rk), senders });
    facts.set(r.public_id, detailOf(r, messages));
    maps.set(r.public_id, merged);
    if (r.account_key != null) {
      people.set(r.public_id, {
        account_key: r.account_key,
        name: r.name ?? null,
        email: r.email ?? null,
        role: r.role ?? null,
        user_role: r.user_role ?? null,
        department: r.department ?? null,
        group_ids: r.group_ids ?? [],
        user_status: r.user_status!,
        created_or_invited_date: r.created_or_invited_date ?? null,
        last_day_active: r.directory_last_day_active,
      });
    }
  }
  return { ranked, senders, power, facts, maps, people };
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
