/**
 * Ranking senders from the per-user summaries (`user_summaries`, migrations/0012: one narrow row
 * per fact, kept by triggers), never from the wide fact rows. §5's order: messages descending,
 * then public_id in byte order.
 *
 * How much is read depends on the question:
 * - one fact key (a week, a month, a day), no group: the first rows of the rank index;
 * - several keys, no group, the first N: a threshold search. The first K rows of each key's rank
 *   index are the candidates; their exact totals over P are summed; anyone outside every list has
 *   at most the sum of the lists' K-th values. When the N-th candidate is above that, the first
 *   N are exact; else K grows and the search repeats. A few hundred rows per key, not every
 *   sender's;
 * - power users (several keys, no group): a power user sends at least `need` messages over P's
 *   keys, so in some key at least ceil(need / keys): those are the candidates, read from the
 *   rank index, and their exact totals decide (P's rows of the candidates read in one pass,
 *   against a hash of them). Everyone ranked above a candidate who passes the rate test is a
 *   candidate too, so ranks among those are ranks among all senders. A candidate whose widest
 *   tool set of one period is wide enough passes the tool test; only the others' sets are
 *   united;
 * - a group filter, or every sender (the JSON answer): the narrow rows of P summed per user.
 */
import { sql, type RawBuilder } from 'kysely';
import { addDays } from '../core/periods.ts';
import { countActiveUsers, keyTotals } from '../store/aggregates.ts';
import { factsCondition, groupMembers, type GroupMembers } from './activity.ts';
import type { Ctx } from './context.ts';
import type { FactPart } from './coverage.ts';
import { detailOf, type Detail, type Ranked } from './user-row.ts';

export interface FactKey {
  grain: string;
  pstart: string;
}

/** Every fact key of the parts (one per day of a day range). */
export function keysOfParts(parts: readonly FactPart[]): FactKey[] {
  const out: FactKey[] = [];
  for (const p of parts) for (let d = p.from; d <= p.to; d = addDays(d, 1)) out.push({ grain: p.grain, pstart: d });
  return out;
}

/** The summary rows of P (and of the group's members), as `f`. */
function summariesIn(parts: readonly FactPart[], members: GroupMembers | null): RawBuilder<unknown> {
  return sql`user_summaries f where ${factsCondition(parts, members)}`;
}

/** The summed columns of a person over P, from summary rows `f`. */
export const DETAIL_SUMS = sql`min(f.first_day) as first_day, max(f.last_day) as last_day, sum(f.messages) as messages,
  sum(f.gpt_messages) as gpt_messages, sum(f.tool_messages) as tool_messages, sum(f.project_messages) as project_messages,
  sum(f.projects_created) as projects_created, sum(f.credits_used) as credits_used, max(f.last_day_active) as last_day_active`;

/** How many people sent a message in P (of the group, with members). */
export async function countSenders(ctx: Ctx, parts: readonly FactPart[], members: GroupMembers | null): Promise<number> {
  const keys = keysOfParts(parts);
  if (keys.length === 0) return 0;
  if (members === null && keys.length === 1) {
    return (await keyTotals(ctx.db, keys))[0]?.active_users ?? 0;
  }
  return countActiveUsers(ctx.db, keys, members === null ? null : groupMembers(members.snapshotId, members.groupIds));
}

/** Every sender (or the first `limit`) ranked, with their totals, summing P's summary rows per person. */
export async function rankBySums(
  ctx: Ctx,
  parts: readonly FactPart[],
  members: GroupMembers | null,
  limit: number | null,
): Promise<{ ranked: Ranked[]; facts: Map<string, Detail> }> {
  const { rows } = await sql<Detail & { senders: number }>`
    select * from (
      select f.public_id, ${DETAIL_SUMS}, count(*) over () as senders
      from ${summariesIn(parts, members)}
      group by f.public_id
      having sum(f.messages) > 0) u
    order by u.messages desc, u.public_id collate "C"
    ${limit === null ? sql`` : sql`limit ${limit}`}`.execute(ctx.db);
  const ranked: Ranked[] = [];
  const facts = new Map<string, Detail>();
  rows.forEach((r, i) => {
    const messages = Number(r.messages);
    ranked.push({ public_id: r.public_id, messages, rk: i + 1, senders: Number(r.senders) });
    facts.set(r.public_id, detailOf(r, messages));
  });
  return { ranked, facts };
}

/**
 * The keys as a condition on `f` that a primary-key lookup of one person can use: per grain, the
 * list of its period starts (a day range spelled out day by day).
 */
export function keyCondition(keys: readonly FactKey[]): RawBuilder<unknown> {
  const byGrain = new Map<string, string[]>();
  for (const k of keys) byGrain.set(k.grain, [...(byGrain.get(k.grain) ?? []), k.pstart]);
  const terms = [...byGrain].map(([g, days]) => sql`(f.grain = ${g} and f.period_start = any(${days}::date[]))`);
  return terms.length === 0 ? sql`false` : sql`(${sql.join(terms, sql` or `)})`;
}

/** `(grain, period_start)` values of the keys. */
function keyValues(keys: readonly FactKey[]): RawBuilder<unknown> {
  return sql`(values ${sql.join(keys.map((k) => sql`(${k.grain}::text, ${k.pstart}::date)`))})`;
}

