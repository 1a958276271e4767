/**
 * Imports of hand-written fixtures in the real-world form of docs/design.md §4.1, checked row by
 * row against values read off the fixtures by hand.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeImport } from '../../src/ingest/describe-import.ts';
import { importFile } from '../../src/ingest/import-files.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { ACCOUNT, dataDump, fixture, importText, options, withoutIds } from './support/import-helpers.ts';

const ZOE = 'user-Zk3pQ8rT2vW9xY4bN6mL1cD0';
const JOSE = 'user-Gh5jK7lM9nP2qR4sT6uV8wX0';
const ANNE = 'user-Ab1cD2eF3gH4iJ5kL6mN7oP8';
const OPS = 'user-Qw2eR4tY6uI8oP0aS2dF4gH6';
const ZOE_ADMIN = 'user-Zx9cV8bN7mL6kJ5hG4fD3sA2';
const LUKASZ = 'user-Lk8jH6gF4dS2aP0oI8uY6tR4';
const MJ = 'user-Mj4nB6vC8xZ0lK2jH4gF6dS8';
const NOOR = 'user-Nb7vC5xZ3lK1jH9gF7dS5aP3';
const G_USERS = '6806684c27e88190b4cb45225dded629';
const G_CORE = '7a1b2c3d4e5f60718293a4b5c6d7e8f9';
const G_SALES = '0123456789abcdef0123456789abcdef';
const G_SUPPORT = 'fedcba9876543210fedcba9876543210';
const G_FINE = '00ff00ff00ff00ff00ff00ff00ff00ff';

/** The accounts of users-weekly.csv, as the file says them (position = physical line). */
const WEEKLY_ACCOUNTS = [
  { account_key: ZOE, public_id: ZOE, name: "Zoë O'Brien", email: 'zoe.obrien@example.com', email_key: 'zoe.obrien@example.com', role: 'director', user_role: 'account-owner', department: ['finance', 'analytics'], group_ids: [G_USERS, G_CORE], user_status: 'enabled', created_or_invited_date: '2024-02-12', last_day_active: '2025-10-31', position: 2 },
  { account_key: JOSE, public_id: JOSE, name: 'García, José', email: 'jose.garcia@example.com', email_key: 'jose.garcia@example.com', role: 'manager', user_role: 'standard-user', department: ['sales'], group_ids: [G_SALES], user_status: 'enabled', created_or_invited_date: '2024-05-01', last_day_active: '2025-11-01', position: 3 },
  { account_key: ANNE, public_id: ANNE, name: 'Anne "Nan" Smith', email: 'anne.smith@example.com', email_key: 'anne.smith@example.com', role: 'team_member', user_role: 'standard-user', department: null, group_ids: [G_SUPPORT, G_FINE], user_status: 'enabled', created_or_invited_date: '2024-06-15', last_day_active: '2025-09-30', position: 4 },
  { account_key: 'email:new.hire@example.com', public_id: null, name: null, email: 'New.Hire@Example.com', email_key: 'new.hire@example.com', role: null, user_role: null, department: null, group_ids: [], user_status: 'pending', created_or_invited_date: '2025-10-30', last_day_active: null, position: 5 },
  { account_key: OPS, public_id: OPS, name: 'ops.admin@example.com', email: 'ops.admin@example.com', email_key: 'ops.admin@example.com', role: null, user_role: 'account-admin', department: null, group_ids: [], user_status: 'enabled', created_or_invited_date: '2023-11-20', last_day_active: '2025-11-01', position: 6 },
  { account_key: ZOE_ADMIN, public_id: ZOE_ADMIN, name: "Zoë O'Brien (admin)", email: 'ZOE.OBRIEN@example.com', email_key: 'zoe.obrien@example.com', role: null, user_role: 'account-admin', department: null, group_ids: [G_USERS], user_status: 'enabled', created_or_invited_date: '2024-02-12', last_day_active: null, position: 7 },
  { account_key: LUKASZ, public_id: LUKASZ, name: 'Łukasz Żółć', email: 'lukasz@example.com', email_key: 'lukasz@example.com', role: 'other', user_role: 'standard-user', department: ['engineering'], group_ids: [], user_status: 'deleted', created_or_invited_date: '2023-01-05', last_day_active: '2025-06-01', position: 8 },
  { account_key: MJ, public_id: MJ, name: 'Mary-Jane Watson', email: 'mj.watson@example.com', email_key: 'mj.watson@example.com', role: 'executive', user_role: 'standard-user', department: ['marketing'], group_ids: [G_USERS], user_status: 'enabled', created_or_invited_date: '2025-01-10', last_day_active: '2025-10-20', position: 9 },
];

