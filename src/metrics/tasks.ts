/**
 * Task insights (docs/design.md §5): `tasks` (conversations by task type) and `heatmap` (task type × SCIM
 * group, or × topic where the workspace has no SCIM groups), from usage events.
 *
 * A conversation counts once in P, under the task type (and topic) of its first event in P
 * (earliest `ts`, then event id); events are bucketed by their UTC day. A conversation belongs
 * to the user of that first event.
 *
 * Where §5 is silent:
 * - `conversations` counts every distinct conversation in P; the rows' `share` divides by those
 *   with a task type, and a warning says how many have none. A conversation whose first event
 *   in P carries no task type has none, even if later events carry one (the rule is literal).
 * - Export-fed stores have no conversations: `conversations` is null with a warning, no rows.
 * - "No SCIM groups" means no account of the directory as of P's end belongs to any group;
 *   topic columns then come with no privacy hiding (topics are not groups of people), and
 *   conversations without a topic go in a "(no topic)" column.
 * - Group columns: a conversation counts in every group its user belongs to as of P's end;
 *   group sizes are the group's accounts as of P's end (any status, §5 `members`). Heat map rows
 *   form the full grid of the period's task types × the shown columns, zeros included, ordered
 *   by task type total (descending), then column size; hidden groups are left out entirely.
 *   Each row also says `column_kind`: 'group' or 'topic'.
 * - A `team:` filter limits the conversations to the group's members; a group smaller than the
 *   minimum group size gets no task insights at all (null with a warning), since its
 *   distribution alone would identify people.
 */
import { sql } from 'kysely';
import { UnanswerableError } from '../core/errors.ts';
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest } from './types.ts';
import { groupArray, groupMembers } from './activity.ts';
import { frame, ratio } from './metric-answer.ts';
import { loadCtx, snapshotAsOf, type Ctx } from './context.ts';
import { resolveRange } from './coverage.ts';
import { breakdownIds, groupCatalog, membershipCte } from './groups-breakdown.ts';
import { hideSmallGroups } from './privacy.ts';

export const NO_TOPIC = '(no topic)';

function requireTaskInsights(ctx: Ctx): void {
  if (!ctx.settings.taskInsights) {
    throw new UnanswerableError(
      ctx.settings.euDataResidency && !ctx.settings.taskInsightsExplicit
        ? 'Task insights are off: they are off by default in a workspace with EU data residency. An owner or admin can turn them on with `settings task-insights:on`.'
        : 'Task insights are off for this workspace. An owner or admin can turn them on with `settings task-insights:on`.',
    );
  }
}

const NO_EVENTS_WARNING =
  'Task insights come from usage events; this store is fed by Users reports, which carry no conversations, task types or topics.';

/** `c`: the conversations of P with their first event's task type, topic and user. */
function conversationsCte(ctx: Ctx, start: string, end: string) {
  const snap = snapshotAsOf(ctx.src.snapshots, ctx.range.end);
  const members =
    ctx.group === null
      ? sql``
      : sql`and e.public_id in (${groupMembers(snap?.id ?? null, ctx.group.ids)})`;
  return sql`c as (
    select distinct on (e.conversation_id) e.conversation_id, e.task_type, e.topic, e.public_id
    from events e
    where e.day between ${start}::date and ${end}::date ${members}
    order by e.conversation_id, e.ts, e.id)`;
}

/** With a team filter: whether the group is big enough for task insights (null = no filter). */
async function teamTooSmall(ctx: Ctx): Promise<number | null> {
  if (ctx.group === null) return null;
  const snap = snapshotAsOf(ctx.src.snapshots, ctx.range.end);
  const { rows } = await sql<{ n: number }>`
    select count(distinct m.account_key) as n from group_members m
    where m.snapshot_id = ${snap?.id ?? -1}::int and m.group_id = any(${groupArray(ctx.group.ids)})`.execute(ctx.db);
  const n = Number(rows[0]?.n ?? 0);
  return n < ctx.settings.minGroupSize ? n : null;
}

function smallTeamWarning(ctx: Ctx, n: number): string {
  return `${ctx.group!.name} has ${n} member${n === 1 ? '' : 's'}, fewer than the minimum group size of ${ctx.settings.minGroupSize}: task insights are not shown for it, for privacy.`;
}

export async function tasks(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  requireTaskInsights(ctx);
  const res = resolveRange(ctx.src, ctx.range);
  const answer = frame(ctx, res);
  answer.values = { conversations: null };
  if (ctx.src.usageSource === 'exports') {
    answer.warnings.push(NO_EVENTS_WARNING);
    return answer;
  }
  const small = await teamTooSmall(ctx);
  if (small !== null) {
    answer.warnings.push(smallTeamWarning(ctx, small));
    return answer;
  }
  if (res.covered === null) {
    // Wholly outside the data: unknown, not 0 (the frame's warning says what data exists).
    return answer;
  }
  const { rows } = await sql<{ task_type: string | null; n: number }>`
    with ${conversationsCte(ctx, res.covered.start, res.covered.end)}
    select task_type, count(*) as n from c group by task_type`.execute(db);
  let all = 0;
  let typed = 0;
  const list: Array<{ task_type: string; conversations: number }> = [];
  for (const r of rows) {
    const n = Number(r.n);
    all += n;
    if (r.task_type === null) continue;
    typed += n;
    list.push({ task_type: r.task_type, conversations: n });
  }
  list.sort((a, b) => b.conversations - a.conversations || (a.task_type < b.task_type ? -1 : a.task_type > b.task_type ? 1 : 0));
  answer.values = { conversations: all };
  answer.rows = list.map((r) => ({ ...r, share: ratio(r.conversations, typed) }));
  if (all > typed) {
    const n = all - typed;
    answer.warnings.push(
      `${n} conversation${n === 1 ? ' has' : 's have'} no task type: counted in conversations, in no row.`,
    );
  }
  return answer;
}

