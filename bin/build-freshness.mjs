// Whether the compiled start path (.build/, made by scripts/build.mjs at `npm ci`) may be used:
// only while it is newer than every file it was built from, so an edited checkout never runs
// stale code. One stat per source file and folder (a folder's time changes when a file in it is
// added, removed or renamed); it stops at the first newer one. Plain JavaScript: bin/wsa.mjs
// runs it before any TypeScript can be loaded.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const BUILD_DIR = '.build';
/** Written last by the build, with the time the build started reading the sources. */
export const BUILD_STAMP = 'BUILT';
/** Everything the build reads or that decides what runs: a change to any makes the build stale. */
export const SOURCE_DIRS = ['src', 'commands', 'digests', 'migrations', 'bin'];
export const SOURCE_FILES = ['package.json', 'tsconfig.json', 'scripts/build.mjs'];

/** Whether some file or folder under `path` (itself included) was modified at or after `since` ms. */
function changedSince(path, since) {
  if (statSync(path).mtimeMs >= since) return true;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory() ? changedSince(child, since) : statSync(child).mtimeMs >= since) return true;
  }
  return false;
}

/**
 * The compiled entry (`root`/.build/src/app.js) when the build is fresh, else undefined (no build,
 * an unfinished one, or a source changed since it started).
 */
export function freshBuildEntry(root) {
  let built;
  try {
    built = statSync(join(root, BUILD_DIR, BUILD_STAMP)).mtimeMs;
  } catch {
    return undefined;
  }
  try {
    if (SOURCE_DIRS.some((dir) => changedSince(join(root, dir), built))) return undefined;
    if (SOURCE_FILES.some((file) => statSync(join(root, file)).mtimeMs >= built)) return undefined;
  } catch {
    return undefined; // a source missing or unreadable: the TypeScript path says what is wrong
  }
  return join(root, BUILD_DIR, 'src', 'app.js');
}
