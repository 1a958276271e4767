/**
 * `top-users` and `power-users` (DESIGN §5): per-person rows in the Users report's columns,
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
import type { MetricAnswer, MetricRequest, TopUsersOptions } from './api.ts';
import { factsJoin, slicesValues, type Slice } from './activity.ts';
import { EVENT_TOOL_WARNING, frame, requireAnswerable } from './answer.ts';
import { loadCtx, snapshotAsOf, type Ctx } from './context.ts';
import { resolveRange, type FactPart } from './coverage.ts';
import { lengthDays } from './dates.ts';

export const POWER_SHARE_DIVISOR = 5; // top 20 %
export const POWER_MESSAGES_PER_WEEK = 75;
export const POWER_MIN_TOOLS = 3;

interface Ranked {
  public_id: string;
  messages: number;
  rk: number;
  senders: number;
}

function oneSlice(ctx: Ctx, parts: FactPart[]): Slice[] {
  const snap = ctx.group ? (snapshotAsOf(ctx.src.snapshots, ctx.range.end)?.id ?? null) : null;
  return [{ idx: 0, parts, snapshotId: snap }];
}

/** Senders ranked; `keep` limits the rows returned. */
async function rankSenders(ctx: Ctx, parts: FactPart[], keep: number | null): Promise<{ rows: Ranked[]; senders: number }> {
  if (parts.length === 0) return { rows: [], senders: 0 };
  const limit = keep === null ? sql`` : sql`where rk <= ${keep}`;
  const slices = oneSlice(ctx, parts);
  const groupIds = ctx.group?.ids ?? null;
  const { rows } = await sql<Ranked>`
    with ${slicesValues(slices, groupIds)},
    u as (
      select f.public_id, sum(f.messages) as messages
      from ${factsJoin(slices, groupIds)}
      group by f.public_id
      having sum(f.messages) > 0),
    r as (
      select public_id, messages,
        row_number() over (order by messages desc, public_id collate "C") as rk,
        count(*) over () as senders
      from u)
    select public_id, messages, rk, senders from r ${limit} order by rk`.execute(ctx.db);
  const ranked = rows.map((r) => ({ ...r, messages: Number(r.messages), rk: Number(r.rk), senders: Number(r.senders) }));
  let senders = ranked[0]?.senders ?? 0;
  if (ranked.length === 0 && keep !== null) {
    const { rows: c } = await sql<{ n: number }>`
      with ${slicesValues(slices, groupIds)}
      select count(*) as n from (
        select f.public_id from ${factsJoin(slices, groupIds)}
        group by f.public_id having sum(f.messages) > 0) u`.execute(ctx.db);
    senders = Number(c[0]?.n ?? 0);
  }
  return { rows: ranked, senders };
}

type CountMap = Record<string, number>;

interface Detail {
  public_id: string;
  first_day: string | null;
  last_day: string | null;
  messages: number;
  gpt_messages: number;
  tool_messages: number;
  project_messages: number;
  projects_created: number;
  credits_used: number | null;
  last_day_active: string | null;
}

const MAP_KINDS = ['model', 'gpt', 'tool', 'project'] as const;
type MapKind = (typeof MAP_KINDS)[number];

