/**
 * Directory imports that would shut people out: a directory CSV or a Users report that becomes
 * the directory in use is refused (nothing written, exit 1) when it leaves out more than 10% of
 * the enabled accounts or every enabled owner and admin, unless `--replace-directory` is given;
 * every one says how many accounts it added, changed and dropped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runSubcommand } from '../../src/cli/main.ts';
import type { CliContext } from '../../src/cli/context.ts';
import { parseConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { ConflictError } from '../../src/core/errors.ts';
import { describeImport } from '../../src/ingest/describe-import.ts';
import { importFile } from '../../src/ingest/import-files.ts';
import { silentLogger } from '../../src/log.ts';
import { findAccountsByEmail } from '../../src/store/directory-accounts.ts';
import { registry } from '../../commands/index.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { dumpStore, fixture, importText, options } from './support/import-helpers.ts';

const HEADER = 'public_id,name,email,role,user_role,department,groups,user_status,created_or_invited_date';

interface Person {
  n: number;
  role?: 'account-owner' | 'account-admin' | 'standard-user';
  status?: 'enabled' | 'pending' | 'deleted';
  name?: string;
}

const id = (n: number) => `user-${String(n).padStart(24, '0')}`;

/** A directory CSV of these people (person n is user-000…n, person.n@example.com). */
function directoryCsv(people: readonly Person[]): string {
  const rows = people.map(
    (p) => `${id(p.n)},${p.name ?? `Person ${p.n}`},person.${p.n}@example.com,,${p.role ?? 'standard-user'},,,${p.status ?? 'enabled'},2024-01-01`,
  );
  return [HEADER, ...rows, ''].join('\n');
}

/** 200 enabled accounts: 1 is the owner, 2 an admin, the rest standard users. */
const WORKSPACE: Person[] = Array.from({ length: 200 }, (_, i) => ({
  n: i + 1,
  role: i === 0 ? 'account-owner' : i === 1 ? 'account-admin' : 'standard-user',
}));

const DAY1 = '2025-11-04T09:00:00Z';
const DAY2 = '2025-11-05T09:00:00Z';

