/**
 * An embedded store belongs to one process (docs/design.md §3). The lock is a file beside the data
 * directory holding the owner's PID (and, for a running server, its loopback address so other
 * `wsa` commands can ask it). A lock whose process no longer exists is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreInUseError } from '../core/errors.ts';

export interface LockInfo {
  pid: number;
  startedAt: string;
  /** Set by a running server: where other processes may send their requests. */
  serverUrl?: string;
  /** Shared secret for those loopback requests. */
  serverToken?: string;
}

export interface StoreLock {
  readonly path: string;
  update(info: Partial<LockInfo>): void;
  release(): void;
}

export function lockPath(dataDir: string): string {
  return join(dataDir, 'wsa.lock');
}

export function readLock(dataDir: string): LockInfo | undefined {
  return readLockFile(lockPath(dataDir));
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireLock(dataDir: string): StoreLock {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeFileSync(fd, JSON.stringify(info));
      closeSync(fd);
      return makeLock(path, info);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readLock(dataDir);
    if (holder && holder.pid !== process.pid && processAlive(holder.pid)) {
      throw new StoreInUseError(
        `The embedded store in ${dataDir} is in use by PID ${holder.pid} (since ${holder.startedAt}). ` +
          'Stop that process, or set DATABASE_URL to use a PostgreSQL server shared by several processes.',
      );
    }
    // Left by a process that no longer exists (or unreadable): take it over.
    rmSync(path, { force: true });
  }
  throw new StoreInUseError(`Could not take the lock ${path}; another process keeps creating it.`);

  function makeLock(p: string, initial: LockInfo): StoreLock {
    let current = initial;
    let released = false;
    return {
      path: p,
      update(patch) {
        current = { ...current, ...patch };
        writeFileSync(p, JSON.stringify(current), { mode: 0o600 });
      },
      release() {
        if (released) return;
        released = true;
        const holder = readLockFile(p);
        if (holder?.pid === process.pid) rmSync(p, { force: true });
      },
    };
  }
}

function readLockFile(path: string): LockInfo | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return undefined;
  }
}