/** Aggregated facts and merged maps of the given people over the parts. */
async function details(
  ctx: Ctx,
  parts: FactPart[],
  ids: string[],
): Promise<{ facts: Map<string, Detail>; maps: Map<string, Record<MapKind, CountMap>> }> {
  const facts = new Map<string, Detail>();
  const maps = new Map<string, Record<MapKind, CountMap>>();
  if (ids.length === 0 || parts.length === 0) return { facts, maps };
  const sel = JSON.stringify(ids);
  const slices = [{ idx: 0, parts, snapshotId: null }];
  const [a, m] = await Promise.all([
    sql<Detail>`
      with ${slicesValues(slices)},
      sel as (select value as public_id from jsonb_array_elements_text(${sel}::jsonb))
      select f.public_id, min(f.first_day_active_in_period) as first_day, max(f.last_day_active_in_period) as last_day,
        sum(f.messages) as messages, sum(f.gpt_messages) as gpt_messages, sum(f.tool_messages) as tool_messages,
        sum(f.project_messages) as project_messages, sum(f.projects_created) as projects_created,
        sum(f.credits_used) as credits_used, max(f.last_day_active) as last_day_active
      from ${factsJoin(slices)}
      join sel on sel.public_id = f.public_id
      group by f.public_id`.execute(ctx.db),
    sql<{ public_id: string; kind: MapKind; k: string; n: number }>`
      with ${slicesValues(slices)},
      sel as (select value as public_id from jsonb_array_elements_text(${sel}::jsonb))
      select f.public_id, kv.kind, kv.k, sum(kv.n) as n
      from ${factsJoin(slices)}
      join sel on sel.public_id = f.public_id
      cross join lateral (
        select 'model' as kind, key as k, (value)::numeric as n from jsonb_each_text(f.model_to_messages)
        union all select 'gpt', key, (value)::numeric from jsonb_each_text(f.gpt_to_messages)
        union all select 'tool', key, (value)::numeric from jsonb_each_text(f.tool_to_messages)
        union all select 'project', key, (value)::numeric from jsonb_each_text(f.project_to_messages)) as kv
      group by f.public_id, kv.kind, kv.k
      having sum(kv.n) > 0`.execute(ctx.db),
  ]);
  for (const r of a.rows) {
    facts.set(r.public_id, {
      ...r,
      messages: Number(r.messages),
      gpt_messages: Number(r.gpt_messages),
      tool_messages: Number(r.tool_messages),
      project_messages: Number(r.project_messages),
      projects_created: Number(r.projects_created),
      credits_used: r.credits_used === null ? null : Number(r.credits_used),
    });
  }
  for (const r of m.rows) {
    let entry = maps.get(r.public_id);
    if (!entry) {
      entry = { model: {}, gpt: {}, tool: {}, project: {} };
      maps.set(r.public_id, entry);
    }
    entry[r.kind][r.k] = Number(r.n);
  }
  return { facts, maps };
}

interface Identity {
  account_key: string;
  name: string | null;
  email: string | null;
  role: string | null;
  user_role: string | null;
  department: unknown;
  group_ids: string[];
  user_status: string;
  created_or_invited_date: string | null;
  last_day_active: string | null;
}

async function identities(ctx: Ctx, ids: string[]): Promise<{ people: Map<string, Identity>; groupNames: Map<string, string> }> {
  const snap = snapshotAsOf(ctx.src.snapshots, ctx.range.end);
  const people = new Map<string, Identity>();
  const groupNames = new Map<string, string>();
  if (ids.length === 0 || snap === null) return { people, groupNames };
  const [p, g] = await Promise.all([
    sql<Identity>`
      select a.account_key, a.name, a.email, a.role, a.user_role, a.department, a.group_ids, a.user_status,
        a.created_or_invited_date, a.last_day_active
      from directory_accounts a
      join (select value as public_id from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)) sel
        on sel.public_id = a.account_key
      where a.snapshot_id = ${snap.id}`.execute(ctx.db),
    ctx.db.selectFrom('scim_groups').select(['group_id', 'name']).execute(),
  ]);
  for (const r of p.rows) people.set(r.account_key, r);
  for (const r of g) groupNames.set(r.group_id, r.name);
  return { people, groupNames };
}

function sortedMap(m: CountMap | undefined): CountMap {
  const out: CountMap = {};
  for (const k of Object.keys(m ?? {}).sort()) out[k] = m![k]!;
  return out;
}

