/**
 * The export-sourced demo workspace read back as an admin's tools would read it: headers, cell
 * forms, pending invites, dict literals, ranks, and weekly reports that add up to the monthly
 * one. February 2026 starts on a Sunday and has 28 days, so its four weeks tile it exactly.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorkspace, type GeneratedManifest } from '../../src/demo/index.ts';
import { parsePyDict, readCsv, sum, type Csv } from './support/read.ts';

const USERS_HEADER =
  'cadence,period_start,period_end,account_id,public_id,name,email,role,user_role,department,groups,user_status,' +
  'created_or_invited_date,is_active,first_day_active_in_period,last_day_active_in_period,messages,messages_rank,' +
  'model_to_messages,gpt_messages,gpts_messaged,gpt_to_messages,tool_messages,tools_messaged,tool_to_messages,' +
  'project_messages,projects_messaged,project_to_messages,projects_created,last_day_active';
const GPT_HEADER =
  'cadence,period_start,period_end,account_id,gpt_id,gpt_name,config_type,gpt_description,gpt_url,' +
  'gpt_creator_public_id,is_active,first_day_active_in_period,last_day_active_in_period,messages_workspace,' +
  'unique_messagers_workspace,gpt_creator_email';
const PROJECT_HEADER = GPT_HEADER.replace(/gpt_/g, 'project_');
const IMPACT_HEADER =
  'cadence,period_start,period_end,account_id,date_partition,workspace_id,name,email,survey_id,survey_name,question_id,answer_id';
const TOOLS = [
  'Search', 'Retrieval', 'Data Analysis', 'Image Gen', 'Canvas', 'Deep Research', 'Legacy Search', 'GPT Editor',
  'GPT External API Actions', 'Tasks',
];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Columns a pending invite leaves blank (everything but the common ones, email, status, date). */
const PENDING_BLANK = USERS_HEADER.split(',').slice(4).filter((c) => !['email', 'user_status', 'created_or_invited_date'].includes(c));
const ACTIVITY = ['first_day_active_in_period', 'last_day_active_in_period', 'messages_rank', 'model_to_messages', 'gpt_to_messages', 'tool_to_messages', 'project_to_messages'];

