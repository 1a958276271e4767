/**
 * `wsa ask` end to end: the real CLI as a child process (`node bin/wsa.mjs ask …`) on an embedded
 * store in a temporary WSA_DATA_DIR holding the small workspace of support.ts, with WSA_NOW pinned.
 * Exit statuses 0 / 1 / 2, stdout holding exactly one JSON object with --json.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAttachments } from '../../src/cli/commands/ask.ts';
import { reply } from '../../src/core/reply.ts';
import { openStore } from '../../src/store/open.ts';
import { PEOPLE, seedSmallWorkspace } from './support.ts';

const BIN = fileURLToPath(new URL('../../bin/wsa.mjs', import.meta.url));
const CHILD_TIMEOUT_MS = 60_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;

function wsa(...args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, WSA_DATA_DIR: dataDir, WSA_NOW: '2026-11-26T10:00:00Z', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dataDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** stdout must be exactly one JSON object. */
function oneJsonObject(stdout: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(stdout);
  expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)).toBe(true);
  return parsed as Record<string, unknown>;
}

describe('wsa ask', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wsa-ask-'));
    const store = await openStore({ dataDir });
    try {
      await seedSmallWorkspace(store.db);
    } finally {
      await store.close();
    }
  });
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers in JSON: exit 0 and exactly the object of §6', async () => {
    const run = await wsa('ask', 'active-users last-week', '--json');
    expect(run.code).toBe(0);
    const json = oneJsonObject(run.stdout);
    expect(Object.keys(json)).toEqual([
      'command',
      'period',
      'data_through',
      'filters',
      'values',
      'series',
      'rows',
      'last_updated',
      'warnings',
      'files',
    ]);
    expect(json).toMatchObject({
      command: 'active-users',
      period: { start: '2026-11-15', end: '2026-11-21', grain: 'week', partial: false },
      data_through: '2026-11-21',
      filters: { group: null },
      values: { active_users: 3 },
      series: [{ period_start: '2026-11-15', period_end: '2026-11-21', active_users: 3 }],
      rows: [],
      last_updated: '2026-11-26T10:00:00Z',
      files: [],
    });
  });

  it('answers in text for a person, as someone with the right role, and writes its chart', async () => {
    const out = join(dataDir, 'out');
    const run = await wsa('ask', 'messages', 'last-week', '--as', PEOPLE.admin.email.toUpperCase(), '--out', out);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Wrote ${join(out, 'messages.png')}`);
    expect([...readFileSync(join(out, 'messages.png')).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(run.stdout).toContain('Messages\nlast week (15–21 Nov 2026)\n');
    expect(run.stdout).toContain('Messages          7  ▲ 133.3% vs the week before (3)');
    expect(run.stdout).toContain('Data last updated 26 Nov 2026 10:00 UTC · data through 21 Nov 2026');
  });

  it('refuses a member: exit 1, the reason on stderr', async () => {
    const run = await wsa('ask', 'overview', '--as', PEOPLE.member.email);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('`overview` shows workspace analytics, which need the owner, admin or analytics-viewer role; your role is member.');
  });

  it('streams every sender of top-users as one JSON object', async () => {
    const run = await wsa('ask', 'top-users last-week', '--json');
    expect(run.code, run.stderr).toBe(0);
    const json = oneJsonObject(run.stdout) as { command: string; rows: Array<{ messages: number; messages_rank: number }> };
    expect(json.command).toBe('top-users');
    expect(json.rows.length).toBeGreaterThan(1);
    expect(json.rows.map((r) => r.messages_rank)).toEqual(json.rows.map((_, i) => i + 1));
    for (let i = 1; i < json.rows.length; i++) expect(json.rows[i]!.messages).toBeLessThanOrEqual(json.rows[i - 1]!.messages);
  });

  it('refuses in JSON with --json: exit 1, {"error": {code, message}} on stdout', async () => {
    const run = await wsa('ask', 'overview', '--json', '--as', 'stranger@example.com');
    expect(run.code).toBe(1);
    expect(oneJsonObject(run.stdout)).toEqual({
      error: {
        code: 'forbidden',
        message: expect.stringMatching(/^stranger@example\.com is not in the workspace directory/),
      },
    });
  });

  it('bad command text: exit 1 with "did you mean"', async () => {
    const run = await wsa('ask', 'overveiw team:"Sales EMEA"');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('There is no command "overveiw". Did you mean overview?');
    const json = await wsa('ask', '--json', 'active-users by:year');
    expect(json.code).toBe(1);
    expect(oneJsonObject(json.stdout)).toEqual({
      error: { code: 'usage', message: 'by:year is not a trend grain; use by:day, by:week or by:month.' },
    });
  });

  it('a malformed command line: exit 2', async () => {
    const unknown = await wsa('ask', 'overview', '--colour');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--colour'/);
    expect(unknown.stderr).toContain('Usage: wsa ask "COMMAND TEXT" [--as EMAIL] [--json] [--out DIR]');

    const missing = await wsa('ask', '--json');
    expect(missing.code).toBe(2);
    expect(oneJsonObject(missing.stdout)).toMatchObject({ error: { code: 'usage', message: expect.stringMatching(/missing the command text/) } });

    const noEmail = await wsa('ask', 'whoami', '--as');
    expect(noEmail.code).toBe(2);
    expect(noEmail.stderr).toMatch(/--as/);
  });
});

describe('--out', () => {
  it('writes a Reply\'s files and lists them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsa-out-'));
    try {
      const withFile = reply({
        command: 'top-users',
        title: 'Top users',
        files: [{ kind: 'csv', name: 'top-users.csv', content: 'public_id,messages\nuser-a,3\n' }],
      });
      const written = await writeAttachments(withFile, join(dir, 'out'), { stderr: process.stderr });
      expect(written).toEqual([{ kind: 'csv', path: join(dir, 'out', 'top-users.csv') }]);
      expect(readFileSync(join(dir, 'out', 'top-users.csv'), 'utf8')).toBe('public_id,messages\nuser-a,3\n');

      const chart = reply({
        command: 'active-users',
        title: 'Active users',
        charts: [{ kind: 'trend', spec: { $schema: 'https://vega.github.io/schema/vega-lite/v6.json' }, altText: 'a', fallbackText: 'a' }],
      });
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
      const charts = await writeAttachments(chart, dir, { stderr: process.stderr }, async () => png);
      expect(charts).toEqual([{ kind: 'png', path: join(dir, 'active-users.png') }]);
      expect(existsSync(join(dir, 'active-users.png'))).toBe(true);

      expect(await writeAttachments(reply({ command: 'help', title: 'x' }), join(dir, 'none'), { stderr: process.stderr })).toEqual([]);
      expect(existsSync(join(dir, 'none'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
