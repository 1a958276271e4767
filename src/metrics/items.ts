/**
 * `gpts` and `projects` (docs/design.md §5). The catalog (names, descriptions, creators, config type)
 * comes from GPT / Project reports, newest row per id; usage over P (`messages_workspace`,
 * `unique_messagers_workspace`, `*_active`) comes from the usage facts' GPT / project maps
 * (Users reports' maps, or the roll-up of events), under the same covering rule as every count,
 * read from their per-user entries kept at write time (`item_usage`, migration 0013).
 *
 * Where §5 is silent:
 * - The catalog as of P: rows of reports starting on or before P's end; the newest row per id is
 *   the one of the report ending last (then the shorter, then the later import).
 *   `*_total` counts that catalog; null with a warning when no such report was imported.
 * - `gpts_created` is null: no source gives GPT creation dates. `projects_created` sums the
 *   Users reports' `projects_created` (export-fed stores); events carry none, so it is null.
 * - Rows: every catalog item plus any item with usage but no catalog row (blank names), ordered
 *   by messages, then messagers (both descending), then id. `is_active` is 1/0 like the report.
 *   `first/last_day_active_in_period` come from day facts (event-fed stores); Users reports give
 *   no per-item days, so they are null there.
 * - A group filter limits usage to the group's members as of P's end, and the rows to the items
 *   they used; `*_total` (the workspace's catalog) is then null with a note, so a viewer limited
 *   to groups gets no workspace-wide figure (docs/design.md §7).
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest } from './types.ts';
import { activityForRanges, factsCondition, membersAtEnd } from './activity.ts';
import { frame, requireAnswerable } from './metric-answer.ts';
import { loadCtx, type Ctx } from './context.ts';
import { resolveRange, type FactPart } from './coverage.ts';

type Item = 'gpt' | 'project';

/** The item's own columns of a row, as the GPT and Project reports name them. */
const ITEM_KEYS = {
  gpt: {
    id: 'gpt_id',
    name: 'gpt_name',
    description: 'gpt_description',
    url: 'gpt_url',
    creatorPublicId: 'gpt_creator_public_id',
    creatorEmail: 'gpt_creator_email',
  },
  project: {
    id: 'project_id',
    name: 'project_name',
    description: 'project_description',
    url: 'project_url',
    creatorPublicId: 'project_creator_public_id',
    creatorEmail: 'project_creator_email',
  },
} as const;

interface CatalogRow {
  id: string;
  name: string | null;
  config_type: string | null;
  description: string | null;
  url: string | null;
  creator_public_id: string | null;
  creator_email: string | null;
}

async function catalog(ctx: Ctx, item: Item): Promise<CatalogRow[] | null> {
  const table = sql.table(`${item}_report_rows`);
  const col = (c: string) => sql.ref(`x.${item}_${c}`);
  const kind = item === 'gpt' ? 'gpts' : 'projects';
  // Reports ranked newest first; per id the best rank by hashing narrow (id, report) pairs, then
  // only the chosen rows are read whole (no sort of every wide row of every report).
  const { rows } = await sql<CatalogRow>`
    with rr as (
      select r.id, row_number() over (order by r.period_end desc, r.period_start desc, r.id desc) as rn
      from reports r where r.kind = ${kind} and r.period_start <= ${ctx.range.end}::date),
    best as (
      select ${col('id')} as id, min(rr.rn) as rn
      from ${table} x join rr on rr.id = x.report_id
      group by ${col('id')})
    select
      ${col('id')} as id, ${col('name')} as name, x.config_type, ${col('description')} as description,
      ${col('url')} as url, ${col('creator_public_id')} as creator_public_id, ${col('creator_email')} as creator_email
    from best
    join rr on rr.rn = best.rn
    join ${table} x on x.report_id = rr.id and ${col('id')} = best.id`.execute(ctx.db);
  if (rows.length > 0) return rows;
  const { rows: any } = await sql<{ n: number }>`
    select count(*) as n from reports where kind = ${kind} and period_start <= ${ctx.range.end}::date`.execute(ctx.db);
  return Number(any[0]?.n ?? 0) > 0 ? rows : null;
}

export interface Usage {
  id: string;
  messages: number;
  messagers: number;
  first_day: string | null;
  last_day: string | null;
}

/** Per map key (GPT, project, skill, app id): messages and distinct users over the parts. */
export async function mapUsage(
  ctx: Ctx,
  column: 'gpt_to_messages' | 'project_to_messages' | 'skill_to_messages' | 'app_to_messages',
  parts: FactPart[],
): Promise<Usage[]> {
  if (parts.length === 0) return [];
  if (column === 'gpt_to_messages') return itemUsage(ctx, 'gpt', parts);
  if (column === 'project_to_messages') return itemUsage(ctx, 'project', parts);
  const map = sql.ref(`f.${column}`);
  const members = membersAtEnd(ctx);
  const { rows } = await sql<Usage>`
    with u as (
      select kv.key as id, f.public_id, sum((kv.value)::numeric) as n,
        min(case when f.grain = 'day' then f.period_start end) as first_day,
        max(case when f.grain = 'day' then f.period_start end) as last_day
      from user_facts f
      cross join lateral jsonb_each_text(${map}) as kv
      -- skills and apps come from day facts (events) only; no index serves their maps
      where ${factsCondition(parts, members)}
        and ${map} is not null and ${map} <> '{}'::jsonb and (kv.value)::numeric > 0
      group by kv.key, f.public_id)
    select id, sum(n) as messages, count(*) as messagers, min(first_day) as first_day, max(last_day) as last_day
    from u group by id`.execute(ctx.db);
  return rows.map((r) => ({ ...r, messages: Number(r.messages), messagers: Number(r.messagers) }));
}

