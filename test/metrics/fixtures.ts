/**
 * Fixture builders for metric tests: rows inserted straight into the real store tables, the way
 * the importers leave them (docs/design.md §4, migrations/0001_initial.ts). One activity list can be
 * written as usage events (with their per-user, per-day roll-up) or as Users reports (weekly,
 * monthly, partial), so the same activity can be asked of an export-fed and an event-fed store.
 *
 * These builders only shape data; expected numbers in the tests are worked out by hand.
 */
import type { Db, ImpactAnswer } from '../../src/store/schema.ts';
import type { RowsPage } from '../../src/core/rows-json.ts';

/** `n` messages by user `u` on day `d` in conversation `conv`. */
export interface Act {
  u: string;
  d: string;
  n: number;
  conv: string;
  task?: string | null;
  topic?: string | null;
  /** How many of the n messages used each tool / GPT / project / skill / app (each ≤ n). */
  tool?: Record<string, number>;
  gpt?: Record<string, number>;
  project?: Record<string, number>;
  skill?: Record<string, number>;
  app?: Record<string, number>;
  /** Users reports only (events carry no project creation). */
  projectsCreated?: number;
}

export interface Account {
  /** public_id; absent for a pending invite. */
  id?: string;
  email: string;
  name?: string;
  status: 'enabled' | 'pending' | 'deleted';
  groups?: string[];
  userRole?: string;
  /** Users reports: last day active before the imported history (overrides the computed one). */
  lastDayActive?: string | null;
}

export type ReportGrain = 'week' | 'month' | 'range';

export interface UsersReportSpec {
  grain: ReportGrain;
  cadence?: string;
  start: string;
  end: string;
  accounts: Account[];
  /** The whole activity history; the report keeps what falls in [start, end]. */
  acts: Act[];
  /** Users reports count tool-generated messages, often more than events do (docs/design.md §4.2). */
  toolFactor?: number;
}

const IMPORTED_AT = '2026-03-05T06:00:00.000Z';
const ACCOUNT_ID = 'a'.repeat(32);

function add(map: Record<string, number>, key: string, n: number) {
  map[key] = (map[key] ?? 0) + n;
}

function sum(m: Record<string, number> | undefined): number {
  return Object.values(m ?? {}).reduce((a, b) => a + b, 0);
}

function scale(m: Record<string, number>, f: number): Record<string, number> {
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v * f]));
}

function json(m: Record<string, number>): string | null {
  return Object.keys(m).length === 0 ? null : JSON.stringify(m);
}

/** Events of an activity list: one per message, attributes given to the first messages. */
/** The rows of a streamed answer's page (the JSON answer's text of them). */
export function rowsOf(page: RowsPage): Array<Record<string, unknown>> {
  return JSON.parse(`[${page.json}]`) as Array<Record<string, unknown>>;
}

export function eventsOf(acts: Act[]) {
  const out: Array<{
    id: string;
    ts: string;
    day: string;
    public_id: string;
    conversation_id: string;
    gpt_id: string | null;
    project_id: string | null;
    tool: string | null;
    skill: string | null;
    app: string | null;
    model: string | null;
    task_type: string | null;
    topic: string | null;
  }> = [];
  let seq = 0;
  for (const a of acts) {
    const expand = (m: Record<string, number> | undefined) => {
      const list: string[] = [];
      for (const [k, v] of Object.entries(m ?? {})) for (let i = 0; i < v; i++) list.push(k);
      if (list.length > a.n) throw new Error(`fixture: more attributed messages than ${a.n} in ${a.conv}`);
      return list;
    };
    const [tools, gpts, projects, skills, apps] = [a.tool, a.gpt, a.project, a.skill, a.app].map(expand);
    for (let i = 0; i < a.n; i++) {
      seq++;
      const minute = String(seq % 60).padStart(2, '0');
      out.push({
        id: `ev-${String(seq).padStart(6, '0')}`,
        ts: `${a.d}T12:${minute}:00.000Z`,
        day: a.d,
        public_id: a.u,
        conversation_id: a.conv,
        gpt_id: gpts![i] ?? null,
        project_id: projects![i] ?? null,
        tool: tools![i] ?? null,
        skill: skills![i] ?? null,
        app: apps![i] ?? null,
        model: 'gpt-5',
        task_type: a.task ?? null,
        topic: a.topic ?? null,
      });
    }
  }
  return out;
}

