/**
 * The embedded store's files are the owner's alone: PGlite creates its catalog files 0666, so
 * the data directory is made 0700 and every file under it tightened when the store opens
 * (after its migrations) and when it closes.
 */
import { mkdtemp, mkdir, rm, stat, chmod, writeFile } from 'node:fs/promises';
import { readdirSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, pgliteDataPath } from '../src/store/open.ts';

/** Paths under `dir` that the group or others may read, write or enter. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if ((lstatSync(path).mode & 0o077) !== 0) found.push(path);
    if (entry.isDirectory()) found.push(...openToOthers(path));
  }
  return found;
}

describe('embedded store file modes', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'wsa-modes-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('keeps the data directory and every file in it to the owner, from a loose start', { timeout: 120_000 }, async () => {
    const root = join(parent, 'data');
    // A directory someone made with loose modes, holding a stray world-writable file.
    await mkdir(pgliteDataPath(root), { recursive: true, mode: 0o755 });
    await chmod(root, 0o777);
    await writeFile(join(pgliteDataPath(root), 'stray'), 'x', { mode: 0o666 });
    await chmod(join(pgliteDataPath(root), 'stray'), 0o666);

    const store = await openStore({ dataDir: root });
    try {
      expect((await stat(root)).mode & 0o777).toBe(0o700);
      expect((await stat(pgliteDataPath(root))).mode & 0o777).toBe(0o700);
      expect((await stat(join(pgliteDataPath(root), 'PG_VERSION'))).mode & 0o777).toBe(0o600);
      expect(openToOthers(root)).toEqual([]);
      await store.db.selectFrom('workspace').selectAll().execute();
    } finally {
      await store.close();
    }
    expect(openToOthers(root)).toEqual([]);
  });
});