/**
 * GPT or project usage over the parts from `item_usage` (migration 0013: one row per fact key,
 * user and item with messages, kept from the facts' maps at write time): the same numbers as
 * reading every fact's map, without parsing one. Messagers are distinct users over all the keys.
 */
async function itemUsage(ctx: Ctx, kind: Item, parts: FactPart[]): Promise<Usage[]> {
  // One aggregation; ids compared byte-wise (collate "C": the same groups, since equality does
  // not depend on a collation, at a fraction of the locale's cost to sort).
  const { rows } = await sql<Usage>`
    select f.item_id collate "C" as id, sum(f.messages) as messages,
      count(distinct f.public_id collate "C") as messagers,
      min(case when f.grain = 'day' then f.period_start end) as first_day,
      max(case when f.grain = 'day' then f.period_start end) as last_day
    from item_usage f
    where ${factsCondition(parts, membersAtEnd(ctx))} and f.kind = ${kind}
    group by 1`.execute(ctx.db);
  return rows.map((r) => ({ ...r, messages: Number(r.messages), messagers: Number(r.messagers) }));
}

/**
 * How many items have messages over the parts (the `*_active` of itemUsage's rows, counted):
 * per item a sum, with no distinct users to count, so no sort of every (item, user) row.
 */
async function activeItems(ctx: Ctx, kind: Item, parts: FactPart[]): Promise<number> {
  if (parts.length === 0) return 0;
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from (
      select f.item_id from item_usage f
      where ${factsCondition(parts, membersAtEnd(ctx))} and f.kind = ${kind}
      group by f.item_id having sum(f.messages) > 0) u`.execute(ctx.db);
  return Number(rows[0]?.n ?? 0);
}

async function items(db: DbOrTx, req: MetricRequest, item: Item): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const res = resolveRange(ctx.src, ctx.range);
  requireAnswerable(res);
  const answer = frame(ctx, res);
  const parts = res.kind === 'ok' ? res.parts : [];
  const plural = `${item}s`;
  if (req.comparedOnly) {
    // The previous period of a comparison, compared on `*_active` only: no catalog, no rows.
    answer.values = { [`${plural}_active`]: await activeItems(ctx, item, parts) };
    return answer;
  }
  const label = item === 'gpt' ? 'GPT' : 'Project';
  const [cat, used, act] = await Promise.all([
    catalog(ctx, item),
    mapUsage(ctx, `${item}_to_messages`, parts),
    item === 'project' && ctx.src.usageSource === 'exports'
      ? activityForRanges(ctx, [ctx.range], { countUsers: false })
      : Promise.resolve(null),
  ]);
  // The catalog is the workspace's: a group gets only the items its members used, and no total.
  if (ctx.group && cat !== null) {
    answer.warnings.push(`${label}s known is left out: the catalog is the whole workspace's, not the group's.`);
  }
  if (cat === null) answer.warnings.push(`No ${label} report has been imported for this period, so the ${label} catalog (and its total) is not known.`);
  let created: number | null = null;
  if (item === 'gpt') {
    answer.warnings.push('GPTs created is not known: no imported source gives GPT creation dates.');
  } else if (ctx.src.usageSource === 'exports') {
    created = act?.[0]?.activity?.projects_created ?? 0;
  } else {
    answer.warnings.push('Projects created is not known: usage events carry no project creation dates.');
  }
  const byId = new Map(used.map((u) => [u.id, u]));
  const ids = new Set<string>([...(ctx.group ? [] : (cat ?? []).map((c) => c.id)), ...used.filter((u) => !ctx.group || u.messages > 0).map((u) => u.id)]);
  const catById = new Map((cat ?? []).map((c) => [c.id, c]));
  // Sorted as (id, usage) pairs, then each row built once with its key names made once: a row's
  // keys as template strings, made per row and per comparison, cost several times the rest (2,000
  // GPTs: ~6 ms on the server's event loop, against ~1.5 ms).
  const order = [...ids].map((id) => ({ id, u: byId.get(id) }));
  order.sort(
    (a, b) =>
      (b.u?.messages ?? 0) - (a.u?.messages ?? 0) || (b.u?.messagers ?? 0) - (a.u?.messagers ?? 0) || (a.id < b.id ? -1 : 1),
  );
  const key = ITEM_KEYS[item];
  const rows = order.map(({ id, u }) => {
    const c = catById.get(id);
    return {
      [key.id]: id,
      [key.name]: c?.name ?? null,
      config_type: c?.config_type ?? null,
      [key.description]: c?.description ?? null,
      [key.url]: c?.url ?? null,
      [key.creatorPublicId]: c?.creator_public_id ?? null,
      is_active: u && u.messages > 0 ? 1 : 0,
      first_day_active_in_period: u?.first_day ?? null,
      last_day_active_in_period: u?.last_day ?? null,
      messages_workspace: u?.messages ?? 0,
      unique_messagers_workspace: u?.messagers ?? 0,
      [key.creatorEmail]: c?.creator_email ?? null,
    };
  });
  answer.values = {
    [`${plural}_total`]: cat === null || ctx.group ? null : cat.length,
    [`${plural}_created`]: created,
    [`${plural}_active`]: used.filter((u) => u.messages > 0).length,
  };
  answer.rows = rows;
  return answer;
}

export async function gpts(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  return items(db, req, 'gpt');
}

export async function projects(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  return items(db, req, 'project');
}