describe.each(backends())('directory imports on %s', (backend) => {
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

  const refused = async (content: string, at = DAY2, extra = {}) => {
    const before = await dumpStore(store.db);
    const error = await importText(store.db, 'directory.csv', content, options(at, extra)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(await dumpStore(store.db)).toEqual(before);
    return (error as Error).message;
  };

  it('counts the first directory as all added', async () => {
    const result = await importText(store.db, 'directory.csv', directoryCsv(WORKSPACE), options(DAY1));
    expect(result.directory).toMatchObject({ added: 200, changed: 0, dropped: 0, previousAsOf: null, forced: false });
    expect(describeImport(result)).toBe(
      ['directory.csv: directory as of 2025-11-04, 200 accounts', '  accounts: 200 added, 0 changed, 0 dropped (the first directory)'].join('\n'),
    );
  });

  it('refuses a 50-row directory that would replace a 200-account one, and takes it with --replace-directory', async () => {
    await importText(store.db, 'directory.csv', directoryCsv(WORKSPACE), options(DAY1));
    const part = directoryCsv(WORKSPACE.slice(150));
    expect(await refused(part)).toBe(
      'directory.csv was refused, nothing was imported: it would replace the directory as of 2025-11-04, and against that ' +
        'directory 150 of the 200 enabled accounts (75%) are missing or no longer enabled; none of the 2 enabled owners and admins is left. ' +
        'People not in the directory as enabled accounts lose access to wsa, owners and admins included. ' +
        'If this file is a part of the directory, import the whole directory instead; if it really is the whole directory now, ' +
        'import it again with --replace-directory.',
    );
    // the owner still is who they were
    expect((await findAccountsByEmail(store.db, 'person.1@example.com')).accounts).toHaveLength(1);

    const forced = await importText(store.db, 'directory.csv', part, options(DAY2, { replaceDirectory: true }));
    expect(forced.directory).toMatchObject({ added: 0, changed: 0, dropped: 150, previousAsOf: '2025-11-04', forced: true });
    expect(describeImport(forced).split('\n').slice(1)).toEqual([
      '  accounts: 0 added, 0 changed, 150 dropped since the directory as of 2025-11-04',
      '  replaced the directory as asked (--replace-directory): 150 of the 200 enabled accounts (75%) are missing or no longer enabled; none of the 2 enabled owners and admins is left',
    ]);
    expect((await findAccountsByEmail(store.db, 'person.1@example.com')).accounts).toEqual([]);
  });

  it('lets a tenth of the enabled accounts go, not one more', async () => {
    await importText(store.db, 'directory.csv', directoryCsv(WORKSPACE), options(DAY1));
    // 20 of 200 dropped (10%), 3 renamed, 5 new
    const next = [
      ...WORKSPACE.slice(0, 180).map((p) => (p.n <= 3 ? { ...p, name: `Renamed ${p.n}` } : p)),
      ...Array.from({ length: 5 }, (_, i) => ({ n: 1000 + i })),
    ];
    const ok = await importText(store.db, 'directory.csv', directoryCsv(next), options(DAY2));
    expect(ok.directory).toMatchObject({ added: 5, changed: 3, dropped: 20, enabledBefore: 200, enabledLost: 20, forced: false });
    expect(describeImport(ok).split('\n')[1]).toBe('  accounts: 5 added, 3 changed, 20 dropped since the directory as of 2025-11-04');
    // the same day again, with 21 of those 185 left out or disabled: 19 missing and 2 deleted
    const fewer = next.slice(0, 166).map((p) => (p.n === 10 || p.n === 11 ? { ...p, status: 'deleted' as const } : p));
    expect(await refused(directoryCsv(fewer))).toContain('21 of the 185 enabled accounts (11%) are missing or no longer enabled.');
  });

  it('refuses a directory that leaves no enabled owner or admin, however few accounts it drops', async () => {
    await importText(store.db, 'directory.csv', directoryCsv(WORKSPACE), options(DAY1));
    const demoted = WORKSPACE.map((p) => ({ ...p, role: 'standard-user' as const }));
    expect(await refused(directoryCsv(demoted))).toContain('against that directory none of the 2 enabled owners and admins is left.');
    const keepsTheAdmin = WORKSPACE.map((p) => (p.n === 1 ? { ...p, status: 'deleted' as const } : p));
    const ok = await importText(store.db, 'directory.csv', directoryCsv(keepsTheAdmin), options(DAY2));
    expect(ok.directory).toMatchObject({ added: 0, changed: 1, dropped: 0, adminsBefore: 2, adminsAfter: 1 });
  });

  it('guards a Users report that becomes the directory in use, not an older one', async () => {
    await importFile(store.db, fixture('users-weekly.csv'), options());
    // users-partial-nov.csv (newer) holds 2 of the weekly report's 6 enabled accounts
    const before = await dumpStore(store.db);
    const error = await importFile(store.db, fixture('users-partial-nov.csv'), options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain('against that directory 4 of the 6 enabled accounts (67%) are missing or no longer enabled');
    expect(await dumpStore(store.db)).toEqual(before);
    // an older report does not change the directory in use: no comparison, no refusal
    const older = await importFile(store.db, fixture('users-monthly-oct.csv'), options());
    expect(older.directory).toBeUndefined();
  });

  it('exits 1 with the reason from `wsa import`, and 0 with --replace-directory', async () => {
    await importText(store.db, 'directory.csv', directoryCsv(WORKSPACE), options(DAY1));
    const dir = tempDir();
    const part = dir.write('part.csv', directoryCsv(WORKSPACE.slice(150)));
    const refusedRun = cli(store);
    expect(await runSubcommand('import', [part], refusedRun.ctx)).toBe(1);
    expect(refusedRun.err()).toContain(`${part} was refused, nothing was imported`);
    expect(refusedRun.err()).toContain('No file was imported.');
    const forcedRun = cli(store);
    expect(await runSubcommand('import', ['--replace-directory', part], forcedRun.ctx)).toBe(0);
    expect(forcedRun.out()).toContain('accounts: 0 added, 0 changed, 150 dropped since the directory as of 2025-11-04');
    dir.remove();
  });
});

function cli(store: TestStore): { ctx: CliContext; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ctx: CliContext = {
    config: parseConfig({}),
    logger: silentLogger(),
    clock: fixedClock(new Date(DAY2)),
    registry,
    stdin: new PassThrough(),
    stdout,
    stderr,
    openStore: async () => ({ ...store, close: async () => {} }),
  };
  return { ctx, out: () => out, err: () => err };
}

function tempDir() {
  const path = mkdtempSync(join(tmpdir(), 'wsa-directory-'));
  return {
    remove: () => rmSync(path, { recursive: true, force: true }),
    write: (name: string, content: string) => {
      const file = join(path, name);
      writeFileSync(file, content);
      return file;
    },
  };
}