async function buildRows(ctx: Ctx, parts: FactPart[], ranked: Ranked[]) {
  const ids = ranked.map((r) => r.public_id);
  const [{ facts, maps }, { people, groupNames }] = await Promise.all([details(ctx, parts, ids), identities(ctx, ids)]);
  const scope = ctx.req.restrictToGroupIds;
  const rows: Array<Record<string, unknown>> = [];
  for (const r of ranked) {
    const d = facts.get(r.public_id);
    const mp = maps.get(r.public_id);
    const who = people.get(r.public_id);
    if (scope !== undefined && !(who?.group_ids ?? []).some((g) => scope.includes(g))) continue;
    const lastActive = [d?.last_day_active ?? null, d?.last_day ?? null, who?.last_day_active ?? null]
      .filter((x): x is string => x !== null)
      .sort()
      .pop() ?? null;
    rows.push({
      public_id: r.public_id,
      name: who?.name ?? null,
      email: who?.email ?? null,
      role: who?.role ?? null,
      user_role: who?.user_role ?? null,
      department: who?.department ?? null,
      groups: (who?.group_ids ?? []).map((g) => groupNames.get(g) ?? g),
      user_status: who?.user_status ?? null,
      created_or_invited_date: who?.created_or_invited_date ?? null,
      is_active: 1,
      first_day_active_in_period: d?.first_day ?? null,
      last_day_active_in_period: d?.last_day ?? null,
      messages: r.messages,
      messages_rank: r.rk,
      model_to_messages: sortedMap(mp?.model),
      gpt_messages: d?.gpt_messages ?? 0,
      gpts_messaged: Object.keys(mp?.gpt ?? {}).length,
      gpt_to_messages: sortedMap(mp?.gpt),
      tool_messages: d?.tool_messages ?? 0,
      tools_messaged: Object.keys(mp?.tool ?? {}).length,
      tool_to_messages: sortedMap(mp?.tool),
      project_messages: d?.project_messages ?? 0,
      projects_messaged: Object.keys(mp?.project ?? {}).length,
      project_to_messages: sortedMap(mp?.project),
      projects_created: d?.projects_created ?? 0,
      last_day_active: lastActive,
      credits_used: d?.credits_used ?? null,
    });
  }
  return { rows };
}

export async function topUsers(db: DbOrTx, req: MetricRequest, opts: TopUsersOptions = {}): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const res = resolveRange(ctx.src, ctx.range);
  requireAnswerable(res);
  const answer = frame(ctx, res);
  const parts = res.kind === 'ok' ? res.parts : [];
  const { rows: ranked } = await rankSenders(ctx, parts, opts.limit ?? null);
  answer.rows = req.aggregateOnly ? [] : (await buildRows(ctx, parts, ranked)).rows;
  if (ctx.src.usageSource === 'events' && answer.rows.length > 0) answer.warnings.push(EVENT_TOOL_WARNING);
  return answer;
}

/**
 * Power users in one statement: senders ranked, the top ceil(senders / 5) kept, then the rate
 * test, then distinct tools (map entries above 0) over P for those left. Also the number of senders.
 */
async function powerRanked(ctx: Ctx, parts: FactPart[], days: number): Promise<{ rows: Ranked[]; senders: number }> {
  if (parts.length === 0) return { rows: [], senders: 0 };
  const slices = oneSlice(ctx, parts);
  const groupIds = ctx.group?.ids ?? null;
  const { rows } = await sql<Ranked & { tools: number | null }>`
    with ${slicesValues(slices, groupIds)},
    u as (
      select f.public_id, sum(f.messages) as messages
      from ${factsJoin(slices, groupIds)}
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
    t as (
      select f.public_id, count(distinct kv.key) as tools
      from ${factsJoin(slices)}
      join top on top.public_id = f.public_id
      cross join lateral jsonb_each_text(f.tool_to_messages) as kv
      where f.tool_to_messages is not null and f.tool_to_messages <> '{}'::jsonb and (kv.value)::numeric > 0
      group by f.public_id)
    select top.public_id, top.messages, top.rk, top.senders, t.tools
    from top left join t on t.public_id = top.public_id
    union all
    select null, null, null, (select count(*) from u), null
    order by rk nulls last`.execute(ctx.db);
  const senders = Number(rows[rows.length - 1]?.senders ?? 0);
  const power = rows
    .filter((r) => r.public_id !== null && Number(r.tools ?? 0) >= POWER_MIN_TOOLS)
    .map((r) => ({ public_id: r.public_id, messages: Number(r.messages), rk: Number(r.rk), senders }));
  return { rows: power, senders };
}

export async function powerUsers(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const res = resolveRange(ctx.src, ctx.range);
  requireAnswerable(res);
  const answer = frame(ctx, res);
  const parts = res.kind === 'ok' ? res.parts : [];
  const days = res.covered === null ? 0 : lengthDays(res.covered);
  const { rows: power, senders } = await powerRanked(ctx, parts, days);
  answer.values = { power_users: power.length, senders };
  answer.rows = req.aggregateOnly ? [] : (await buildRows(ctx, parts, power)).rows;
  if (ctx.src.usageSource === 'events' && answer.rows.length > 0) answer.warnings.push(EVENT_TOOL_WARNING);
  return answer;
}
