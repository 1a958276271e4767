/**
 * `wsa export`: exit statuses and no file on error (docs/design.md §6, §7 "Exports"), and a range
 * that is not one imported report computed from the facts, checked against numbers worked out by
 * hand from the two weekly fixtures.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runSubcommand } from '../../src/cli/main.ts';
import { readAudit } from '../../src/store/audit.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { fixtureText, importText, options } from '../ingest/support/import-helpers.ts';
import { cliContext } from './support.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsa-export-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(backends())('wsa export on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await clearStore(store.db);
    await importText(store.db, 'week1.csv', fixtureText('users-weekly-roundtrip.csv'));
    await importText(store.db, 'week2.csv', fixtureText('users-weekly-next.csv'), options('2025-11-10T10:00:00Z', { replaceDirectory: true }));
  });

  async function run(args: string[]) {
    const { ctx, stdout, stderr } = cliContext(store);
    const code = await runSubcommand('export', args, ctx);
    return { code, stdout: stdout(), stderr: stderr() };
  }

  it.each([
    [1, ['users', '--from', '2025-10-27', '--to', '2025-11-01', '--cadence', 'weekly'], 'the nearest range that does is 2025-10-26 to 2025-11-01'],
    [1, ['users', '--from', '2025-10-01', '--to', '2025-11-15', '--cadence', 'monthly'], 'the nearest range that does is 2025-10-01 to 2025-11-20'],
    [1, ['users', '--from', '2024-11-01', '--to', '2025-11-01'], 'longer than 12 months'],
    [1, ['users', '--from', '2025-11-01', '--to', '2025-11-21'], 'after today'],
    [1, ['users', '--from', '2025-11-08', '--to', '2025-11-01'], 'is before from:2025-11-08'],
    [1, ['users', '--period', 'last-week'], 'No data yet for 9–15 Nov 2025'],
    [1, ['users', '--from', '2025-10-28', '--to', '2025-11-03'], 'cannot give'],
    [2, ['gpts', '--from', '2025-10-26', '--to', '2025-11-01', '--cadence', 'weekly'], '--cadence is for users exports'],
    [2, ['users', '--period', 'last-fortnight'], 'not a preset'],
    [2, ['users', '--from', '2025-10-26'], '--out FILE is required'],
    [2, ['reports', '--period', 'last-week'], 'unknown report type'],
    [2, ['users', '--from', '2025-13-01', '--to', '2025-11-01'], 'not a date'],
    [2, ['users', '--period', 'last-week', '--from', '2025-10-26'], 'not both'],
  ])('exits %i for %j and writes no file', async (code, args, message) => {
    const file = join(dir, `${backend}-bad.csv`);
    writeFileSync(file, 'an earlier export\n');
    const withOut = args.includes('--out') || message.includes('--out') ? args : [...args, '--out', file];
    const r = await run(withOut);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
    expect(readFileSync(file, 'utf8')).toBe('an earlier export\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('computes a range that is not one imported report from the facts of the weeks that tile it', async () => {
    const file = join(dir, `${backend}-range.csv`);
    const r = await run(['users', '--from', '2025-10-26', '--to', '2025-11-08', '--out', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.every((row) => row.cadence === 'Date Range' && row.period_start === '2025-10-26' && row.period_end === '2025-11-08')).toBe(true);
    const zoe = rows.find((row) => row.public_id === 'user-Zk3pQ8rT2vW9xY4bN6mL1cD0')!;
    // 120 + 80 messages; Search 100 + 10; the directory as of 8 Nov (week 2) names the group anew.
    expect(zoe).toMatchObject({
      is_active: '1',
      first_day_active_in_period: '2025-10-26',
      last_day_active_in_period: '2025-11-07',
      messages: '200',
      messages_rank: '2',
      model_to_messages: "{'gpt-5': 180, 'gpt-5-thinking': 20}",
      gpt_messages: '15',
      gpts_messaged: '2',
      tool_messages: '170',
      tools_messaged: '3',
      tool_to_messages: "{'Search': 110, 'Data Analysis': 40, 'Canvas': 20}",
      project_messages: '12',
      projects_messaged: '1',
      projects_created: '1',
      last_day_active: '2025-11-07',
      credits_used: '3.75',
      groups: "{'6806684c27e88190b4cb45225dded629': 'SG ChatGPT Everyone'}",
    });
    // Ranks by messages: José 320, Zoë 200, Ann 40, ops 3, the formula row 2.
    const ranks = Object.fromEntries(rows.filter((row) => row.messages_rank !== '').map((row) => [row.email || row.public_id, row.messages_rank]));
    expect(ranks).toEqual({
      'jose.garcia@example.com': '1',
      'zoe.obrien@example.com': '2',
      'user-Nl1nE2bR3eA4kX5yZ6wQ7eR8': '3',
      'ops.admin@example.com': '4',
      'user-Fm1aB2cD3eF4gH5iJ6kL7mN8': '5',
    });
    const audit = await readAudit(store.db);
    expect(audit.at(-1)?.export).toEqual({ type: 'users', start: '2025-10-26', end: '2025-11-08', rows: rows.length });
    expect(existsSync(file)).toBe(true);
  });

  it('computes a GPT report over two weeks from the Users reports\' maps and the catalog', async () => {
    await importText(store.db, 'gpts.csv', fixtureText('gpts-weekly.csv'));
    const file = join(dir, `${backend}-gpts.csv`);
    const r = await run(['gpts', '--from', '2025-10-26', '--to', '2025-11-08', '--out', file]);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    // Zoë's gpt_to_messages in week 1 (week 2 has none); days from the GPT report inside the range.
    expect(rows.map((row) => [row.cadence, row.gpt_id, row.gpt_name, row.is_active, row.first_day_active_in_period, row.last_day_active_in_period, row.messages_workspace, row.unique_messagers_workspace])).toEqual([
      ['Date Range', 'g-68f0c1d2e3a4b5c6d7e8f9a0', 'Contract Reviewer', '1', '2025-10-27', '2025-10-31', '10', '1'],
      ['Date Range', 'g-1a2b3c4d5e6f7a8b9c0d1e2f', 'Café Menü Helper', '1', '2025-10-28', '2025-10-28', '5', '1'],
      ['Date Range', 'g-9f8e7d6c5b4a39281706f5e4', 'Old Helper', '0', '', '', '0', '0'],
    ]);
    expect(rows[0]!.gpt_description).toBe('Reviews contracts, flags "risky" clauses.\nSecond line of the description.');
  });
});