const WEEK = { grain: 'week', period_start: '2025-10-26', period_end: '2025-11-01' };
const NO_SKILLS = { skill_messages: null, app_messages: null, skill_to_messages: null, app_to_messages: null };
const ZERO = { gpt_messages: 0, gpts_messaged: 0, tool_messages: 0, tools_messaged: 0, project_messages: 0, projects_messaged: 0, projects_created: 0 };

/** Facts of users-weekly.csv: rows with any activity (Mary-Jane created a project, nothing else). */
const WEEKLY_FACTS = [
  { ...WEEK, public_id: JOSE, is_active: true, first_day_active_in_period: '2025-10-27', last_day_active_in_period: '2025-11-01', messages: 300, messages_rank: 1, ...ZERO, tool_messages: 5, tools_messaged: 1, credits_used: null, last_day_active: '2025-11-01', model_to_messages: { 'gpt-5': 300 }, gpt_to_messages: null, tool_to_messages: { Search: 5 }, project_to_messages: null, ...NO_SKILLS },
  { ...WEEK, public_id: MJ, is_active: false, first_day_active_in_period: null, last_day_active_in_period: null, messages: 0, messages_rank: null, ...ZERO, projects_created: 1, credits_used: null, last_day_active: '2025-10-20', model_to_messages: null, gpt_to_messages: null, tool_to_messages: null, project_to_messages: null, ...NO_SKILLS },
  { ...WEEK, public_id: OPS, is_active: true, first_day_active_in_period: '2025-11-01', last_day_active_in_period: '2025-11-01', messages: 3, messages_rank: 3, ...ZERO, credits_used: null, last_day_active: '2025-11-01', model_to_messages: { 'gpt-4o': 3 }, gpt_to_messages: null, tool_to_messages: null, project_to_messages: null, ...NO_SKILLS },
  { ...WEEK, public_id: ZOE, is_active: true, first_day_active_in_period: '2025-10-26', last_day_active_in_period: '2025-10-31', messages: 120, messages_rank: 2, gpt_messages: 15, gpts_messaged: 2, tool_messages: 160, tools_messaged: 3, project_messages: 12, projects_messaged: 1, projects_created: 1, credits_used: null, last_day_active: '2025-10-31', model_to_messages: { 'gpt-5': 100, 'gpt-5-thinking': 20 }, gpt_to_messages: { 'g-68f0c1d2e3a4b5c6d7e8f9a0': 10, 'g-1a2b3c4d5e6f7a8b9c0d1e2f': 5 }, tool_to_messages: { Search: 100, 'Data Analysis': 40, Canvas: 20 }, project_to_messages: { 'g-p-68f0a1b2c3d4e5f6a7b8c9d0': 12 }, ...NO_SKILLS },
];

const WEEKLY_GROUPS = [
  { group_id: G_FINE, name: `It's "fine"`, name_key: `it's "fine"`, named_as_of: '2025-11-01' },
  { group_id: G_SALES, name: 'Sales, EMEA', name_key: 'sales, emea', named_as_of: '2025-11-01' },
  { group_id: G_USERS, name: 'SG-Chatgpt-Users', name_key: 'sg-chatgpt-users', named_as_of: '2025-11-01' },
  { group_id: G_CORE, name: "R&D 'Core'", name_key: "r&d 'core'", named_as_of: '2025-11-01' },
  { group_id: G_SUPPORT, name: 'Support "Tier 2"', name_key: 'support "tier 2"', named_as_of: '2025-11-01' },
];

