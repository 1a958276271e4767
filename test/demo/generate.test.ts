import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { generateWorkspace, resolveOptions, type GeneratedManifest } from '../../src/demo/index.ts';
import { UsageError } from '../../src/core/errors.ts';
import { readCsv, sha256File } from './support/read.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsa-demo-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function listFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(root, path));
    else out.push(relative(root, path).split('\\').join('/'));
  }
  return out.sort();
}

const SMALL = { users: 200, weeks: 6, groups: 6, endDate: '2026-02-28' } as const;

describe.each(['events', 'exports'] as const)('generateWorkspace, source %s', (source) => {
  let first: GeneratedManifest;
  let firstDir: string;

  it('writes the same bytes for the same options', async () => {
    firstDir = tempDir();
    const secondDir = tempDir();
    first = await generateWorkspace({ ...SMALL, seed: 7, source }, firstDir);
    const second = await generateWorkspace({ ...SMALL, seed: 7, source }, secondDir);
    expect(second.digest).toBe(first.digest);
    expect(listFiles(secondDir)).toEqual(listFiles(firstDir));
    for (const path of listFiles(firstDir)) {
      expect(readFileSync(join(secondDir, path)).equals(readFileSync(join(firstDir, path))), path).toBe(true);
    }
  });

  it('lists every file with its true sha256, size and kind, and a digest over them all', () => {
    const onDisk = listFiles(firstDir).filter((p) => p !== 'manifest.json');
    expect(first.files.map((f) => f.path).sort()).toEqual(onDisk);
    for (const f of first.files) {
      expect(sha256File(join(firstDir, f.path)), f.path).toBe(f.sha256);
      expect(statSync(join(firstDir, f.path)).size).toBe(f.bytes);
    }
    // The digest, recomputed here as sha256 over `sha256sum` lines sorted by path.
    const lines = [...first.files]
      .sort((a, b) => (a.path < b.path ? -1 : 1))
      .map((f) => `${f.sha256}  ${f.path}\n`)
      .join('');
    expect(first.digest).toBe(createHash('sha256').update(lines).digest('hex'));
    expect(JSON.parse(readFileSync(join(firstDir, 'manifest.json'), 'utf8'))).toEqual(first);

    const kinds = new Set(first.files.map((f) => f.kind));
    const expected = source === 'events'
      ? ['catalog', 'directory', 'events', 'gpts', 'impact', 'projects']
      : ['catalog', 'gpts', 'impact', 'projects', 'users'];
    expect([...kinds].sort()).toEqual(expected);
    // Import order: the catalog first, impact last.
    expect(first.files[0]!.kind).toBe('catalog');
    expect(first.files.at(-1)!.kind).toBe('impact');
  });

  it('records the resolved options', () => {
    expect(first.options).toEqual({
      seed: 7,
      users: 200,
      weeks: 6,
      groups: 6,
      gpts: 5,
      projects: 10,
      source,
      startDate: '2026-01-18',
      endDate: '2026-02-28',
      accountId: first.options.accountId,
    });
    expect(first.options.accountId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('writes different files for a different seed', async () => {
    const other = await generateWorkspace({ ...SMALL, seed: 8, source }, tempDir());
    expect(other.digest).not.toBe(first.digest);
    expect(other.options.accountId).not.toBe(first.options.accountId);
  });
});

describe('events and exports of one seed', () => {
  it('hold the same messages, person by person', async () => {
    const evDir = tempDir();
    const exDir = tempDir();
    const ev = await generateWorkspace({ ...SMALL, seed: 5, source: 'events' }, evDir);
    const ex = await generateWorkspace({ ...SMALL, seed: 5, source: 'exports' }, exDir);
    expect(ev.summary.messages).toBe(ex.summary.messages);
    const fromEvents = new Map<string, number>();
    for (const line of readFileSync(join(evDir, 'events.ndjson'), 'utf8').split('\n')) {
      if (line === '') continue;
      const user = (JSON.parse(line) as { user: string }).user;
      fromEvents.set(user, (fromEvents.get(user) ?? 0) + 1);
    }
    const fromReports = new Map<string, number>();
    for (const f of ex.files.filter((x) => x.kind === 'users' && x.cadence === 'Weekly')) {
      for (const r of readCsv(join(exDir, f.path)).rows) {
        if (r.is_active === '1') fromReports.set(r.public_id!, (fromReports.get(r.public_id!) ?? 0) + Number(r.messages));
      }
    }
    expect([...fromEvents.keys()].sort()).toEqual([...fromReports.keys()].sort());
    // Only events after the window's last midnight are left out of the events file.
    let missing = 0;
    for (const [user, n] of fromReports) missing += n - fromEvents.get(user)!;
    expect(missing).toBe(ev.summary.messages - ev.summary.events);
    expect(missing).toBeLessThan(20);
  });
});

describe('the output directory', () => {
  it('replaces an earlier demo without leaving its files behind', async () => {
    const out = tempDir();
    await generateWorkspace({ ...SMALL, source: 'events' }, out);
    const again = await generateWorkspace({ ...SMALL, source: 'exports' }, out);
    const onDisk = listFiles(out).filter((p) => p !== 'manifest.json');
    expect(onDisk).toEqual(again.files.map((f) => f.path).sort());
    expect(onDisk).not.toContain('events.ndjson');
  });

  it('refuses a directory that holds something else', async () => {
    const out = tempDir();
    writeFileSync(join(out, 'notes.txt'), 'mine');
    await expect(generateWorkspace({ ...SMALL }, out)).rejects.toThrow(UsageError);
    expect(listFiles(out)).toEqual(['notes.txt']);
  });
});

describe('resolveOptions', () => {
  it('derives the window from today: the Saturday before, never today itself', () => {
    expect(resolveOptions({ today: '2025-11-26' }).endDate).toBe('2025-11-22'); // a Wednesday
    expect(resolveOptions({ today: '2025-11-23' }).endDate).toBe('2025-11-22'); // a Sunday
    expect(resolveOptions({ today: '2025-11-22' }).endDate).toBe('2025-11-15'); // a Saturday
    expect(resolveOptions({ today: new Date('2025-11-26T23:59:00Z') }).endDate).toBe('2025-11-22');
    const o = resolveOptions({ today: '2025-11-26' });
    // 26 weeks back from Saturday 2025-11-22: Sunday 2025-05-25.
    expect(o.startDate).toBe('2025-05-25');
    expect(o).toMatchObject({ users: 600, weeks: 26, groups: 12, gpts: 12, projects: 30, source: 'events', seed: 1 });
  });

  it('refuses what it cannot use', () => {
    expect(() => resolveOptions({})).toThrow(UsageError);
    expect(() => resolveOptions({ endDate: '2025-11-21' })).toThrow(/Saturday/);
    expect(() => resolveOptions({ endDate: '2025-02-30' })).toThrow(UsageError);
    expect(() => resolveOptions({ today: '2025-11-26', users: 10 })).toThrow(/users/);
    expect(() => resolveOptions({ today: '2025-11-26', weeks: 0 })).toThrow(/weeks/);
    expect(() => resolveOptions({ today: '2025-11-26', source: 'csv' as 'events' })).toThrow(/source/);
    expect(() => resolveOptions({ today: '2025-11-26', accountId: 'XYZ' })).toThrow(/accountId/);
  });

  it('derives the account id from the seed', () => {
    const a = resolveOptions({ today: '2025-11-26', seed: 'acme' }).accountId;
    expect(resolveOptions({ today: '2025-11-26', seed: 'acme' }).accountId).toBe(a);
    expect(resolveOptions({ today: '2025-11-26', seed: 'acme2' }).accountId).not.toBe(a);
  });
});
