/**
 * `wsa import FILE...`: a short summary per file, each file in its own transaction, stopping at
 * the first bad one with its line-numbered reasons and the list of files that went in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { ImportStoppedError } from '../../src/ingest/import-files.ts';
import { silentLogger } from '../../src/log.ts';
import { registry } from '../../commands/index.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { fixture, fixtureText } from './support/import-helpers.ts';

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
    expect(await command.run(files, ctx)).toBe(0);
    expect(out()).toBe(
      [
        `${files[0]}: Users report, Weekly 2025-10-26..2025-11-01, 8 rows`,
        `${files[1]}: Users report, Partial Monthly 2025-11-01..2025-11-15, 2 rows`,
        `${files[2]}: Users report, Monthly 2025-11-01..2025-11-30, 3 rows (replaced the Partial Monthly report 2025-11-01..2025-11-15 imported earlier)`,
        `${files[3]}: GPT report, Weekly 2025-10-26..2025-11-01, 3 rows`,
        `${files[4]}: Impact survey report, Date Range 2025-10-01..2025-10-31, 4 rows`,
        `${files[5]}: directory as of 2025-11-05, 4 accounts`,
        `${files[6]}: impact question catalog, 2 questions`,
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
    expect((error as Error).message).toBe(`${join(dir, 'nope.csv')}: no such file\nNo file was imported.`);
    expect(await store.db.selectFrom('reports').select('kind').execute()).toEqual([]);
  });

  it('refuses a malformed command line', async () => {
    const { ctx } = context(store);
    await expect(command.run([], ctx)).rejects.toThrow(new CommandLineError('give at least one file to import'));
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
    expect(usage.stderr).toBe('wsa import: give at least one file to import\nUsage: wsa import FILE...\n');
  }, 120_000);
});
