/**
 * `wsa import FILE...`: a short summary per file, each file in its own transaction, stopping at
 * the first bad one with its line-numbered reasons and the list of files that went in.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { command } from '../../src/cli/commands/import.ts';
import { CommandLineError, type CliContext } from '../../src/cli/context.ts';
import { parseConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { InvalidInputError, NotFoundError } from '../../src/core/errors.ts';
import { ImportStoppedError, importFile } from '../../src/ingest/import-files.ts';
import { silentLogger } from '../../src/log.ts';
import { registry } from '../../commands/index.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { getSettings, updateSettings } from '../../src/store/settings.ts';
import { fixture, fixtureText, options } from './support/import-helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function context(store: TestStore): { ctx: CliContext; out: () => string } {
  let text = '';
  const stdout = new PassThrough();
  stdout.on('data', (d: Buffer) => (text += d.toString()));
  const ctx: CliContext = {
    config: parseConfig({}),
    logger: silentLogger(),
    registry,
    clock: fixedClock(new Date('2025-11-05T10:00:00Z')),
    stdin: new PassThrough(),
    stdout,
    stderr: new PassThrough(),
    openStore: async () => ({ ...store, close: async () => {} }),
  };
  return { ctx, out: () => text };
}

let dir: string;
let bad: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsa-cli-'));
  bad = join(dir, 'bad.csv');
  // users-weekly.csv with a text count on line 3
  writeFileSync(bad, fixtureText('users-weekly.csv').replace(',300,1,', ',lots,1,'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(backends())('wsa import on %s', (backend) => {
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

  it('prints a summary per file', async () => {
    const { ctx, out } = context(store);
    const files = ['users-weekly.csv', 'users-partial-nov.csv', 'users-monthly-nov.csv', 'gpts-weekly.csv', 'impact-range.csv', 'directory.csv', 'catalog.json'].map(fixture);
    expect(await command.run(['--replace-directory', ...files], ctx)).toBe(0);
    expect(out()).toBe(
      [
        `${files[0]}: Users report, Weekly 2025-10-26..2025-11-01, 8 rows`,
        '  accounts: 8 added, 0 changed, 0 dropped (the first directory)',
        // the fixtures are small samples, not one workspace over time: hence --replace-directory
        `${files[1]}: Users report, Partial Monthly 2025-11-01..2025-11-15, 2 rows`,
        '  accounts: 0 added, 2 changed, 6 dropped since the directory as of 2025-11-01',
        '  replaced the directory as asked (--replace-directory): 4 of the 6 enabled accounts (67%) are missing or no longer enabled',
        `${files[2]}: Users report, Monthly 2025-11-01..2025-11-30, 3 rows (replaced the Partial Monthly report 2025-11-01..2025-11-15 imported earlier)`,
        '  accounts: 1 added, 0 changed, 0 dropped since the directory as of 2025-11-15',
        `${files[3]}: GPT report, Weekly 2025-10-26..2025-11-01, 3 rows`,
        `${files[4]}: Impact survey report, Date Range 2025-10-01..2025-10-31, 4 rows`,
        `${files[5]}: directory as of 2025-11-05, 4 accounts`,
        '  accounts: not compared; a newer directory (as of 2025-11-30) stays the one in use',
        `${files[6]}: impact question catalog, 2 questions`,
        'Imported 7 files (3 Users reports, 1 GPT report, 1 Impact survey report, 1 directory, 1 impact question catalog); 0 skipped.',
        '',
      ].join('\n'),
    );
  });

  it('stops at the first bad file, keeps those before it, and says which went in', async () => {
    const { ctx, out } = context(store);
    const good = fixture('gpts-weekly.csv');
    const later = fixture('projects-weekly.csv');
    const error = await command.run([good, bad, later], ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportStoppedError);
    const stopped = error as ImportStoppedError;
    expect(stopped.reason).toBeInstanceOf(InvalidInputError);
    expect(stopped.message).toBe(
      [
        `${bad} was rejected, nothing was imported (1 problem):`,
        '  line 3, column messages: "lots" is not a whole number ≥ 0',
        `Imported before it: ${good}. Not attempted: ${later}.`,
      ].join('\n'),
    );
    expect(out()).toBe(`${good}: GPT report, Weekly 2025-10-26..2025-11-01, 3 rows\n`);
    expect(await store.db.selectFrom('reports').select('kind').execute()).toEqual([{ kind: 'gpts' }]);
  });

  it('imports nothing when a file is missing', async () => {
    const { ctx } = context(store);
    const error = await command.run([fixture('gpts-weekly.csv'), join(dir, 'nope.csv')], ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe(`${join(dir, 'nope.csv')}: no such file or folder\nNo file was imported.`);
    expect(await store.db.selectFrom('reports').select('kind').execute()).toEqual([]);
  });

  it('imports a folder in order: catalog, directory, Users reports by period, the rest; skips what it does not know', async () => {
    const folder = join(dir, 'exports');
    mkdirSync(join(folder, 'older'), { recursive: true });
    const copy = (from: string, to: string) => writeFileSync(join(folder, to), fixtureText(from));
    copy('gpts-weekly.csv', 'a-gpts.csv');
    copy('users-monthly-nov.csv', 'b-users-nov.csv');
    copy('users-monthly-oct.csv', 'c-users-oct.csv');
    copy('catalog.json', 'd-catalog.json');
    copy('users-partial-nov.csv', 'f-users-nov-so-far.csv');
    copy('users-weekly.csv', join('older', 'users-weekly.csv'));
    // the same people as the Users reports, so no import of the folder shuts anyone out
    writeFileSync(
      join(folder, 'e-directory.csv'),
      [
        'public_id,name,email,role,user_role,department,groups,user_status,created_or_invited_date',
        "user-Zk3pQ8rT2vW9xY4bN6mL1cD0,Zoë O'Brien,zoe.obrien@example.com,director,account-owner,,,enabled,2024-01-01",
        'user-Gh5jK7lM9nP2qR4sT6uV8wX0,"García, José",jose.garcia@example.com,manager,standard-user,,,enabled,2024-01-01',
        '',
      ].join('\n'),
    );
    writeFileSync(join(folder, 'events.ndjson'), '{"id":"e1","ts":"2025-11-03T10:00:00Z","user":"user-1","conversation_id":"c1"}\n');
    writeFileSync(join(folder, 'notes.txt'), 'exported on Monday\n');
    const { ctx, out } = context(store);
    expect(await command.run([folder], ctx)).toBe(0);
    const lines = out().trimEnd().split('\n');
    expect(lines.filter((l) => l.includes(': skipped, '))).toEqual([
      `${join(folder, 'events.ndjson')}: skipped, usage events (NDJSON): give them to \`wsa ingest\``,
      `${join(folder, 'notes.txt')}: skipped, not an export file wsa knows (unknown header "exported on Monday": not a ChatGPT Enterprise Users, GPT, Project or Impact survey report (their header starts cadence,period_start,period_end,account_id,…), nor a directory CSV (public_id,name,email,role,user_role,department,groups,user_status,created_or_invited_date))`,
      `${join(folder, 'older')}: skipped, a folder (folders inside are not searched)`,
    ]);
    const imported = lines.filter((l) => l.startsWith(folder) && !l.includes(': skipped, ')).map((l) => l.slice(folder.length + 1).split(':')[0]);
    expect(imported).toEqual(['d-catalog.json', 'e-directory.csv', 'c-users-oct.csv', 'f-users-nov-so-far.csv', 'b-users-nov.csv', 'a-gpts.csv']);
    expect(lines.at(-1)).toBe(
      'Imported 6 files (3 Users reports, 1 GPT report, 1 directory, 1 impact question catalog); 3 skipped.',
    );
    expect((await store.db.selectFrom('reports').select('cadence').orderBy('cadence').execute()).map((r) => r.cadence)).toEqual([
      'Monthly',
      'Monthly',
      'Weekly',
    ]);
  });

  it('clears settings made while trying the demo with the demo, and says so', async () => {
    await importFile(store.db, fixture('users-monthly-oct.csv'), { ...options(), demo: true });
    await updateSettings(store.db, { seatsPurchased: 500, benchmarkIndustry: 'technology' }, new Date('2025-11-04T10:00:00Z'));
    const { ctx, out } = context(store);
    expect(await command.run([fixture('gpts-weekly.csv')], ctx)).toBe(0);
    expect(out()).toBe(
      [
        `${fixture('gpts-weekly.csv')}: GPT report, Weekly 2025-10-26..2025-11-01, 3 rows`,
        '  The store held only the demo workspace: it was emptied first, with the settings made while trying it (set them again with `wsa settings`).',
        '',
      ].join('\n'),
    );
    expect(await getSettings(store.db)).toMatchObject({ seatsPurchased: null, benchmarkIndustry: null });
    // settings made after the first real import stay
    await updateSettings(store.db, { seatsPurchased: 800 }, new Date('2025-11-05T10:00:00Z'));
    expect(await command.run([fixture('projects-weekly.csv')], context(store).ctx)).toBe(0);
    expect((await getSettings(store.db)).seatsPurchased).toBe(800);
  });

  it('empties a demo without settings with the plain note', async () => {
    await importFile(store.db, fixture('users-monthly-oct.csv'), { ...options(), demo: true });
    const { ctx, out } = context(store);
    expect(await command.run([fixture('gpts-weekly.csv')], ctx)).toBe(0);
    expect(out().split('\n')[1]).toBe('  The store held only the demo workspace: it was emptied first.');
  });

  it('refuses a malformed command line', async () => {
    const { ctx } = context(store);
    await expect(command.run([], ctx)).rejects.toThrow(new CommandLineError('give at least one file or folder to import'));
    await expect(command.run(['--replace-directory'], ctx)).rejects.toThrow(new CommandLineError('give at least one file or folder to import'));
    await expect(command.run(['--json', fixture('gpts-weekly.csv')], ctx)).rejects.toThrow(new CommandLineError('unknown flag --json'));
  });
});

describe('the wsa binary', () => {
  it('exits 1 with line-numbered reasons after a bad file, 2 on a malformed command line', () => {
    const dataDir = join(dir, 'store');
    const env = { PATH: process.env.PATH, WSA_DATA_DIR: dataDir, WSA_NOW: '2025-11-05T10:00:00Z', LOG_LEVEL: 'silent' };
    const run = (...args: string[]) => spawnSync(process.execPath, ['bin/wsa.mjs', 'import', ...args], { cwd: ROOT, env, encoding: 'utf8' });
    const failed = run(fixture('gpts-weekly.csv'), bad);
    expect(failed.stdout).toBe(`${fixture('gpts-weekly.csv')}: GPT report, Weekly 2025-10-26..2025-11-01, 3 rows\n`);
    expect(failed.stderr).toBe(
      [
        `${bad} was rejected, nothing was imported (1 problem):`,
        '  line 3, column messages: "lots" is not a whole number ≥ 0',
        `Imported before it: ${fixture('gpts-weekly.csv')}.`,
        '',
      ].join('\n'),
    );
    expect(failed.status).toBe(1);
    const usage = run();
    expect(usage.status).toBe(2);
    expect(usage.stderr).toBe('wsa import: give at least one file or folder to import\nUsage: wsa import [--replace-directory] FILE|FOLDER...\n');
  }, 120_000);
});
