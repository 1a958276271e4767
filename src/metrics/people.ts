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
import { factsIn, membersAtEnd } from './activity.ts';
import { EVENT_TOOL_WARNING, frame, requireAnswerable } from './metric-answer.ts';
import { loadCtx, type Ctx } from './context.ts';
import { resolveRange, type FactPart } from './coverage.ts';
import { daysIn } from '../core/periods.ts';
import { bitsFilter } from '../store/aggregates.ts';
import { countSenders, detailsOf, firstSenders, keysOfParts, rankBySums, rankPowerUsers } from './people-rank.ts';
import {
  addFactMaps,
  assembleRows,
  directoryRows,
  emptyMaps,
  groupNamesById,
  keepPositive,
  keyIn,
  type CountMap,
  type Detail,
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
  const members = membersAtEnd(ctx);
  if (!req.aggregateOnly && parts.length > 0) {
    let ranking: { ranked: Ranked[]; facts: Map<string, Detail> };
    let maps: PeopleMaps;
    let people: Map<string, Identity>;
    let groupNames: Map<string, string>;
    if (limit === null) {
      // Every sender: ranking, maps and directory rows at once (senders from the activity bits).
      [ranking, maps, people, groupNames] = await Promise.all([
        rankBySums(ctx, parts, members, null),
        senderMaps(ctx, parts, null),
        directoryRows(ctx, sql`a.account_key in (select b.public_id from activity_bits b where ${bitsFilter(keysOfParts(parts)).where})`),
        groupNamesById(ctx),
      ]);
    } else {
      // The first `limit`: their totals, maps and directory rows once they are known.
      ranking = members === null ? await firstRanked(ctx, parts, limit) : await rankBySums(ctx, parts, members, limit);
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