interface Agg {
  first: string;
  last: string;
  messages: number;
  gpt: Record<string, number>;
  tool: Record<string, number>;
  project: Record<string, number>;
  skill: Record<string, number>;
  app: Record<string, number>;
  model: Record<string, number>;
  projectsCreated: number;
}

function aggregate(acts: Act[]): Map<string, Agg> {
  const by = new Map<string, Agg>();
  for (const a of acts) {
    let g = by.get(a.u);
    if (!g) {
      g = { first: a.d, last: a.d, messages: 0, gpt: {}, tool: {}, project: {}, skill: {}, app: {}, model: {}, projectsCreated: 0 };
      by.set(a.u, g);
    }
    if (a.d < g.first) g.first = a.d;
    if (a.d > g.last) g.last = a.d;
    g.messages += a.n;
    add(g.model, 'gpt-5', a.n);
    for (const [k, v] of Object.entries(a.gpt ?? {})) add(g.gpt, k, v);
    for (const [k, v] of Object.entries(a.tool ?? {})) add(g.tool, k, v);
    for (const [k, v] of Object.entries(a.project ?? {})) add(g.project, k, v);
    for (const [k, v] of Object.entries(a.skill ?? {})) add(g.skill, k, v);
    for (const [k, v] of Object.entries(a.app ?? {})) add(g.app, k, v);
    g.projectsCreated += a.projectsCreated ?? 0;
  }
  return by;
}

export class StoreFixture {
  constructor(readonly db: Db) {}
  #importId: number | null = null;
  #position = 0;

  async workspace(source: 'exports' | 'events' | null): Promise<void> {
    await this.db
      .insertInto('workspace')
      .values({ id: 1, account_id: ACCOUNT_ID, usage_source: source })
      .onConflict((oc) => oc.column('id').doUpdateSet({ usage_source: source }))
      .execute();
  }

  async settings(s: { seats?: number | null; industry?: string | null; eu?: boolean; taskInsights?: boolean | null; minGroupSize?: number }) {
    await this.db
      .insertInto('settings')
      .values({
        id: 1,
        seats_purchased: s.seats ?? null,
        benchmark_industry: s.industry ?? null,
        eu_data_residency: s.eu ?? false,
        task_insights: s.taskInsights ?? null,
        min_group_size: s.minGroupSize ?? 10,
      })
      .execute();
  }

  async importLog(kind: 'users' | 'gpts' | 'projects' | 'impact' | 'catalog' | 'directory' | 'events', at = IMPORTED_AT): Promise<number> {
    const row = await this.db
      .insertInto('import_log')
      .values({ kind, source: `${kind}.fixture`, rows: 0, imported_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    this.#importId = row.id;
    return row.id;
  }

  async #anyImport(): Promise<number> {
    return this.#importId ?? this.importLog('users');
  }

  async groups(list: Array<[id: string, name: string]>): Promise<void> {
    await this.db
      .insertInto('scim_groups')
      .values(list.map(([group_id, name]) => ({ group_id, name, name_key: name.toLowerCase(), named_as_of: '2026-01-01' })))
      .execute();
  }

  async #accounts(snapshotId: number, accounts: Account[], lastActive: (a: Account) => string | null) {
    if (accounts.length === 0) return;
    await this.db
      .insertInto('directory_accounts')
      .values(
        accounts.map((a, i) => ({
          snapshot_id: snapshotId,
          account_key: a.id ?? `email:${a.email.toLowerCase()}`,
          public_id: a.id ?? null,
          name: a.name ?? (a.id ? a.id.replace('user-', '') : null),
          email: a.email,
          email_key: a.email.toLowerCase(),
          role: null,
          user_role: a.id ? (a.userRole ?? 'standard-user') : null,
          department: null,
          group_ids: a.groups ?? [],
          user_status: a.status,
          created_or_invited_date: '2026-01-01',
          last_day_active: lastActive(a),
          position: i,
        })),
      )
      .execute();
  }

