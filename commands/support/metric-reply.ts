/**
 * What the analytics commands share: the metric request built from the arguments and the caller's
 * scope, the previous-period comparison of headline numbers, and the Reply around a MetricAnswer
 * (period, filter, footer, warnings). Each command adds its title, summary and table.
 */
import { isWsaError } from '../../src/core/errors.ts';
import type { CommandArgs } from '../../src/core/grammar.ts';
import {
  describePeriod,
  describePrevious,
  formatDay,
  formatWeekday,
  previousPeriod,
  type DateRange,
  type Period,
} from '../../src/core/periods.ts';
import type { CommandContext } from '../../src/core/registry.ts';
import { reply, type Comparison, type DisplayTable, type Reply, type Value } from '../../src/core/reply.ts';
import { countNoun, staleHours } from '../../src/core/format.ts';
import { getSettings } from '../../src/store/settings.ts';
import { resolveGroup, type MetricAnswer, type MetricRequest } from '../../src/metrics/api.ts';
import type { DbOrTx } from '../../src/store/schema.ts';
import { newestSnapshot } from '../../src/store/directory-accounts.ts';
import type { ChartsFor } from './charts.ts';

export type MetricFetch = (db: DbOrTx, req: MetricRequest) => Promise<MetricAnswer>;

export interface MetricReplySpec {
  readonly title: string | ((answer: MetricAnswer) => string);
  readonly fetch: MetricFetch;
  /** Values shown to people, in order (default: every key). */
  readonly valueKeys?: readonly string[];
  /** Series keys shown, in order (default: those of the first entry). */
  readonly seriesKeys?: readonly string[];
  /**
   * Headline keys compared with the previous period of the same kind: from the answer's
   * `*_change_pct` (see changeInAnswer), else by asking the same question of the previous period.
   */
  readonly compare?: readonly string[];
  /** The answer carries `*_change_pct` for the compared keys itself (overview): no second question. */
  readonly changeInAnswer?: boolean;
  /**
   * The previous period is asked in the aggregate form (no rows): only its compared values are
   * read, and the command's values do not depend on the form (power-users: the people shown are
   * not looked up for a period nobody sees).
   */
  readonly compareValuesOnly?: boolean;
  readonly summary?: (answer: MetricAnswer, ctx: CommandContext) => string[];
  readonly table?: (answer: MetricAnswer) => DisplayTable | null;
  /** The charts of the answer (built by src/core/charts/, rendered outside the core). */
  readonly charts?: ChartsFor;
}

/** The period of a command that takes one (the grammar always binds one). */
export function periodOf(args: CommandArgs): Period {
  if (!args.period) throw new Error('this command takes a period, but none was bound');
  return args.period;
}

/** The metric request for these arguments and this caller. */
export async function requestFor(ctx: CommandContext, args: CommandArgs): Promise<MetricRequest> {
  const period = periodOf(args);
  const req: MetricRequest = {
    // The natural range (this week's Sunday..Saturday); the metrics clip it to today.
    range: { start: period.start, end: period.nominalEnd },
    preset: period.preset,
    today: ctx.today,
  };
  if (args.grain) req.grain = args.grain;
  if (args.group) req.groupName = args.group;
  if (ctx.scope.groups !== null) {
    // A group-scoped viewer: their groups' rows and people only, and without `team:` every
    // figure is of their groups together (the policy refused a `team:` outside them).
    const ids: string[] = [];
    const names: string[] = [];
    for (const name of ctx.scope.groups) {
      const g = await resolveGroup(ctx.db, name);
      ids.push(...g.ids);
      names.push(g.name);
    }
    req.restrictToGroupIds = ids;
    if (!args.group) req.group = { name: names.join(', '), ids };
  }
  if (ctx.scope.aggregateOnly) req.aggregateOnly = true;
  return req;
}

/**
 * What a group-scoped viewer's answer may not show even with a group filter: the names of other
 * groups in people's rows, and creators of GPTs and projects outside their groups.
 */
