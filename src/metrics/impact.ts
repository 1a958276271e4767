/**
 * `impact` (docs/design.md §5): survey respondents, participation and share positive per question and per
 * dimension, over the responses whose `date_partition` falls in P.
 *
 * Where §5 is silent:
 * - Survey responses are their own data: P is not clipped to the usage data's covered part
 *   (`covered` is P itself); only to today.
 * - A respondent who answered the same question more than once in P counts once, with their
 *   latest answer (latest `date_partition`, then the later import, then the later row).
 * - An answer id the catalog does not list for a known question counts the respondent for that
 *   question, as not positive.
 * - Group filter: respondents whose email belongs to a member of the group as of P's end; the
 *   participation denominator is then the group's enabled seats.
 * - Rows carry, beside §5's columns, the question text and its answer distribution: every answer
 *   of the catalog's question, in catalog order, with its respondents (zeros included).
 * - A period with fewer respondents than the minimum group size (none included) names the newest
 *   survey window with responses, and how to ask for it, in a warning. The newest survey is the
 *   one (`survey_id`) whose latest response is newest; its window runs from its first response to
 *   its latest (up to today), cut to the newest 12 months a custom period may span; the group
 *   filter applies as to the period's numbers. No hint when the period already holds that window.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest } from './types.ts';
import { groupArray } from './activity.ts';
import { frame, ratio } from './metric-answer.ts';
import { loadCtx, snapshotAsOf, type Ctx } from './context.ts';
import { NO_DIRECTORY_WARNING, seatsAsOf } from './directory.ts';
import { BUILT_IN_IMPACT_CATALOG, type ImpactQuestion } from './impact-catalog.ts';
import { addDays, addMonths, formatRange, MAX_RANGE_MONTHS, type DateRange } from '../core/periods.ts';

export async function impactCatalog(db: DbOrTx): Promise<{ questions: ImpactQuestion[]; builtIn: boolean }> {
  const rows = await db
    .selectFrom('impact_questions')
    .select(['question_id', 'dimension', 'text', 'answers'])
    .orderBy('position')
    .orderBy('question_id')
    .execute();
  if (rows.length === 0) return { questions: [...BUILT_IN_IMPACT_CATALOG], builtIn: true };
  return {
    questions: rows.map((r) => ({
      question_id: r.question_id,
      dimension: r.dimension,
      text: r.text,
      answers: typeof r.answers === 'string' ? JSON.parse(r.answers) : r.answers,
    })),
    builtIn: false,
  };
}

function respondentFilter(ctx: Ctx) {
  if (ctx.group === null) return sql``;
  const snap = snapshotAsOf(ctx.src.snapshots, ctx.range.end);
  return sql`and r.email_key in (
    select a.email_key from directory_accounts a
    where a.snapshot_id = ${snap?.id ?? -1}::int and a.email_key is not null
      and a.group_ids && ${groupArray(ctx.group.ids)})`;
}

export async function impact(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  const ctx = await loadCtx(db, req);
  const answer = frame(ctx, null);
  answer.covered = ctx.range;
  const responses = sql`r as (
    select r.email_key, r.question_id, r.answer_id, r.date_partition, r.report_id, r.position
    from impact_responses r
    where r.date_partition between ${ctx.range.start}::date and ${ctx.range.end}::date ${respondentFilter(ctx)})`;
  const [catalog, seats, total, answers] = await Promise.all([
    impactCatalog(db),
    seatsAsOf(ctx, ctx.range.end, ctx.group?.ids ?? null),
    sql<{ n: number }>`with ${responses} select count(*) as n from (select distinct email_key from r) d`.execute(db),
    sql<{ question_id: string; answer_id: string; n: number }>`
      with ${responses},
      latest as (
        select distinct on (email_key, question_id) email_key, question_id, answer_id
        from r
        order by email_key, question_id, date_partition desc, report_id desc, position desc)
      select question_id, answer_id, count(*) as n from latest group by question_id, answer_id`.execute(db),
  ]);
  const respondents = Number(total.rows[0]?.n ?? 0);
  const counts = new Map<string, Map<string, number>>();
  for (const r of answers.rows) {
    const q = counts.get(r.question_id) ?? new Map<string, number>();
    q.set(r.answer_id, Number(r.n));
    counts.set(r.question_id, q);
  }
  const dims = new Map<string, { respondents: number; positive: number }>();
  const rows: Array<Record<string, unknown>> = [];
  const known = new Set<string>();
  for (const q of catalog.questions) {
    known.add(q.question_id);
    const byAnswer = counts.get(q.question_id) ?? new Map<string, number>();
    const positiveIds = new Set(q.answers.filter((a) => a.positive).map((a) => a.answer_id));
    let n = 0;
    let positive = 0;
    for (const [answerId, c] of byAnswer) {
      n += c;
      if (positiveIds.has(answerId)) positive += c;
    }
    const d = dims.get(q.dimension) ?? { respondents: 0, positive: 0 };
    d.respondents += n;
    d.positive += positive;
    dims.set(q.dimension, d);
    rows.push({
      question_id: q.question_id,
      dimension: q.dimension,
      respondents: n,
      share_positive: ratio(positive, n),
      text: q.text,
      answers: q.answers.map((a) => ({ ...a, respondents: byAnswer.get(a.answer_id) ?? 0 })),
    });
  }
  const unknown = [...counts.keys()].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    answer.warnings.push(
      `Answers to ${unknown.length} question${unknown.length === 1 ? '' : 's'} not in the catalog (${unknown.sort().join(', ')}) count toward participation only.`,
    );
  }
  if (seats === null) answer.warnings.push(NO_DIRECTORY_WARNING);
  answer.values = {
    respondents,
    participation_rate: ratio(respondents, seats?.seats_enabled ?? null),
  };
  for (const [dim, d] of dims) answer.values[`share_positive_${dim}`] = ratio(d.positive, d.respondents);
  answer.rows = rows;
  if (respondents < ctx.settings.minGroupSize) {
    const hint = await newestSurveyHint(ctx, respondents);
    if (hint) answer.warnings.push(hint);
  }
  return answer;
}

/** The newest survey's window (see the header), or null when there are no responses up to today. */
export async function newestSurveyWindow(ctx: Ctx): Promise<(DateRange & { respondents: number }) | null> {
  const responses = sql`r as (
    select r.email_key, r.survey_id, r.date_partition from impact_responses r
    where r.date_partition <= ${ctx.req.today}::date ${respondentFilter(ctx)})`;
  // Not materialised: the newest response is read backwards from the date index, and the newest
  // survey's two ends from the (survey_id, date_partition) index, not every response up to today.
  const { rows } = await sql<{ start: string; end: string }>`
    with r as not materialized (
      select r.email_key, r.survey_id, r.date_partition from impact_responses r
      where r.date_partition <= ${ctx.req.today}::date ${respondentFilter(ctx)}),
    newest as (select survey_id from r order by date_partition desc, survey_id desc limit 1)
    select to_char(min(date_partition), 'YYYY-MM-DD') as start, to_char(max(date_partition), 'YYYY-MM-DD') as end
    from r where survey_id = (select survey_id from newest)`.execute(ctx.db);
  const found = rows[0];
  if (!found?.start || !found.end) return null;
  let start = found.start;
  const end = found.end;
  if (end >= addMonths(start, MAX_RANGE_MONTHS)) {
    start = addDays(addMonths(end, -MAX_RANGE_MONTHS), 1);
    while (end >= addMonths(start, MAX_RANGE_MONTHS)) start = addDays(start, 1);
  }
  const { rows: n } = await sql<{ n: number }>`
    with ${responses}
    select count(distinct email_key) as n from r where date_partition between ${start}::date and ${end}::date`.execute(ctx.db);
  return { start, end, respondents: Number(n[0]?.n ?? 0) };
}

async function newestSurveyHint(ctx: Ctx, respondents: number): Promise<string | null> {
  const window = await newestSurveyWindow(ctx);
  const who = ctx.group ? ` in ${ctx.group.name}` : '';
  if (!window) return respondents === 0 ? `There are no impact survey responses${who} up to today.` : null;
  if (window.start >= ctx.range.start && window.end <= ctx.range.end) return null;
  const few =
    respondents === 0
      ? `Nobody${who} answered the impact survey in this period.`
      : `Only ${respondents} ${respondents === 1 ? 'person' : 'people'}${who} answered the impact survey in this period, fewer than the minimum group size of ${ctx.settings.minGroupSize}.`;
  const team = ctx.group ? ` team:${/\s/.test(ctx.group.name) ? `"${ctx.group.name}"` : ctx.group.name}` : '';
  return (
    `${few} The newest survey window with responses is ${formatRange(window)} ` +
    `(${window.respondents} respondent${window.respondents === 1 ? '' : 's'}): ask \`impact from:${window.start} to:${window.end}${team}\`.`
  );
}
