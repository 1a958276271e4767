/**
 * A `wsa import` process killed with SIGKILL in the middle of the bulk load leaves nothing
 * half-written: the staged keys, the report, its snapshot, the accounts and facts already written
 * into the real tables and the import log entry all go with the transaction PostgreSQL aborts
 * when the connection drops; the aggregates kept by triggers are untouched; and the same file
 * then imports whole. PostgreSQL only (a separate server process survives the killed client;
 * the embedded store dies with its process).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.ts';
import { WSA_BIN, runWsa } from '../support/cli.ts';
import { TEST_DATABASE_URL } from '../support/store.ts';
import { writeUsersReport } from './support/users-report-generator.ts';

const ROWS = 50_000;
/** Tables an import writes (the migration bookkeeping and the settings row aside). */
const WRITTEN = ['import_log', 'reports', 'directory_snapshots', 'directory_accounts', 'user_facts', 'scim_groups', 'snapshot_groups', 'period_totals', 'activity_bits', 'workspace'];

function withParams(url: string, params: Record<string, string>): string {
  // Encoded by hand: URLSearchParams writes a space as '+'.
  const query = Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!TEST_DATABASE_URL)('a wsa import killed during the bulk load (postgres)', () => {
  const schema = `wsa_test_kill_${process.pid}_${randomBytes(4).toString('hex')}`;
  const application = `wsa_kill_${randomBytes(4).toString('hex')}`;
  let admin: pg.Client;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 1 });
    await store.close();
    dir = mkdtempSync(join(tmpdir(), 'wsa-kill-'));
    file = join(dir, 'users.csv');
    await writeUsersReport(file, { rows: ROWS });
  }, 120_000);

  afterAll(async () => {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of WRITTEN) out[t] = Number((await admin.query(`select count(*) as n from ${schema}.${t}`)).rows[0].n);
    return out;
  }

  it('leaves every table as it was, and the file imports whole afterwards', async () => {
    const env = {
      DATABASE_URL: withParams(TEST_DATABASE_URL!, { options: `-c search_path=${schema}`, application_name: application }),
      WSA_NOW: '2025-11-05T10:00:00Z',
      LOG_LEVEL: 'silent',
    };
    const before = await counts();
    expect(Object.values(before).every((n) => n === 0)).toBe(true);

    const child = spawn(process.execPath, [WSA_BIN, 'import', file], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('close', (code, signal) => resolve(signal ?? code)));

    // Wait until the import writes its rows into a real table: its session then holds a
    // write lock on directory_accounts (nothing else in an import takes one on a fresh store).
    const deadline = Date.now() + 150_000;
    let writing = false;
    while (!writing && Date.now() < deadline && child.exitCode === null) {
      const { rows } = await admin.query(
        `select 1 from pg_locks l join pg_class c on c.oid = l.relation
           join pg_namespace n on n.oid = c.relnamespace
           join pg_stat_activity a on a.pid = l.pid
         where n.nspname = $1 and c.relname = 'directory_accounts' and l.mode = 'RowExclusiveLock' and a.application_name = $2`,
        [schema, application],
      );
      writing = rows.length > 0;
      if (!writing) await sleep(5);
    }
    expect(writing, `the import never reached the bulk write: ${output}`).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // PostgreSQL aborts the transaction when it notices the dropped connection.
    for (let i = 0; i < 600; i++) {
      const { rows } = await admin.query('select count(*)::int as n from pg_stat_activity where application_name = $1', [application]);
      if (rows[0].n === 0) break;
      await sleep(100);
    }
    expect(await counts()).toEqual(before);

    const again = await runWsa(['import', file], env);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const after = await counts();
    expect(after.reports).toBe(1);
    expect(after.directory_accounts).toBe(ROWS);
    expect(after.import_log).toBe(1);
  }, 300_000);
});