describe.each(backends())('importing export reports on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await clearStore(store.db);
  });

  const accounts = () =>
    store.db
      .selectFrom('directory_accounts as a')
      .innerJoin('directory_snapshots as s', 's.id', 'a.snapshot_id')
      .select(['s.as_of', 'a.account_key', 'a.public_id', 'a.name', 'a.email', 'a.email_key', 'a.role', 'a.user_role', 'a.department', 'a.group_ids', 'a.user_status', 'a.created_or_invited_date', 'a.last_day_active', 'a.position'])
      .orderBy('s.as_of')
      .orderBy('a.position')
      .execute();
  const facts = () =>
    store.db.selectFrom('user_facts').selectAll().orderBy('grain').orderBy('period_start').orderBy('public_id').execute();
  const groups = () => store.db.selectFrom('scim_groups').selectAll().orderBy('group_id').execute();

  it('stores a weekly Users report exactly: report, directory snapshot, groups, facts', async () => {
    const result = await importFile(store.db, fixture('users-weekly.csv'), options());
    expect(result).toMatchObject({
      kind: 'users',
      rows: 8,
      warnings: [],
      replacedDemo: false,
      period: { cadence: 'Weekly', start: '2025-10-26', end: '2025-11-01' },
    });
    expect(result.replaced).toBeUndefined();
    const reports = await store.db.selectFrom('reports').selectAll().execute();
    expect(withoutIds(reports, 'id', 'import_id')).toEqual([
      { kind: 'users', grain: 'week', cadence: 'Weekly', period_start: '2025-10-26', period_end: '2025-11-01' },
    ]);
    const snapshots = await store.db.selectFrom('directory_snapshots').selectAll().execute();
    expect(snapshots).toEqual([
      { id: snapshots[0]!.id, report_id: reports[0]!.id, source: 'users_report', period_start: '2025-10-26', as_of: '2025-11-01', import_id: reports[0]!.import_id },
    ]);
    expect(withoutIds(await accounts(), 'as_of')).toEqual(WEEKLY_ACCOUNTS);
    expect(await groups()).toEqual(WEEKLY_GROUPS);
    const stored = await facts();
    expect(stored.map((f) => f.report_id)).toEqual([reports[0]!.id, reports[0]!.id, reports[0]!.id, reports[0]!.id]);
    expect(withoutIds(stored, 'report_id')).toEqual(WEEKLY_FACTS);
    const log = await store.db.selectFrom('import_log').selectAll().execute();
    expect(log).toEqual([
      {
        id: reports[0]!.import_id,
        kind: 'users',
        source: fixture('users-weekly.csv'),
        sha256: createHash('sha256').update(readFileSync(fixture('users-weekly.csv'))).digest('hex'),
        rows: 8,
        detail: {
          cadence: 'Weekly',
          period_start: '2025-10-26',
          period_end: '2025-11-01',
          directory: { added: 8, changed: 0, dropped: 0, forced: false },
          warnings: [],
        },
        imported_at: new Date('2025-11-05T10:00:00Z'),
      },
    ]);
    const workspace = await store.db.selectFrom('workspace').select(['account_id', 'usage_source', 'demo_only']).execute();
    expect(workspace).toEqual([{ account_id: ACCOUNT, usage_source: 'exports', demo_only: false }]);
  });

  it('reads the BOM + CRLF variant to the same rows', async () => {
    await importFile(store.db, fixture('users-weekly-bom-crlf.csv'), options());
    expect(withoutIds(await accounts(), 'as_of')).toEqual(WEEKLY_ACCOUNTS);
    expect(withoutIds(await facts(), 'report_id')).toEqual(WEEKLY_FACTS);
    expect(await groups()).toEqual(WEEKLY_GROUPS);
  });

  it('changes no number when the same file is imported again', async () => {
    await importFile(store.db, fixture('users-weekly.csv'), options());
    await importFile(store.db, fixture('gpts-weekly.csv'), options());
    const before = await dataDump(store.db);
    const again = await importFile(store.db, fixture('users-weekly.csv'), options('2025-11-06T08:00:00Z'));
    expect(again.replaced).toEqual({ kind: 'users', cadence: 'Weekly', start: '2025-10-26', end: '2025-11-01' });
    const gptsAgain = await importFile(store.db, fixture('gpts-weekly.csv'), options('2025-11-06T08:00:00Z'));
    expect(gptsAgain.replaced).toMatchObject({ kind: 'gpts', cadence: 'Weekly' });
    expect(await dataDump(store.db)).toEqual(before);
    // only the import log grew: "last updated" moves on
    expect(await store.db.selectFrom('import_log').select('kind').orderBy('id').execute()).toEqual([
      { kind: 'users' },
      { kind: 'gpts' },
      { kind: 'users' },
      { kind: 'gpts' },
    ]);
  });

  it('keeps a Weekly and a Monthly report over the same days side by side', async () => {
    await importFile(store.db, fixture('users-weekly.csv'), options());
    const monthly = await importFile(store.db, fixture('users-monthly-oct.csv'), options());
    expect(monthly.replaced).toBeUndefined();
    expect(monthly.rows).toBe(3);
    const reports = await store.db.selectFrom('reports').select(['grain', 'cadence', 'period_start', 'period_end']).orderBy('grain').execute();
    expect(reports).toEqual([
      { grain: 'month', cadence: 'Monthly', period_start: '2025-10-01', period_end: '2025-10-31' },
      { grain: 'week', cadence: 'Weekly', period_start: '2025-10-26', period_end: '2025-11-01' },
    ]);
    const stored = withoutIds(await facts(), 'report_id');
    const month = { grain: 'month', period_start: '2025-10-01', period_end: '2025-10-31' };
    expect(stored.filter((f) => f.grain === 'month')).toEqual([
      { ...month, public_id: JOSE, is_active: true, first_day_active_in_period: '2025-10-27', last_day_active_in_period: '2025-10-31', messages: 90, messages_rank: 2, ...ZERO, credits_used: null, last_day_active: '2025-10-31', model_to_messages: { 'gpt-5': 90 }, gpt_to_messages: null, tool_to_messages: null, project_to_messages: null, ...NO_SKILLS },
      { ...month, public_id: ZOE, is_active: true, first_day_active_in_period: '2025-10-02', last_day_active_in_period: '2025-10-31', messages: 410, messages_rank: 1, gpt_messages: 30, gpts_messaged: 1, tool_messages: 500, tools_messaged: 4, project_messages: 40, projects_messaged: 2, projects_created: 2, credits_used: 12.5, last_day_active: '2025-10-31', model_to_messages: { 'gpt-5': 400, o3: 10 }, gpt_to_messages: { 'g-68f0c1d2e3a4b5c6d7e8f9a0': 30 }, tool_to_messages: { Search: 300, 'Data Analysis': 100, Canvas: 60, 'Deep Research': 40 }, project_to_messages: { 'g-p-68f0a1b2c3d4e5f6a7b8c9d0': 25, 'g-p-0a1b2c3d4e5f6a7b8c9d0e1f': 15 }, ...NO_SKILLS },
    ]);
    expect(stored.filter((f) => f.grain === 'week')).toEqual(WEEKLY_FACTS);
    // two directory snapshots; the October one has the pending invite keyed by email
    const all = await accounts();
    expect(all.filter((a) => a.as_of === '2025-10-31').map((a) => [a.account_key, a.position, a.user_status])).toEqual([
      [ZOE, 2, 'enabled'],
      [JOSE, 3, 'enabled'],
      ['email:invitee@example.com', 4, 'pending'],
    ]);
    expect(all.filter((a) => a.as_of === '2025-11-01')).toHaveLength(8);
    // the October report names group G_USERS differently, but the weekly snapshot is newer
    expect((await groups()).find((g) => g.group_id === G_USERS)).toEqual({
      group_id: G_USERS, name: 'SG-Chatgpt-Users', name_key: 'sg-chatgpt-users', named_as_of: '2025-11-01',
    });
  });

  it('takes the group name of the newest snapshot, whatever the import order', async () => {
    await importFile(store.db, fixture('users-monthly-oct.csv'), options());
    expect((await groups()).find((g) => g.group_id === G_USERS)?.name).toBe('SG-Chatgpt-Users Renamed');
    await importFile(store.db, fixture('users-weekly.csv'), options());
    expect((await groups()).find((g) => g.group_id === G_USERS)?.name).toBe('SG-Chatgpt-Users');
  });

  it('lets a Monthly report replace the Partial Monthly of the same month', async () => {
    const partial = await importFile(store.db, fixture('users-partial-nov.csv'), options());
    expect(partial.period).toEqual({ cadence: 'Partial Monthly', start: '2025-11-01', end: '2025-11-15' });
    expect((await facts()).map((f) => [f.public_id, f.messages])).toEqual([
      [JOSE, 7],
      [ZOE, 50],
    ]);
    const full = await importFile(store.db, fixture('users-monthly-nov.csv'), options('2025-12-02T06:00:00Z'));
    expect(full.replaced).toEqual({ kind: 'users', cadence: 'Partial Monthly', start: '2025-11-01', end: '2025-11-15' });
    expect(full.warnings).toEqual([]);
    expect(await store.db.selectFrom('reports').select(['cadence', 'period_start', 'period_end']).execute()).toEqual([
      { cadence: 'Monthly', period_start: '2025-11-01', period_end: '2025-11-30' },
    ]);
    // José was inactive in the full month after all: no fact; Noor joined
    expect((await facts()).map((f) => [f.grain, f.period_end, f.public_id, f.messages])).toEqual([
      ['month', '2025-11-30', NOOR, 12],
      ['month', '2025-11-30', ZOE, 95],
    ]);
    expect(await store.db.selectFrom('directory_snapshots').select(['as_of']).execute()).toEqual([{ as_of: '2025-11-30' }]);
    expect((await accounts()).map((a) => a.account_key)).toEqual([ZOE, JOSE, NOOR]);
  });

  it('warns when a partial report replaces a complete one', async () => {
    await importFile(store.db, fixture('users-monthly-nov.csv'), options());
    // The partial report leaves Noor out of the directory in use: a third of its enabled accounts.
    const partial = await importFile(store.db, fixture('users-partial-nov.csv'), options(undefined, { replaceDirectory: true }));
    expect(partial.directory).toMatchObject({ added: 0, changed: 0, dropped: 1, forced: true });
    expect(partial.warnings).toEqual([
      'this partial report replaced the complete Monthly report 2025-11-01..2025-11-30 of the same period',
    ]);
  });

  it('accepts blank usage cells on invites (with or without public_id) and on deleted accounts', async () => {
    const lines = readFileSync(fixture('users-weekly.csv'), 'utf8').split('\n');
    const blanks = ',,,,,,,,,,,,,,,,';
    const text = [
      lines[0],
      // an invite that already has a public_id, its usage cells zero or blank
      `Weekly,2025-10-26,2025-11-01,${ACCOUNT},user-Pp1nV1tE0000000000000000,,invited@example.com,,standard-user,,,pending,2025-10-31,0,,,0,,,0,0,,0,0,,0,0,,0,`,
      // a deleted account written with blank usage but its last active day
      `Weekly,2025-10-26,2025-11-01,${ACCOUNT},user-De1e7eD0000000000000000,Gone,gone@example.com,,standard-user,,,deleted,2023-01-01${blanks},2025-05-05`,
      '',
    ].join('\n');
    const result = await importText(store.db, 'blank-usage.csv', text);
    expect(result.rows).toBe(2);
    expect((await accounts()).map((a) => [a.account_key, a.user_status, a.last_day_active])).toEqual([
      ['user-Pp1nV1tE0000000000000000', 'pending', null],
      ['user-De1e7eD0000000000000000', 'deleted', '2025-05-05'],
    ]);
    expect(await facts()).toEqual([]);
  });

  it('takes a report with a header and no rows as nothing to import, with a warning', async () => {
    await importFile(store.db, fixture('users-weekly.csv'), options());
    const before = await dataDump(store.db);
    const logBefore = await store.db.selectFrom('import_log').select('id').execute();
    const header = readFileSync(fixture('gpts-weekly.csv'), 'utf8').split('\n')[0];
    const result = await importText(store.db, 'no-gpts.csv', `\uFEFF${header}\r\n`);
    expect(result).toEqual({
      file: 'no-gpts.csv',
      kind: 'gpts',
      rows: 0,
      warnings: ['the GPT report has a header but no rows: nothing was imported (an empty report names no period)'],
      replacedDemo: false,
    });
    expect(describeImport(result)).toBe(
      'no-gpts.csv: GPT report, no rows: nothing imported\n  warning: the GPT report has a header but no rows: nothing was imported (an empty report names no period)',
    );
    expect(await dataDump(store.db)).toEqual(before);
    expect(await store.db.selectFrom('import_log').select('id').execute()).toEqual(logBefore);
  });

  it('stores GPT and Project reports, a multi-line description included', async () => {
    const gpts = await importFile(store.db, fixture('gpts-weekly.csv'), options());
    expect(gpts).toMatchObject({ kind: 'gpts', rows: 3, warnings: [] });
    const rows = await store.db.selectFrom('gpt_report_rows').selectAll().orderBy('position').execute();
    expect(withoutIds(rows, 'report_id')).toEqual([
      { gpt_id: 'g-68f0c1d2e3a4b5c6d7e8f9a0', gpt_name: 'Contract Reviewer', config_type: 'live', gpt_description: 'Reviews contracts, flags "risky" clauses.\nSecond line of the description.', gpt_url: 'https://chatgpt.com/g/g-68f0c1d2e3a4b5c6d7e8f9a0-contract-reviewer', gpt_creator_public_id: ZOE, is_active: true, first_day_active_in_period: '2025-10-27', last_day_active_in_period: '2025-10-31', messages_workspace: 10, unique_messagers_workspace: 1, gpt_creator_email: 'zoe.obrien@example.com', position: 2 },
      { gpt_id: 'g-1a2b3c4d5e6f7a8b9c0d1e2f', gpt_name: 'Café Menü Helper', config_type: 'draft', gpt_description: null, gpt_url: null, gpt_creator_public_id: JOSE, is_active: true, first_day_active_in_period: '2025-10-28', last_day_active_in_period: '2025-10-28', messages_workspace: 5, unique_messagers_workspace: 1, gpt_creator_email: null, position: 4 },
      { gpt_id: 'g-9f8e7d6c5b4a39281706f5e4', gpt_name: 'Old Helper', config_type: 'live', gpt_description: 'Retired', gpt_url: null, gpt_creator_public_id: null, is_active: false, first_day_active_in_period: null, last_day_active_in_period: null, messages_workspace: 0, unique_messagers_workspace: 0, gpt_creator_email: null, position: 5 },
    ]);
    const projects = await importFile(store.db, fixture('projects-weekly.csv'), options());
    expect(projects).toMatchObject({ kind: 'projects', rows: 2 });
    expect(withoutIds(await store.db.selectFrom('project_report_rows').selectAll().orderBy('position').execute(), 'report_id')).toEqual([
      { project_id: 'g-p-68f0a1b2c3d4e5f6a7b8c9d0', project_name: 'Q4 Planning', config_type: 'live', project_description: 'Budget, headcount and OKRs', project_url: 'https://chatgpt.com/g/g-p-68f0a1b2c3d4e5f6a7b8c9d0/project', project_creator_public_id: ZOE, is_active: true, first_day_active_in_period: '2025-10-26', last_day_active_in_period: '2025-10-31', messages_workspace: 12, unique_messagers_workspace: 1, project_creator_email: 'zoe.obrien@example.com', position: 2 },
      { project_id: 'g-p-0a1b2c3d4e5f6a7b8c9d0e1f', project_name: 'Dormant', config_type: 'live', project_description: null, project_url: null, project_creator_public_id: null, is_active: false, first_day_active_in_period: null, last_day_active_in_period: null, messages_workspace: 0, unique_messagers_workspace: 0, project_creator_email: null, position: 3 },
    ]);
    expect(await store.db.selectFrom('reports').select(['kind', 'grain', 'period_start']).orderBy('kind').execute()).toEqual([
      { kind: 'gpts', grain: 'week', period_start: '2025-10-26' },
      { kind: 'projects', grain: 'week', period_start: '2025-10-26' },
    ]);
    // catalogs claim the workspace but no usage source
    expect(await store.db.selectFrom('workspace').select(['account_id', 'usage_source']).execute()).toEqual([
      { account_id: ACCOUNT, usage_source: null },
    ]);
  });

  it('stores Impact survey responses with lower-cased email keys', async () => {
    const result = await importFile(store.db, fixture('impact-range.csv'), options());
    expect(result).toMatchObject({ kind: 'impact', rows: 4, period: { cadence: 'Date Range', start: '2025-10-01', end: '2025-10-31' } });
    const reports = await store.db.selectFrom('reports').select(['kind', 'grain', 'cadence']).execute();
    expect(reports).toEqual([{ kind: 'impact', grain: 'range', cadence: 'Date Range' }]);
    const rows = await store.db.selectFrom('impact_responses').selectAll().orderBy('position').execute();
    const base = { workspace_id: ACCOUNT, survey_id: 'srv-2025-q4' };
    expect(withoutIds(rows, 'report_id')).toEqual([
      { ...base, position: 2, date_partition: '2025-10-14', name: "Zoë O'Brien", email: 'Zoe.OBrien@Example.com', email_key: 'zoe.obrien@example.com', survey_name: 'Q4 pulse, all staff', question_id: 'productivity', answer_id: 'much_more' },
      { ...base, position: 3, date_partition: '2025-10-14', name: "Zoë O'Brien", email: 'Zoe.OBrien@Example.com', email_key: 'zoe.obrien@example.com', survey_name: 'Q4 pulse, all staff', question_id: 'time_saved', answer_id: '1_to_3_hours' },
      { ...base, position: 4, date_partition: '2025-10-15', name: null, email: 'jose.garcia@example.com', email_key: 'jose.garcia@example.com', survey_name: 'Q4 pulse, all staff', question_id: 'productivity', answer_id: 'no_change' },
      { ...base, position: 5, date_partition: '2025-10-31', name: 'García, José', email: 'JOSE.GARCIA@example.com', email_key: 'jose.garcia@example.com', survey_name: null, question_id: 'mystery_question', answer_id: 'a1' },
    ]);
    expect(await store.db.selectFrom('workspace').select(['account_id', 'usage_source']).execute()).toEqual([
      { account_id: ACCOUNT, usage_source: null },
    ]);
  });

  it('replaces the impact question catalog', async () => {
    const first = await importFile(store.db, fixture('catalog.json'), options());
    expect(first).toMatchObject({ kind: 'catalog', rows: 2, warnings: [] });
    expect(first.replaced).toBeUndefined();
    expect(await store.db.selectFrom('impact_questions').selectAll().orderBy('position').execute()).toEqual([
      { question_id: 'productivity', position: 1, dimension: 'productivity', text: 'How has ChatGPT changed your productivity?', answers: [
        { answer_id: 'much_more', label: 'Much more productive', positive: true },
        { answer_id: 'more', label: 'More productive', positive: true },
        { answer_id: 'no_change', label: 'No change', positive: false },
      ] },
      { question_id: 'time_saved', position: 2, dimension: 'time_saved', text: 'How much time does ChatGPT save you per week?', answers: [
        { answer_id: 'none', label: 'None', positive: false },
        { answer_id: '1_to_3_hours', label: '1–3 hours', positive: true },
      ] },
    ]);
    const again = await importFile(store.db, fixture('catalog.json'), options());
    expect(again.replaced).toEqual({ kind: 'catalog', rows: 2 });
    expect(await store.db.selectFrom('impact_questions').select('question_id').execute()).toHaveLength(2);
    expect(await store.db.selectFrom('workspace').select(['account_id', 'usage_source']).execute()).toEqual([
      { account_id: null, usage_source: null },
    ]);
  });

  it('imports a directory CSV as a snapshot of the import day, replacing one of the same day', async () => {
    const first = await importFile(store.db, fixture('directory.csv'), options('2025-11-05T23:59:00Z'));
    expect(first).toMatchObject({ kind: 'directory', rows: 4, asOf: '2025-11-05', warnings: [] });
    expect(withoutIds(await store.db.selectFrom('directory_snapshots').selectAll().execute(), 'id', 'import_id')).toEqual([
      { report_id: null, source: 'directory', period_start: '2025-11-05', as_of: '2025-11-05' },
    ]);
    const E = 'user-Ev1dE2nT3sO4uR5cE6dU7sE8';
    const F = 'user-Fx2yG3hZ4iA5jB6kC7lD8mE9';
    const G = 'user-Gz3aH4bI5cJ6dK7eL8fM9gN0';
    expect(await accounts()).toEqual([
      { as_of: '2025-11-05', account_key: E, public_id: E, name: 'Émile Zola', email: 'emile@example.com', email_key: 'emile@example.com', role: 'director', user_role: 'account-owner', department: ['engineering', 'research'], group_ids: ['aa00aa00aa00aa00aa00aa00aa00aa00', 'bb11bb11bb11bb11bb11bb11bb11bb11'], user_status: 'enabled', created_or_invited_date: '2024-01-15', last_day_active: null, position: 2 },
      { as_of: '2025-11-05', account_key: F, public_id: F, name: 'Smith, Anne', email: 'anne@example.com', email_key: 'anne@example.com', role: null, user_role: 'standard-user', department: null, group_ids: ['bb11bb11bb11bb11bb11bb11bb11bb11'], user_status: 'enabled', created_or_invited_date: '2024-03-01', last_day_active: null, position: 3 },
      { as_of: '2025-11-05', account_key: 'email:pending.person@example.com', public_id: null, name: null, email: 'Pending.Person@Example.com', email_key: 'pending.person@example.com', role: null, user_role: null, department: null, group_ids: [], user_status: 'pending', created_or_invited_date: '2025-11-01', last_day_active: null, position: 4 },
      { as_of: '2025-11-05', account_key: G, public_id: G, name: 'Gone User', email: 'gone@example.com', email_key: 'gone@example.com', role: 'other', user_role: 'standard-user', department: null, group_ids: [], user_status: 'deleted', created_or_invited_date: '2023-06-30', last_day_active: null, position: 5 },
    ]);
    expect(await groups()).toEqual([
      { group_id: 'aa00aa00aa00aa00aa00aa00aa00aa00', name: "Platform 'Core'", name_key: "platform 'core'", named_as_of: '2025-11-05' },
      { group_id: 'bb11bb11bb11bb11bb11bb11bb11bb11', name: 'Data, Eng', name_key: 'data, eng', named_as_of: '2025-11-05' },
    ]);
    const sameDay = await importFile(store.db, fixture('directory.csv'), options('2025-11-05T01:00:00Z'));
    expect(sameDay.replaced).toEqual({ kind: 'directory', asOf: '2025-11-05' });
    expect(await store.db.selectFrom('directory_snapshots').select('as_of').execute()).toEqual([{ as_of: '2025-11-05' }]);
    const nextDay = await importFile(store.db, fixture('directory.csv'), options('2025-11-06T09:00:00Z'));
    expect(nextDay.replaced).toBeUndefined();
    expect(await store.db.selectFrom('directory_snapshots').select('as_of').orderBy('as_of').execute()).toEqual([
      { as_of: '2025-11-05' },
      { as_of: '2025-11-06' },
    ]);
    expect(await store.db.selectFrom('directory_accounts').select('account_key').execute()).toHaveLength(8);
    expect(await store.db.selectFrom('workspace').select(['account_id', 'usage_source']).execute()).toEqual([
      { account_id: null, usage_source: null },
    ]);
  });

  it('lets the first real import replace a demo-only store', async () => {
    const demo = await importFile(store.db, fixture('users-monthly-oct.csv'), options(undefined, { demo: true }));
    expect(demo.replacedDemo).toBe(false);
    expect(await store.db.selectFrom('workspace').select('demo_only').execute()).toEqual([{ demo_only: true }]);
    const real = await importFile(store.db, fixture('gpts-weekly.csv'), options());
    expect(real.replacedDemo).toBe(true);
    expect(await store.db.selectFrom('reports').select('kind').execute()).toEqual([{ kind: 'gpts' }]);
    expect(await store.db.selectFrom('user_facts').select('public_id').execute()).toEqual([]);
    expect(await store.db.selectFrom('workspace').select(['demo_only', 'usage_source']).execute()).toEqual([
      { demo_only: false, usage_source: null },
    ]);
  });
});
