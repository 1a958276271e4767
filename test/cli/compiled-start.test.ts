/**
 * The compiled start path (scripts/build.mjs → .build/, chosen by bin/build-freshness.mjs): built
 * in a copy of the checkout, it is what `wsa` runs while fresh, and any change to what it was
 * built from — an edited, added or removed source, package.json — sends `wsa` back to the
 * TypeScript, so an edit is picked up. The compiled CLI itself works end to end: migrations,
 * the embedded store, an import and a chart rendered in the render thread.
 */
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript without types, run before any TypeScript can load
import { BUILD_DIR, SOURCE_DIRS, SOURCE_FILES, freshBuildEntry } from '../../bin/build-freshness.mjs';
// @ts-expect-error plain JavaScript without types, run by `npm ci`
import { buildProject } from '../../scripts/build.mjs';

const REPO = resolve(new URL('../..', import.meta.url).pathname);
const SUMMARY = 'Ask what /wsa answers in chat: text, or JSON with --json';
const HOUR_AGO = new Date(Date.now() - 3_600_000);

/** Sets every file and folder under `path` to `time` (the copy is older than its build). */
function age(path: string, time: Date): void {
  utimesSync(path, time, time);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) age(join(path, entry), time);
}

function runIn(root: string, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'wsa.mjs'), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('the compiled start path', { timeout: 120_000 }, () => {
  let root: string;
  /** The compiled subcommand list, marked so a run can tell which path it took. */
  let compiledList: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wsa-build-'));
    for (const path of [...SOURCE_DIRS, ...SOURCE_FILES]) cpSync(join(REPO, path), join(root, path), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
    symlinkSync(join(REPO, 'assets'), join(root, 'assets'));
    for (const path of [...SOURCE_DIRS, ...SOURCE_FILES]) age(join(root, path), HOUR_AGO);
    await buildProject(root);
    compiledList = join(root, BUILD_DIR, 'src', 'cli', 'subcommands.js');
    // The stamp, not the files, says when the build was made: this edit keeps it fresh.
    writeFileSync(compiledList, readFileSync(compiledList, 'utf8').replace(SUMMARY, 'COMPILED ask'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Restores the copy's sources to their age after a case changed one. */
  const reset = () => {
    for (const path of [...SOURCE_DIRS, ...SOURCE_FILES]) age(join(root, path), HOUR_AGO);
  };

  it('is what `wsa` runs while it is newer than every source', async () => {
    expect(freshBuildEntry(root)).toBe(join(root, BUILD_DIR, 'src', 'app.js'));
    const r = await runIn(root, ['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('COMPILED ask');
    // WSA_NO_BUILD=1 runs the TypeScript whatever the build
    expect((await runIn(root, ['--help'], { WSA_NO_BUILD: '1' })).stdout).toContain(SUMMARY);
  });

  it('an edited source is run from the TypeScript, edit included', async () => {
    const source = join(root, 'src', 'cli', 'subcommands.ts');
    writeFileSync(source, readFileSync(source, 'utf8').replace(SUMMARY, 'EDITED ask'));
    expect(freshBuildEntry(root)).toBeUndefined();
    const r = await runIn(root, ['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('EDITED ask');
    expect(r.stdout).not.toContain('COMPILED ask');
    writeFileSync(source, readFileSync(source, 'utf8').replace('EDITED ask', SUMMARY));
    reset();
    expect(freshBuildEntry(root)).toBeDefined();
  });

  it('an added source, a removed one, package.json and the guard itself make it stale too', () => {
    const added = join(root, 'migrations', '9999_new.ts');
    writeFileSync(added, 'export {};\n');
    expect(freshBuildEntry(root), 'a file added').toBeUndefined();
    unlinkSync(added);
    reset();
    expect(freshBuildEntry(root)).toBeDefined();

    const removed = join(root, 'digests', readdirSync(join(root, 'digests')).find((f) => f.endsWith('.ts'))!);
    const text = readFileSync(removed);
    unlinkSync(removed);
    expect(freshBuildEntry(root), 'a file removed').toBeUndefined();
    writeFileSync(removed, text);
    reset();

    for (const file of ['package.json', join('bin', 'wsa.mjs')]) {
      utimesSync(join(root, file), new Date(), new Date());
      expect(freshBuildEntry(root), `${file} saved`).toBeUndefined();
      reset();
    }
    expect(freshBuildEntry(root)).toBeDefined();
  });

  it('a missing or unfinished build is not used', () => {
    const stamp = join(root, BUILD_DIR, 'BUILT');
    const kept = readFileSync(stamp);
    const time = statSync(stamp).mtime;
    unlinkSync(stamp);
    expect(freshBuildEntry(root)).toBeUndefined();
    writeFileSync(stamp, kept);
    utimesSync(stamp, time, time);
    expect(freshBuildEntry(root)).toBeDefined();
  });

  // ~30 s on a busy 2-core machine; generous for one shared by several test runs
  it('runs migrations, the embedded store, an import and the render thread compiled', { timeout: 300_000 }, async () => {
    const dataDir = join(root, 'data');
    const env = { WSA_DATA_DIR: dataDir, WSA_NOW: '2025-11-10T12:00:00Z' };
    expect(freshBuildEntry(root)).toBeDefined();
    const demo = await runIn(root, ['demo', '--users', '50', '--weeks', '4'], env);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('50 accounts');
    const out = join(root, 'out');
    const ask = await runIn(root, ['ask', 'active-users', '--out', out], env);
    expect(ask.code, ask.stderr).toBe(0);
    const png = PNG.sync.read(readFileSync(join(out, 'active-users.png')));
    expect(png.width).toBeGreaterThan(100);
    // still the compiled path: nothing above made the build stale
    expect(freshBuildEntry(root)).toBeDefined();
    expect(existsSync(join(root, BUILD_DIR, 'migrations', '0001_initial.js'))).toBe(true);
  });
});