let dir: string;
let manifest: GeneratedManifest;
const parsed = new Map<string, Csv>();
const read = (path: string): Csv => {
  let csv = parsed.get(path);
  if (!csv) {
    csv = readCsv(join(dir, path));
    parsed.set(path, csv);
  }
  return csv;
};
const files = (kind: string, cadence?: string) => manifest.files.filter((f) => f.kind === kind && (!cadence || f.cadence === cadence));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wsa-demo-exports-'));
  manifest = await generateWorkspace({ seed: 3, users: 300, weeks: 9, groups: 8, source: 'exports', endDate: '2026-02-28' }, dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Users reports', () => {
  it('come weekly for each week and monthly for each complete month of the window', () => {
    // Window: Sunday 2025-12-28 to Saturday 2026-02-28.
    expect(files('users', 'Weekly').map((f) => `${f.period_start}..${f.period_end}`)).toEqual([
      '2025-12-28..2026-01-03', '2026-01-04..2026-01-10', '2026-01-11..2026-01-17', '2026-01-18..2026-01-24',
      '2026-01-25..2026-01-31', '2026-02-01..2026-02-07', '2026-02-08..2026-02-14', '2026-02-15..2026-02-21',
      '2026-02-22..2026-02-28',
    ]);
    // December began before the window: no report for it. January and February are complete.
    expect(files('users', 'Monthly').map((f) => `${f.period_start}..${f.period_end}`)).toEqual([
      '2026-01-01..2026-01-31', '2026-02-01..2026-02-28',
    ]);
    expect(files('users', 'Partial Monthly')).toEqual([]);
    expect(files('users', 'Weekly')[0]!.path).toBe('users/users-weekly-2025-12-28_2026-01-03.csv');
  });

  it('have the real header and one row per account, in the real cell forms', () => {
    // Problems are gathered and compared once: a per-cell expect would take seconds here.
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && problems.length < 20) problems.push(what);
    };
    let active = 0;
    let pending = 0;
    for (const f of files('users')) {
      const csv = read(f.path);
      expect(csv.header.join(','), f.path).toBe(USERS_HEADER);
      expect(csv.rows.length).toBe(f.rows);
      expect(csv.text.includes('\r')).toBe(false);
      const ids = new Set<string>();
      for (const r of csv.rows) {
        const at = `${f.path} ${r.public_id || r.email}`;
        check(r.cadence === f.cadence && r.period_start === f.period_start && r.period_end === f.period_end, `${at}: period`);
        check(r.account_id === manifest.options.accountId, `${at}: account_id`);
        check(['enabled', 'pending', 'deleted'].includes(r.user_status!), `${at}: user_status`);
        check(DATE.test(r.created_or_invited_date!) && r.created_or_invited_date! <= f.period_end!, `${at}: created_or_invited_date`);
        if (r.user_status === 'pending') {
          pending++;
          for (const c of PENDING_BLANK) check(r[c] === '', `${at}: ${c} of a pending invite is not blank`);
          check(/^[^@\s]+@[^@\s]+$/.test(r.email!), `${at}: email`);
          continue;
        }
        check(/^user-[A-Za-z0-9]{24}$/.test(r.public_id!) && !ids.has(r.public_id!), `${at}: public_id`);
        ids.add(r.public_id!);
        check(['standard-user', 'account-admin', 'account-owner'].includes(r.user_role!), `${at}: user_role`);
        check(['director', 'manager', 'team_member', 'executive', 'other', ''].includes(r.role!), `${at}: role`);
        if (r.department !== '') {
          const dept = JSON.parse(r.department!) as string[];
          check(Array.isArray(dept) && dept.every((d) => d === d.toLowerCase()), `${at}: department`);
        }
        if (r.user_status === 'deleted') check(r.groups === '', `${at}: a deleted account in groups`);
        for (const id of Object.keys(parsePyDict(r.groups!))) check(/^[0-9a-f]{32}$/.test(id), `${at}: group id ${id}`);
        check(['0', '1'].includes(r.is_active!), `${at}: is_active`);
        check(r.last_day_active === '' || (DATE.test(r.last_day_active!) && r.last_day_active! <= f.period_end!), `${at}: last_day_active`);
        if (r.is_active === '0') {
          for (const c of ACTIVITY) check(r[c] === '', `${at}: ${c} of an inactive account`);
          for (const c of ['messages', 'gpt_messages', 'gpts_messaged', 'tool_messages', 'tools_messaged', 'project_messages', 'projects_messaged', 'projects_created']) {
            check(r[c] === '0', `${at}: ${c} of an inactive account`);
          }
          continue;
        }
        active++;
        const messages = Number(r.messages);
        check(messages > 0, `${at}: messages`);
        check(r.first_day_active_in_period! >= f.period_start! && r.first_day_active_in_period! <= r.last_day_active_in_period!, `${at}: first day`);
        check(r.last_day_active_in_period! <= f.period_end! && r.last_day_active === r.last_day_active_in_period, `${at}: last day`);
        check(sum(parsePyDict(r.model_to_messages!)) === messages, `${at}: model_to_messages`);
        const gpts = parsePyDict(r.gpt_to_messages!);
        check(sum(gpts) === Number(r.gpt_messages) && Object.keys(gpts).length === Number(r.gpts_messaged), `${at}: gpt counts`);
        check(Object.keys(gpts).every((id) => /^g-[A-Za-z0-9]+$/.test(id)), `${at}: gpt ids`);
        const tools = parsePyDict(r.tool_to_messages!);
        check(sum(tools) === Number(r.tool_messages) && Object.keys(tools).length === Number(r.tools_messaged), `${at}: tool counts`);
        check(Object.keys(tools).every((t) => TOOLS.includes(t)), `${at}: tool names`);
        const projects = parsePyDict(r.project_to_messages!);
        check(sum(projects) === Number(r.project_messages) && Object.keys(projects).length === Number(r.projects_messaged), `${at}: project counts`);
        check(Object.keys(projects).every((id) => /^g-p-[0-9a-f]{32}$/.test(id)), `${at}: project ids`);
        check(Number(r.gpt_messages) + Number(r.project_messages) <= messages, `${at}: GPT and project messages exceed messages`);
      }
    }
    expect(problems).toEqual([]);
    expect(active).toBeGreaterThan(500);
    expect(pending).toBeGreaterThan(0);
  });

  it('rank by messages within the report, ties sharing a rank', () => {
    for (const f of files('users')) {
      const active = read(f.path).rows.filter((r) => r.is_active === '1');
      for (const r of active) {
        const more = active.filter((o) => Number(o.messages) > Number(r.messages)).length;
        expect(Number(r.messages_rank)).toBe(more + 1);
      }
    }
  });

  it('add up: the four February weeks give the February monthly report, account by account', () => {
    const weeks = files('users', 'Weekly').filter((f) => f.period_start! >= '2026-02-01').map((f) => read(f.path).rows);
    expect(weeks.length).toBe(4);
    const month = read(files('users', 'Monthly').find((f) => f.period_start === '2026-02-01')!.path).rows;
    const lastWeek = new Map(weeks[3]!.map((r) => [r.public_id || r.email, r]));
    let checked = 0;
    for (const m of month) {
      const key = m.public_id || m.email!;
      const inWeeks = weeks.map((w) => w.find((r) => (r.public_id || r.email) === key)).filter((r) => r !== undefined);
      const addUp = (column: string) => inWeeks.reduce((a, r) => a + Number(r[column] || 0), 0);
      expect(addUp('messages'), key).toBe(Number(m.messages || 0));
      expect(addUp('gpt_messages')).toBe(Number(m.gpt_messages || 0));
      expect(addUp('tool_messages')).toBe(Number(m.tool_messages || 0));
      expect(addUp('project_messages')).toBe(Number(m.project_messages || 0));
      expect(addUp('projects_created')).toBe(Number(m.projects_created || 0));
      const mergedTools: Record<string, number> = {};
      for (const r of inWeeks) for (const [t, c] of Object.entries(parsePyDict(r.tool_to_messages!))) mergedTools[t] = (mergedTools[t] ?? 0) + Number(c);
      expect(mergedTools).toEqual(parsePyDict(m.tool_to_messages!));
      const activeWeeks = inWeeks.filter((r) => r.is_active === '1');
      expect(m.is_active).toBe(m.user_status === 'pending' ? '' : activeWeeks.length > 0 ? '1' : '0');
      if (activeWeeks.length > 0) {
        expect(m.first_day_active_in_period).toBe(activeWeeks[0]!.first_day_active_in_period);
        expect(m.last_day_active_in_period).toBe(activeWeeks.at(-1)!.last_day_active_in_period);
        checked++;
      }
      // Both end on 2026-02-28: same status and carried last_day_active.
      expect(m.user_status).toBe(lastWeek.get(key)!.user_status);
      expect(m.last_day_active).toBe(lastWeek.get(key)!.last_day_active);
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('carry last_day_active across reports', () => {
    const weekly = files('users', 'Weekly').map((f) => new Map(read(f.path).rows.map((r) => [r.public_id, r])));
    let carried = 0;
    for (let w = 1; w < weekly.length; w++) {
      for (const [id, r] of weekly[w]!) {
        const before = weekly[w - 1]!.get(id);
        if (!id || !before || r.is_active !== '0') continue;
        expect(r.last_day_active, id).toBe(before.last_day_active);
        if (r.last_day_active !== '') carried++;
      }
    }
    expect(carried).toBeGreaterThan(10);
  });

  it('sum to the messages the manifest reports', () => {
    const total = files('users', 'Weekly').reduce((a, f) => a + read(f.path).rows.reduce((b, r) => b + Number(r.messages || 0), 0), 0);
    expect(total).toBe(manifest.summary.messages);
  });

  it('show the directory a real workspace has', () => {
    const last = read(files('users', 'Weekly').at(-1)!.path).rows;
    const enabled = last.filter((r) => r.user_status === 'enabled');
    // Group sizes at the end, from the dict literals; some groups are under 10 members.
    const members = new Map<string, number>();
    for (const r of enabled) for (const name of Object.values(parsePyDict(r.groups!))) members.set(String(name), (members.get(String(name)) ?? 0) + 1);
    const sizes = [...members.values()];
    expect(sizes.some((n) => n < 10)).toBe(true);
    expect(sizes.some((n) => n >= 50)).toBe(true);
    expect(members.size).toBe(8);
    // Python picks double quotes for a name holding an apostrophe.
    expect(last.some((r) => r.groups!.includes(`"Founders' Office"`))).toBe(true);
    // …and single quotes for one holding double quotes; the CSV doubles those.
    expect(last.some((r) => r.groups!.includes(`'Project "Atlas" Core'`))).toBe(true);
    expect(read(files('users', 'Weekly').at(-1)!.path).text).toContain(`'Project ""Atlas"" Core'`);
    // A few enabled people are in no group.
    const ungrouped = enabled.filter((r) => r.groups === '').length;
    expect(ungrouped).toBeGreaterThan(0);
    expect(ungrouped).toBeLessThan(enabled.length * 0.1);
    // One person with two accounts under the same email, the second an admin account.
    const byEmail = new Map<string, typeof last>();
    for (const r of last) byEmail.set(r.email!.toLowerCase(), [...(byEmail.get(r.email!.toLowerCase()) ?? []), r]);
    const twins = [...byEmail.values()].filter((rs) => rs.length > 1);
    expect(twins.length).toBe(1);
    expect(twins[0]!.map((r) => r.user_role).sort()).toEqual(['account-admin', 'standard-user']);
    expect(last.filter((r) => r.user_role === 'account-owner').length).toBe(1);
    // Names with apostrophes, commas, accents, and names that are just the email.
    expect(last.some((r) => r.name!.includes("'"))).toBe(true);
    expect(last.some((r) => r.name!.includes(','))).toBe(true);
    expect(last.some((r) => /[^\x00-\x7f]/.test(r.name!))).toBe(true);
    expect(last.some((r) => r.name !== '' && r.name === r.email)).toBe(true);
    // People join during the window, some leave, some invites are still pending.
    expect(last.some((r) => r.created_or_invited_date! >= manifest.options.startDate && r.user_status === 'enabled')).toBe(true);
    const first = new Map(read(files('users', 'Weekly')[0]!.path).rows.map((r) => [r.public_id, r.user_status]));
    expect(last.some((r) => r.user_status === 'deleted' && first.get(r.public_id) === 'enabled')).toBe(true);
    expect(last.some((r) => r.user_status === 'pending')).toBe(true);
  });

  it('hold power users and many light users', () => {
    const rows = files('users', 'Weekly').flatMap((f) => read(f.path).rows.filter((r) => r.is_active === '1'));
    const power = rows.filter((r) => Number(r.messages) >= 75 && Number(r.tools_messaged) >= 3);
    expect(power.length).toBeGreaterThan(0);
    const light = rows.filter((r) => Number(r.messages) < 20);
    expect(light.length).toBeGreaterThan(rows.length / 2);
    // Tool-generated messages often outnumber messages.
    expect(rows.some((r) => Number(r.tool_messages) > Number(r.messages))).toBe(true);
  });
});

describe('GPT and Project reports', () => {
  it.each([
    ['gpts', 'gpt', GPT_HEADER, /^g-[A-Za-z0-9]{9}$/, 'gpt_to_messages'],
    ['projects', 'project', PROJECT_HEADER, /^g-p-[0-9a-f]{32}$/, 'project_to_messages'],
  ] as const)('%s: the appendix columns, and usage that matches the Users reports', (kind, item, header, idForm, mapColumn) => {
    expect(files(kind, 'Weekly').length).toBe(9);
    expect(files(kind, 'Monthly').length).toBe(2);
    for (const f of files(kind)) {
      const csv = read(f.path);
      expect(csv.header.join(',')).toBe(header);
      const users = read(files('users').find((u) => u.cadence === f.cadence && u.period_start === f.period_start)!.path).rows;
      const messages = new Map<string, number>();
      const messagers = new Map<string, number>();
      for (const u of users) {
        for (const [id, c] of Object.entries(parsePyDict(u[mapColumn] ?? ''))) {
          messages.set(id, (messages.get(id) ?? 0) + Number(c));
          messagers.set(id, (messagers.get(id) ?? 0) + 1);
        }
      }
      const publicIds = new Set(users.map((u) => u.public_id));
      for (const r of csv.rows) {
        const id = r[`${item}_id`]!;
        expect(id).toMatch(idForm);
        expect(['live', 'draft']).toContain(r.config_type);
        expect(r[`${item}_url`]).toMatch(/^https:\/\/chatgpt\.com\/g\//);
        expect(publicIds.has(r[`${item}_creator_public_id`])).toBe(true);
        expect(Number(r.messages_workspace)).toBe(messages.get(id) ?? 0);
        expect(Number(r.unique_messagers_workspace)).toBe(messagers.get(id) ?? 0);
        expect(r.is_active).toBe(messages.has(id) ? '1' : '0');
        if (r.is_active === '0') expect([r.first_day_active_in_period, r.last_day_active_in_period]).toEqual(['', '']);
        else expect(r.first_day_active_in_period).toMatch(DATE);
      }
      // Every id used in the Users report is in the catalog of the same period.
      const listed = new Set(csv.rows.map((r) => r[`${item}_id`]));
      for (const id of messages.keys()) expect(listed.has(id)).toBe(true);
    }
  });

  it('count the projects people created', () => {
    const created = files('users', 'Weekly').reduce((a, f) => a + read(f.path).rows.reduce((b, r) => b + Number(r.projects_created || 0), 0), 0);
    const first = read(files('projects', 'Weekly')[0]!.path).rows.length;
    const last = read(files('projects', 'Weekly').at(-1)!.path).rows.length;
    // Projects created during the window (they appear on their creation day, in an active day).
    expect(last - first).toBeLessThanOrEqual(created);
    expect(last).toBe(manifest.summary.projects);
  });
});

describe('impact surveys and their catalog', () => {
  it('answer only questions and answers the catalog knows, plus one it does not', () => {
    const catalog = JSON.parse(readFileSync(join(dir, 'impact-catalog.json'), 'utf8')) as {
      questions: { question_id: string; dimension: string; text: string; answers: { answer_id: string; label: string; positive: boolean }[] }[];
    };
    expect(new Set(catalog.questions.map((q) => q.dimension))).toEqual(
      new Set(['productivity', 'time_saved', 'work_quality', 'work_satisfaction', 'new_tasks', 'stakeholder_service']),
    );
    for (const q of catalog.questions) {
      expect(q.text.length).toBeGreaterThan(10);
      expect(q.answers.some((a) => a.positive)).toBe(true);
      expect(q.answers.some((a) => !a.positive)).toBe(true);
    }
    const answers = new Map(catalog.questions.map((q) => [q.question_id, new Set(q.answers.map((a) => a.answer_id))]));
    const emails = new Set(read(files('users', 'Weekly').at(-1)!.path).rows.map((r) => r.email));
    const unknown = new Set<string>();
    let rows = 0;
    for (const f of files('impact')) {
      const csv = read(f.path);
      expect(csv.header.join(',')).toBe(IMPACT_HEADER);
      for (const r of csv.rows) {
        rows++;
        expect(r.date_partition! >= f.period_start! && r.date_partition! <= f.period_end!).toBe(true);
        expect(r.workspace_id).toBe(manifest.options.accountId);
        expect(emails.has(r.email)).toBe(true);
        expect(r.survey_id).toMatch(/^[0-9a-f-]{36}$/);
        const known = answers.get(r.question_id!);
        if (known) expect(known.has(r.answer_id!)).toBe(true);
        else unknown.add(r.question_id!);
      }
    }
    expect(rows).toBeGreaterThan(50);
    expect([...unknown]).toEqual(['q-recommend-1']);
  });
});

describe('the demo writes the columns the importer reads', () => {
  it('has the Users report columns of the importer, in its order (the generator keeps its own list, as a stand-in for the product; credits_used is optional and the demo has no credits)', async () => {
    const { USERS_COLUMNS } = await import('../../src/demo/write-users-report.ts');
    const { layoutOf } = await import('../../src/ingest/columns.ts');
    const layout = layoutOf('users');
    expect([...USERS_COLUMNS]).toEqual(layout.columns.filter((c) => !layout.optional.includes(c)));
  });
});