export async function heatmap(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  requireTaskInsights(ctx);
  const res = resolveRange(ctx.src, ctx.range);
  const answer = frame(ctx, res);
  answer.values = { groups_hidden: 0 };
  answer.groupsHidden = 0;
  if (ctx.src.usageSource === 'exports') {
    answer.values = { groups_hidden: null };
    delete answer.groupsHidden;
    answer.warnings.push(NO_EVENTS_WARNING);
    return answer;
  }
  const snap = snapshotAsOf(ctx.src.snapshots, ctx.range.end);
  const { rows: anyGroup } = await sql<{ n: number }>`
    select count(*) as n from (
      select 1 from directory_accounts a
      where a.snapshot_id = ${snap?.id ?? -1}::int and cardinality(a.group_ids) > 0 limit 1) x`.execute(db);
  const bySCIM = Number(anyGroup[0]?.n ?? 0) > 0;
  const start = res.covered?.start ?? ctx.range.start;
  const end = res.covered?.end ?? ctx.range.start;
  const hasData = res.covered !== null;

  type Cell = { task_type: string; column: string; conversations: number };
  const periodTypes = new Set<string>();
  let cells: Cell[] = [];
  let columns: Array<{ name: string; members: number }> = [];
  if (bySCIM) {
    const ids = breakdownIds(ctx);
    const [catalog, sizes, counts] = await Promise.all([
      groupCatalog(ctx),
      sql<{ key: string; members: number }>`
        with ${membershipCte(snap?.id ?? null, ids)}
        select name_key as key, count(*) as members from gm group by name_key`.execute(db),
      hasData
        ? sql<{ task_type: string; key: string | null; n: number }>`
            with ${conversationsCte(ctx, start, end)}, ${membershipCte(snap?.id ?? null, ids)}
            select c.task_type, gm.name_key as key, count(gm.name_key) as n
            from c left join gm on gm.account_key = c.public_id
            where c.task_type is not null
            group by c.task_type, gm.name_key`.execute(db)
        : Promise.resolve({ rows: [] as Array<{ task_type: string; key: string | null; n: number }> }),
    ]);
    const groups = sizes.rows.map((r) => ({
      key: r.key,
      name: catalog.get(r.key)?.name ?? r.key,
      members: Number(r.members),
    }));
    const { shown, hidden } = hideSmallGroups(groups, ctx.settings.minGroupSize);
    answer.values = { groups_hidden: hidden.length };
    answer.groupsHidden = hidden.length;
    if (hidden.length > 0) {
      answer.warnings.push(
        `${hidden.length} group${hidden.length === 1 ? '' : 's'} left out for privacy (fewer than ${ctx.settings.minGroupSize} members, or needed so that left-out groups together reach ${ctx.settings.minGroupSize}).`,
      );
    }
    const nameOf = new Map(shown.map((g) => [g.key, g.name]));
    columns = shown.map((g) => ({ name: g.name, members: g.members }));
    // Task types of the period, also those only in ungrouped or hidden conversations (key null).
    for (const r of counts.rows) periodTypes.add(r.task_type);
    cells = counts.rows
      .filter((r) => r.key !== null && nameOf.has(r.key))
      .map((r) => ({ task_type: r.task_type, column: nameOf.get(r.key!)!, conversations: Number(r.n) }));
  } else if (hasData) {
    const { rows } = await sql<{ task_type: string; topic: string | null; n: number }>`
      with ${conversationsCte(ctx, start, end)}
      select task_type, topic, count(*) as n from c where task_type is not null
      group by task_type, topic`.execute(db);
    cells = rows.map((r) => ({ task_type: r.task_type, column: r.topic ?? NO_TOPIC, conversations: Number(r.n) }));
    const totals = new Map<string, number>();
    for (const c of cells) totals.set(c.column, (totals.get(c.column) ?? 0) + c.conversations);
    columns = [...totals].map(([name, members]) => ({ name, members }));
  }
  // The full grid of task types × columns, zeros included.
  const typeTotals = new Map<string, number>();
  for (const c of cells) typeTotals.set(c.task_type, (typeTotals.get(c.task_type) ?? 0) + c.conversations);
  for (const t of periodTypes) if (!typeTotals.has(t)) typeTotals.set(t, 0);
  const types = [...typeTotals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((t) => t[0]);
  columns.sort((a, b) => b.members - a.members || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const at = new Map(cells.map((c) => [`${c.task_type}\u0000${c.column}`, c.conversations]));
  const columnKind = bySCIM ? 'group' : 'topic';
  answer.rows = types.flatMap((t) =>
    columns.map((col) => ({
      task_type: t,
      column: col.name,
      conversations: at.get(`${t}\u0000${col.name}`) ?? 0,
      column_kind: columnKind,
    })),
  );
  return answer;
}