/** The first `limit` senders of P by messages, without a group: public_id and messages, best first. */
export async function firstSenders(ctx: Ctx, parts: readonly FactPart[], limit: number): Promise<Array<{ public_id: string; messages: number }>> {
  const keys = keysOfParts(parts);
  if (keys.length === 0 || limit <= 0) return [];
  if (keys.length === 1) {
    const k = keys[0]!;
    const { rows } = await sql<{ public_id: string; messages: number }>`
      select f.public_id, f.messages from user_summaries f
      where f.grain = ${k.grain} and f.period_start = ${k.pstart}::date and f.messages > 0
      order by f.messages desc, f.public_id collate "C"
      limit ${limit}`.execute(ctx.db);
    return rows.map((r) => ({ public_id: r.public_id, messages: Number(r.messages) }));
  }
  for (let depth = Math.max(64, limit * 4); ; depth *= 4) {
    const { rows } = await sql<{ public_id: string | null; messages: number | null; bound: number; exhausted: boolean }>`
      with k(grain, pstart) as ${keyValues(keys)},
      l as (
        select k.grain, k.pstart, t.public_id, t.messages
        from k cross join lateral (
          select s.public_id, s.messages from user_summaries s
          where s.grain = k.grain and s.period_start = k.pstart and s.messages > 0
          order by s.messages desc, s.public_id collate "C"
          limit ${depth}) t),
      -- anyone outside every list has at most the sum of each full list's last value
      per_key as (select grain, pstart, count(*) as n, min(messages) as last from l group by grain, pstart),
      bound as (
        select coalesce(sum(last) filter (where n = ${depth}), 0) as bound, bool_and(n < ${depth}) as exhausted
        from per_key),
      c as (select distinct public_id from l),
      sums as (
        select c.public_id, x.messages from c cross join lateral (
          select sum(f.messages) as messages from user_summaries f where f.public_id = c.public_id and ${keyCondition(keys)}) x),
      best as (select * from sums order by messages desc, public_id collate "C" limit ${limit})
      select best.public_id, best.messages, bound.bound, bound.exhausted from bound left join best on true
      order by best.messages desc, best.public_id collate "C"`.execute(ctx.db);
    const found = rows.filter((r) => r.public_id !== null).map((r) => ({ public_id: r.public_id!, messages: Number(r.messages) }));
    const bound = Number(rows[0]?.bound ?? 0);
    const exhausted = rows[0]?.exhausted ?? true;
    if (exhausted || (found.length === limit && found[limit - 1]!.messages > bound)) return found;
  }
}

/** The totals over P of some people (summary rows summed), by public_id. */
export async function detailsOf(ctx: Ctx, parts: readonly FactPart[], ids: readonly string[]): Promise<Map<string, Detail>> {
  const out = new Map<string, Detail>();
  if (ids.length === 0) return out;
  const { rows } = await sql<Detail>`
    select i.public_id, x.*
    from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as i(public_id)
    cross join lateral (select ${DETAIL_SUMS} from user_summaries f where f.public_id = i.public_id and ${keyCondition(keysOfParts(parts))}) x`.execute(ctx.db);
  for (const r of rows) out.set(r.public_id, detailOf(r, Number(r.messages)));
  return out;
}

export interface PowerRules {
  /** How many senders are ranked in (ceil(senders / 5)). */
  places: number;
  /** The fewest messages over P that meet the rate test. */
  need: number;
  /** The fewest distinct tools. */
  tools: number;
}

/**
 * The power users of P, ranked: public_id, messages, rank among all senders. Reads the candidates
 * of the header (without a group) or sums every member's rows (with one).
 */
export async function rankPowerUsers(
  ctx: Ctx,
  parts: readonly FactPart[],
  members: GroupMembers | null,
  rules: PowerRules,
): Promise<Array<{ public_id: string; messages: number; rk: number }>> {
  const keys = keysOfParts(parts);
  if (keys.length === 0 || rules.places === 0) return [];
  // Senders who could pass the rate test: with a group, every member who sent; without, those
  // with at least ceil(need / keys) messages in some key (read from the rank index).
  const perKey = Math.max(1, Math.ceil(rules.need / keys.length));
  const candidates =
    members === null
      ? sql`select distinct s.public_id from ${keyValues(keys)} as k(grain, pstart)
          cross join lateral (
            select s.public_id from user_summaries s
            where s.grain = k.grain and s.period_start = k.pstart and s.messages >= ${perKey}) s`
      : sql`select distinct f.public_id from ${summariesIn(parts, members)} and f.messages > 0`;
  // One pass over P's rows of the candidates, met with a hash of them (not looked up one by one):
  // messages, and the widest single tool set. Someone whose widest set already holds enough
  // tools passes the tool test; only the others have their sets united (rare: a heavy sender
  // mostly uses several tools in one period).
  const { rows } = await sql<{ public_id: string; messages: number; rk: number }>`
    with c as (${candidates}),
    per as (
      select f.public_id, sum(f.messages) as messages, max(cardinality(f.tools)) as widest
      from user_summaries f
      where ${factsCondition(parts, null)} and f.public_id in (select c.public_id from c)
      group by f.public_id),
    -- ranks among those at or above the rate test are ranks among all senders (see the header)
    r as (
      select public_id, messages, widest, row_number() over (order by messages desc, public_id collate "C") as rk
      from per where messages >= ${rules.need} and messages > 0),
    ranked_in as (select * from r where rk <= ${rules.places})
    select p.public_id, p.messages, p.rk from ranked_in p
    where case when p.widest >= ${rules.tools} then true else (
      select count(distinct t.name)
      from user_summaries f cross join lateral unnest(f.tools) t(name)
      where f.public_id = p.public_id and ${keyCondition(keys)}) >= ${rules.tools} end
    order by p.rk`.execute(ctx.db);
  return rows.map((r) => ({ public_id: r.public_id, messages: Number(r.messages), rk: Number(r.rk) }));
}