  /** A directory CSV import (event-fed stores): a snapshot as of its import day. */
  async directory(asOf: string, accounts: Account[]): Promise<number> {
    const importId = await this.importLog('directory');
    const snap = await this.db
      .insertInto('directory_snapshots')
      .values({ report_id: null, source: 'directory', period_start: asOf, as_of: asOf, import_id: importId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.#accounts(snap.id, accounts, () => null);
    return snap.id;
  }

  /** A Users report: report row, its directory snapshot, and one fact row per active user. */
  async usersReport(spec: UsersReportSpec): Promise<number> {
    const importId = await this.importLog('users');
    const cadence =
      spec.cadence ?? (spec.grain === 'week' ? 'Weekly' : spec.grain === 'month' ? 'Monthly' : 'Date Range');
    const report = await this.db
      .insertInto('reports')
      .values({ kind: 'users', grain: spec.grain, cadence, period_start: spec.start, period_end: spec.end, import_id: importId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const snap = await this.db
      .insertInto('directory_snapshots')
      .values({ report_id: report.id, source: 'users_report', period_start: spec.start, as_of: spec.end, import_id: importId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const history = aggregate(spec.acts.filter((a) => a.d <= spec.end));
    await this.#accounts(snap.id, spec.accounts, (a) => {
      const seen = a.id ? (history.get(a.id)?.last ?? null) : null;
      if (a.lastDayActive === undefined) return seen;
      if (a.lastDayActive === null) return seen;
      return seen === null || a.lastDayActive > seen ? a.lastDayActive : seen;
    });
    const factor = spec.toolFactor ?? 2;
    const inPeriod = aggregate(spec.acts.filter((a) => a.d >= spec.start && a.d <= spec.end));
    const rows = [...inPeriod.entries()].map(([public_id, g]) => {
      const tools = scale(g.tool, factor);
      return {
        report_id: report.id,
        grain: spec.grain,
        period_start: spec.start,
        period_end: spec.end,
        public_id,
        first_day_active_in_period: g.first,
        last_day_active_in_period: g.last,
        messages: g.messages,
        messages_rank: null,
        gpt_messages: sum(g.gpt),
        gpts_messaged: Object.keys(g.gpt).length,
        tool_messages: sum(tools),
        tools_messaged: Object.keys(tools).length,
        project_messages: sum(g.project),
        projects_messaged: Object.keys(g.project).length,
        projects_created: g.projectsCreated,
        skill_messages: null,
        app_messages: null,
        credits_used: null,
        last_day_active: history.get(public_id)?.last ?? g.last,
        model_to_messages: json(g.model),
        gpt_to_messages: json(g.gpt),
        tool_to_messages: json(tools),
        project_to_messages: json(g.project),
        skill_to_messages: null,
        app_to_messages: null,
      };
    });
    if (rows.length > 0) await this.db.insertInto('user_facts').values(rows).execute();
    return report.id;
  }

  /** Usage events and their per-user, per-day roll-up (docs/design.md §4.2). */
  async events(acts: Act[]): Promise<void> {
    const importId = await this.importLog('events');
    const events = eventsOf(acts);
    for (let i = 0; i < events.length; i += 500) {
      await this.db
        .insertInto('events')
        .values(events.slice(i, i + 500).map((e) => ({ ...e, import_id: importId })))
        .execute();
    }
    const byUserDay = new Map<string, Act[]>();
    for (const a of acts) {
      const k = `${a.u}|${a.d}`;
      byUserDay.set(k, [...(byUserDay.get(k) ?? []), a]);
    }
    const lastSoFar = (u: string, d: string) =>
      acts.filter((a) => a.u === u && a.d <= d).reduce((m, a) => (a.d > m ? a.d : m), d);
    const rows = [...byUserDay.entries()].map(([k, list]) => {
      const [public_id, day] = k.split('|') as [string, string];
      const g = aggregate(list).get(public_id)!;
      return {
        report_id: null,
        grain: 'day' as const,
        period_start: day,
        period_end: day,
        public_id,
        first_day_active_in_period: day,
        last_day_active_in_period: day,
        messages: g.messages,
        messages_rank: null,
        gpt_messages: sum(g.gpt),
        gpts_messaged: Object.keys(g.gpt).length,
        tool_messages: sum(g.tool),
        tools_messaged: Object.keys(g.tool).length,
        project_messages: sum(g.project),
        projects_messaged: Object.keys(g.project).length,
        projects_created: 0,
        skill_messages: sum(g.skill),
        app_messages: sum(g.app),
        credits_used: null,
        last_day_active: lastSoFar(public_id, day),
        model_to_messages: json(g.model),
        gpt_to_messages: json(g.gpt),
        tool_to_messages: json(g.tool),
        project_to_messages: json(g.project),
        skill_to_messages: json(g.skill),
        app_to_messages: json(g.app),
      };
    });
    if (rows.length > 0) await this.db.insertInto('user_facts').values(rows).execute();
  }

  async catalogReport(
    item: 'gpt' | 'project',
    spec: { grain: ReportGrain; start: string; end: string; rows: Array<{ id: string; name: string; config?: string; creator?: string; messages?: number; unique?: number }> },
  ): Promise<number> {
    const importId = await this.importLog(item === 'gpt' ? 'gpts' : 'projects');
    const report = await this.db
      .insertInto('reports')
      .values({
        kind: item === 'gpt' ? 'gpts' : 'projects',
        grain: spec.grain,
        cadence: spec.grain === 'week' ? 'Weekly' : 'Monthly',
        period_start: spec.start,
        period_end: spec.end,
        import_id: importId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const common = (r: (typeof spec.rows)[number], i: number) => ({
      report_id: report.id,
      config_type: r.config ?? 'live',
      is_active: (r.messages ?? 0) > 0,
      first_day_active_in_period: null,
      last_day_active_in_period: null,
      messages_workspace: r.messages ?? 0,
      unique_messagers_workspace: r.unique ?? 0,
      position: i,
    });
    if (item === 'gpt') {
      await this.db
        .insertInto('gpt_report_rows')
        .values(
          spec.rows.map((r, i) => ({
            ...common(r, i),
            gpt_id: r.id,
            gpt_name: r.name,
            gpt_description: `${r.name} helps`,
            gpt_url: `https://chatgpt.com/g/${r.id}`,
            gpt_creator_public_id: r.creator ?? null,
            gpt_creator_email: null,
          })),
        )
        .execute();
    } else {
      await this.db
        .insertInto('project_report_rows')
        .values(
          spec.rows.map((r, i) => ({
            ...common(r, i),
            project_id: r.id,
            project_name: r.name,
            project_description: `${r.name} project`,
            project_url: null,
            project_creator_public_id: r.creator ?? null,
            project_creator_email: null,
          })),
        )
        .execute();
    }
    return report.id;
  }

  /** Impact survey responses: [date_partition, email, question_id, answer_id], all of one survey. */
  async impact(rows: Array<[string, string, string, string]>, period: { start: string; end: string }, surveyId = 'survey-1'): Promise<void> {
    const importId = await this.importLog('impact');
    const report = await this.db
      .insertInto('reports')
      .values({ kind: 'impact', grain: 'range', cadence: 'Date Range', period_start: period.start, period_end: period.end, import_id: importId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.db
      .insertInto('impact_responses')
      .values(
        rows.map(([date_partition, email, question_id, answer_id]) => ({
          report_id: report.id,
          position: this.#position++,
          date_partition,
          workspace_id: ACCOUNT_ID,
          name: null,
          email,
          email_key: email.toLowerCase(),
          survey_id: surveyId,
          survey_name: 'Impact survey',
          question_id,
          answer_id,
        })),
      )
      .execute();
  }

  async impactQuestions(qs: Array<{ id: string; dimension: string; answers: ImpactAnswer[] }>): Promise<void> {
    await this.importLog('catalog');
    await this.db
      .insertInto('impact_questions')
      .values(
        qs.map((q, i) => ({
          question_id: q.id,
          position: i,
          dimension: q.dimension,
          text: `Question ${q.id}`,
          answers: JSON.stringify(q.answers),
        })),
      )
      .execute();
  }

  async anyImport(): Promise<number> {
    return this.#anyImport();
  }
}