async function keepToScope(ctx: CommandContext, answer: MetricAnswer, ids: readonly string[]): Promise<void> {
  const groups = await ctx.db.selectFrom('scim_groups').select(['group_id', 'name']).execute();
  const allowedNames = new Set(groups.filter((g) => ids.includes(g.group_id)).map((g) => g.name));
  const hasCreators = answer.rows.some((r) => Object.keys(r).some((k) => k.endsWith('_creator_email')));
  let members: Set<string> | null = null;
  if (hasCreators && ids.length > 0) {
    const snapshot = await newestSnapshot(ctx.db);
    const rows = snapshot
      ? await ctx.db
          .selectFrom('directory_accounts')
          .select(['email_key', 'public_id', 'group_ids'])
          .where('snapshot_id', '=', snapshot.id)
          .execute()
      : [];
    members = new Set(
      rows
        .filter((r) => r.group_ids.some((g) => ids.includes(g)))
        .flatMap((r) => [r.email_key, r.public_id].filter((v): v is string => v !== null)),
    );
  }
  for (const row of answer.rows) {
    if (Array.isArray(row.groups)) row.groups = (row.groups as unknown[]).filter((g) => allowedNames.has(String(g)));
    for (const key of Object.keys(row)) {
      if (!key.endsWith('_creator_email') && !key.endsWith('_creator_public_id')) continue;
      const value = row[key];
      const known = typeof value === 'string' && (members?.has(value.toLowerCase()) || members?.has(value));
      if (!known) row[key] = null;
    }
  }
}

/** Who made a GPT or a project: a person, so not in the aggregate form of a channel. */
const CREATOR_KEY = /_creator_(email|public_id|name)$/;

function withoutCreators(answer: MetricAnswer): void {
  for (const row of answer.rows) for (const key of Object.keys(row)) if (CREATOR_KEY.test(key)) delete row[key];
}

function tableOf(spec: MetricReplySpec, answer: MetricAnswer, req: MetricRequest): DisplayTable | null {
  const table = spec.table?.(answer) ?? null;
  if (!table || !req.aggregateOnly) return table;
  return { ...table, columns: table.columns.filter((c) => !CREATOR_KEY.test(c.key)) };
}

/** (this − previous) / previous; null when either is unknown or the previous is 0 (docs/design.md §5). */
export function changePct(current: Value, previous: Value): Value {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / previous;
}

interface Before {
  readonly range: DateRange;
  /** null when the data cannot answer the previous period. */
  readonly answer: MetricAnswer | null;
}

/** The same question about the previous period of the same kind (asked alongside the current one). */
async function askPrevious(ctx: CommandContext, spec: MetricReplySpec, req: MetricRequest, period: Period): Promise<Before> {
  const range = previousPeriod(period);
  try {
    const form = spec.compareValuesOnly ? { aggregateOnly: true } : {};
    // only `compare`'s values (and what the data covers) are read from this answer
    return { range, answer: await spec.fetch(ctx.db, { ...req, range, ...form, comparedOnly: true }) };
  } catch (error) {
    if (isWsaError(error) && error.userFacing) return { range, answer: null };
    throw error;
  }
}

function compare(
  spec: MetricReplySpec,
  answer: MetricAnswer,
  before: Before | null,
  period: Period,
  warnings: string[],
): Comparison | null {
  const keys = spec.compare ?? [];
  if (keys.length === 0) return null;
  const label = describePrevious(period);
  if (!before) {
    return { label, changes: Object.fromEntries(keys.map((k) => [k, answer.values[`${k}_change_pct`] ?? null])) };
  }
  const covered = before.answer?.covered ?? null;
  if (covered && (covered.start !== before.range.start || covered.end !== before.range.end)) {
    warnings.push(
      `The comparison period (${describeRange(before.range)}) is only partly covered by the data (${describeRange(covered)}).`,
    );
  }
  const previous = Object.fromEntries(keys.map((k) => [k, covered ? (before.answer?.values[k] ?? null) : null]));
  // A period the data does not reach yet is not a fall to zero.
  const current = (k: string) => (answer.covered ? (answer.values[k] ?? null) : null);
  return {
    label,
    changes: Object.fromEntries(keys.map((k) => [k, changePct(current(k), previous[k] ?? null)])),
    previous,
  };
}

/** A chart that cannot be built leaves the answer without it, never without the answer. */
function chartsOf(ctx: CommandContext, name: string, spec: MetricReplySpec, c: Parameters<ChartsFor>[0]) {
  if (!spec.charts || c.answer.covered === null) return [];
  try {
    return spec.charts(c);
  } catch (error) {
    ctx.logger.warn({ err: error, command: name }, 'chart.failed');
    return [];
  }
}

