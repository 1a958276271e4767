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
import { factsCondition, factsIn } from './activity.ts';
import { EVENT_TOOL_WARNING, frame, requireAnswerable } from './answer.ts';
import { loadCtx, snapshotAsOf, type Ctx } from './context.ts';
import { resolveRange, type FactPart } from './coverage.ts';
import { addDays, lengthDays } from './dates.ts';
import { bitsFilter } from '../store/aggregates.ts';

export const POWER_SHARE_DIVISOR = 5; // top 20 %
export const POWER_MESSAGES_PER_WEEK = 75;
export const POWER_MIN_TOOLS = 3;

interface Ranked {
  public_id: string;
  messages: number;
  rk: number;
  senders: number;
}

/** With a group filter, its members as of P's end. */
function membersOf(ctx: Ctx): { snapshotId: number | null; groupIds: readonly string[] } | null {
  if (ctx.group === null) return null;
  return { snapshotId: snapshotAsOf(ctx.src.snapshots, ctx.range.end)?.id ?? null, groupIds: ctx.group.ids };
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

/** A fact row as the driver returns it (counts may come as strings), as numbers. */
function detailOf(r: Detail, messages: number): Detail {
  return {
    public_id: r.public_id,
    first_day: r.first_day,
    last_day: r.last_day,
    messages,
    gpt_messages: Number(r.gpt_messages),
    tool_messages: Number(r.tool_messages),
    project_messages: Number(r.project_messages),
    projects_created: Number(r.projects_created),
    credits_used: r.credits_used === null ? null : Number(r.credits_used),
    last_day_active: r.last_day_active,
  };
}

const MAP_KINDS = ['model', 'gpt', 'tool', 'project'] as const;
type MapKind = (typeof MAP_KINDS)[number];

async function groupNamesById(ctx: Ctx): Promise<Map<string, string>> {
  const rows = await ctx.db.selectFrom('scim_groups').select(['group_id', 'name']).execute();
  return new Map(rows.map((r) => [r.group_id, r.name]));
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

type PeopleMaps = Map<string, Record<MapKind, CountMap>>;

function assembleRows(
  ctx: Ctx,
  ranked: Ranked[],
  facts: Map<string, Detail>,
  maps: PeopleMaps,
  { people, groupNames }: { people: Map<string, Identity>; groupNames: Map<string, string> },
) {
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
  // A group-limited viewer sees only some of the ranked rows: the first `limit` of them are not
  // known before every row is, so such a caller gets every row.
  const limit = opts.limit !== undefined && req.restrictToGroupIds === undefined ? opts.limit : null;
  if (!req.aggregateOnly && parts.length > 0) {
    const [senders, who] = await Promise.all([
      rankedWithDetails(ctx, parts, limit),
      limit === null ? identitiesOfSenders(ctx, parts) : null,
    ]);
    const ids = senders.ranked.map((r) => r.public_id);
    answer.rows = assembleRows(ctx, senders.ranked, senders.facts, senders.maps, who ?? (await identities(ctx, ids))).rows;
    if (limit !== null) answer.rowsTotal = senders.ranked[0]?.senders ?? 0;
  }
  if (ctx.src.usageSource === 'events' && answer.rows.length > 0) answer.warnings.push(EVENT_TOOL_WARNING);
  return answer;
}

/**
 * Every sender (or the first `limit`) ranked, with the aggregated facts and merged maps of each,
 * in one pass over the facts: the maps of a person's facts come back as one array and are
 * merged here (summed per key, entries above 0 kept), which costs far less than expanding every
 * map entry into a row in SQL.
 */
async function rankedWithDetails(
  ctx: Ctx,
  parts: FactPart[],
  limit: number | null,
): Promise<{ ranked: Ranked[]; facts: Map<string, Detail>; maps: PeopleMaps }> {
  const members = membersOf(ctx);
  const ranking = sql<Detail & { rk: number; senders: number }>`
      with u as (
        select f.public_id, min(f.first_day_active_in_period) as first_day, max(f.last_day_active_in_period) as last_day,
          sum(f.messages) as messages, sum(f.gpt_messages) as gpt_messages, sum(f.tool_messages) as tool_messages,
          sum(f.project_messages) as project_messages, sum(f.projects_created) as projects_created,
          sum(f.credits_used) as credits_used, max(f.last_day_active) as last_day_active
        from ${factsIn(parts, members)}
        group by f.public_id
        having sum(f.messages) > 0),
      r as (
        select u.*, row_number() over (order by messages desc, public_id collate "C") as rk, count(*) over () as senders
        from u)
      select * from r ${limit === null ? sql`` : sql`where rk <= ${limit}`} order by rk`;
  // Every fact's maps as they are; merged per person below (summed per key, entries above 0
  // kept), which costs far less than expanding every entry into a row and grouping in SQL.
  // With a limit, only the maps of the people ranked first are read (after the ranking).
  const mapsOf = (ids: string[] | null) => sql<{
    public_id: string;
    model: CountMap | null;
    gpt: CountMap | null;
    tool: CountMap | null;
    project: CountMap | null;
  }>`
      select f.public_id, f.model_to_messages as model, f.gpt_to_messages as gpt, f.tool_to_messages as tool,
        f.project_to_messages as project
      from ${factsIn(parts, members)}
      ${ids === null ? sql`` : sql`and f.public_id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`}`.execute(ctx.db);
  const [{ rows }, perFact] =
    limit === null
      ? await Promise.all([ranking.execute(ctx.db), mapsOf(null)])
      : await ranking.execute(ctx.db).then(async (r) => [r, await mapsOf(r.rows.map((x) => x.public_id))] as const);
  const ranked: Ranked[] = [];
  const facts = new Map<string, Detail>();
  const maps: PeopleMaps = new Map();
  for (const r of rows) {
    const messages = Number(r.messages);
    ranked.push({ public_id: r.public_id, messages, rk: Number(r.rk), senders: Number(r.senders) });
    facts.set(r.public_id, detailOf(r, messages));
  }
  for (const f of perFact.rows) {
    if (!facts.has(f.public_id)) continue;
    let merged = maps.get(f.public_id);
    if (!merged) {
      merged = { model: {}, gpt: {}, tool: {}, project: {} };
      maps.set(f.public_id, merged);
    }
    for (const kind of MAP_KINDS) {
      const m = f[kind];
      if (!m) continue;
      const into = merged[kind];
      for (const k in m) into[k] = (into[k] ?? 0) + Number(m[k]);
    }
  }
  for (const merged of maps.values()) {
    for (const kind of MAP_KINDS) {
      const into = merged[kind];
      for (const k in into) if (!(into[k]! > 0)) delete into[k];
    }
  }
  return { ranked, facts, maps };
}

/** The directory rows, as of P's end, of everyone active in the parts (from the activity bits). */
async function identitiesOfSenders(
  ctx: Ctx,
  parts: FactPart[],
): Promise<{ people: Map<string, Identity>; groupNames: Map<string, string> }> {
  const snap = snapshotAsOf(ctx.src.snapshots, ctx.range.end);
  const people = new Map<string, Identity>();
  const groupNames = new Map<string, string>();
  if (snap === null) return { people, groupNames };
  const keys = parts.flatMap((p) => {
    const out: Array<{ grain: string; pstart: string }> = [];
    for (let d = p.from; d <= p.to; d = addDays(d, 1)) out.push({ grain: p.grain, pstart: d });
    return out;
  });
  const [p, g] = await Promise.all([
    sql<Identity>`
      select a.account_key, a.name, a.email, a.role, a.user_role, a.department, a.group_ids, a.user_status,
        a.created_or_invited_date, a.last_day_active
      from directory_accounts a
      where a.snapshot_id = ${snap.id}
        and a.account_key in (select b.public_id from activity_bits b where ${bitsFilter(keys).where})`.execute(ctx.db),
    ctx.db.selectFrom('scim_groups').select(['group_id', 'name']).execute(),
  ]);
  for (const r of p.rows) people.set(r.account_key, r);
  for (const r of g) groupNames.set(r.group_id, r.name);
  return { people, groupNames };
}

type FactMaps = [CountMap | null, CountMap | null, CountMap | null, CountMap | null];

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
      from ${factsIn(parts, membersOf(ctx))}
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
    const merged: Record<MapKind, CountMap> = { model: {}, gpt: {}, tool: {}, project: {} };
    for (const fact of r.maps ?? []) {
      MAP_KINDS.forEach((kind, i) => {
        const m = fact[i];
        if (!m) return;
        const into = merged[kind];
        for (const k in m) into[k] = (into[k] ?? 0) + Number(m[k]);
      });
    }
    for (const kind of MAP_KINDS) {
      const into = merged[kind];
      for (const k in into) if (!(into[k]! > 0)) delete into[k];
    }
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
  const days = res.covered === null ? 0 : lengthDays(res.covered);
  // As in topUsers: a group-limited viewer's rows are not the first `limit` of all, so all are read.
  const limit = req.aggregateOnly ? 0 : opts.limit !== undefined && req.restrictToGroupIds === undefined ? opts.limit : null;
  const [power, groupNames] = await Promise.all([powerCandidates(ctx, parts, days, limit), groupNamesById(ctx)]);
  answer.values = { power_users: power.power, senders: power.senders };
  answer.rows = req.aggregateOnly
    ? []
    : assembleRows(ctx, power.ranked, power.facts, power.maps, { people: power.people, groupNames }).rows;
  if (limit !== null && !req.aggregateOnly) answer.rowsTotal = power.power;
  if (ctx.src.usageSource === 'events' && answer.rows.length > 0) answer.warnings.push(EVENT_TOOL_WARNING);
  return answer;
}