function noDataSummary(answer: MetricAnswer): string[] {
  if (!answer.dataThrough) return ['There is no usage data yet.'];
  return answer.dataThrough < answer.range.start
    ? [`No data yet for this period: the data runs through ${formatWeekday(answer.dataThrough)}.`]
    : ['The data does not reach back to this period.'];
}

function describeRange(r: DateRange): string {
  return r.start === r.end ? formatDay(r.start) : `${formatDay(r.start)} – ${formatDay(r.end)}`;
}

/** The title line's companion: the period in words, the group, and whether it is partial. */
export function subtitleFor(period: Period, answer: Pick<MetricAnswer, 'group' | 'partial' | 'dataThrough'>): string {
  const parts = [describePeriod(period)];
  if (answer.group) parts.push(`team: ${answer.group.name}`);
  if (answer.partial && answer.dataThrough && answer.dataThrough < period.end) {
    parts.push(`partial, data through ${formatDay(answer.dataThrough)}`);
  } else if (answer.partial) parts.push('partial');
  return parts.join(' · ');
}

/**
 * Lets the event loop read the requests that arrived while the rows were made before the charts
 * and the Reply are made from them: both run on the server's one thread (2,000 GPTs: rows, then a
 * ranking, several ms each), and a slash command arriving meanwhile waits for its ack until they
 * end. Two turns: an immediate set from an I/O callback (the store's reply) runs before the loop
 * polls again; one set from the check phase runs after it.
 */
function afterWaitingRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** The Reply for one analytics command. */
export async function metricReply(
  name: string,
  ctx: CommandContext,
  args: CommandArgs,
  spec: MetricReplySpec,
): Promise<Reply> {
  const period = periodOf(args);
  const req = await requestFor(ctx, args);
  const askBefore = (spec.compare?.length ?? 0) > 0 && !spec.changeInAnswer;
  const [answer, before] = await Promise.all([
    spec.fetch(ctx.db, req),
    askBefore ? askPrevious(ctx, spec, req, period) : Promise.resolve(null),
  ]);
  await afterWaitingRequests();
  if (req.restrictToGroupIds !== undefined) await keepToScope(ctx, answer, req.restrictToGroupIds);
  if (req.aggregateOnly) withoutCreators(answer);
  const warnings = [...answer.warnings];
  const comparison = compare(spec, answer, before, period, warnings);
  const hidden = answer.groupsHidden ?? null;
  const minGroupSize = hidden ? (await getSettings(ctx.db)).minGroupSize : null;
  // The footer notes hidden groups (docs/design.md §6); a warning saying the same would repeat it.
  const shownWarnings = hidden ? warnings.filter((w) => !/for privacy/i.test(w)) : warnings;
  const seriesKeys =
    spec.seriesKeys ??
    Object.keys(answer.series[0] ?? {}).filter((k) => k !== 'period_start' && k !== 'period_end' && k !== 'partial');
  return reply({
    command: name,
    title: typeof spec.title === 'function' ? spec.title(answer) : spec.title,
    charts: chartsOf(ctx, name, spec, { period, answer, before: before?.answer ?? null, minGroupSize }),
    subtitle: subtitleFor(period, answer),
    summary: answer.covered === null ? noDataSummary(answer) : (spec.summary?.(answer, ctx) ?? []),
    period: { start: answer.range.start, end: answer.range.end, grain: answer.grain, partial: answer.partial },
    filters: { group: answer.group?.name ?? null },
    values: answer.values,
    valueKeys: spec.valueKeys ?? Object.keys(answer.values).filter((k) => !k.endsWith('_change_pct')),
    comparison,
    series: answer.series,
    seriesKeys,
    rows: answer.rows,
    ...(answer.moreRows ? { moreRows: answer.moreRows } : {}),
    table: tableOf(spec, answer, req),
    warnings: shownWarnings,
    footer: {
      lastUpdated: answer.lastUpdated,
      dataThrough: answer.dataThrough,
      staleHours: staleHours(answer.lastUpdated, ctx.now),
      groupsHidden: hidden,
      minGroupSize,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Small helpers for summaries and tables

export function num(answer: MetricAnswer, key: string): number | null {
  const v = answer.values[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** "1 person" / "12,345 people". */
export function plural(n: number, one: string, many: string): string {
  return countNoun(n, one, many);
}

/** A key-like value for people: `data_extraction` → "data extraction". */
export function words(value: unknown): string {
  return text(value).replace(/_/g, ' ');
}

/** A cell of a row as text, for sentences. */
export function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}
