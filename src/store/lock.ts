/**
 * An embedded store belongs to one process (docs/design.md §3). The lock is a file in the data directory
 * holding the owner's PID and a random id (and, for a running server, its loopback forwarding
 * address and token so other `wsa` commands can ask it). A lock whose process no longer exists is
 * taken over.
 *
 * Every change to the lock file is atomic, so no reader ever sees it half written:
 * - it is created whole: written under a private name, then hard-linked to the lock's name (which
 *   fails if the name exists — `O_EXCL` for a file that already has its content);
 * - a stale lock is replaced by compare-and-swap: the taker first creates a takeover file named
 *   after the stale lock's id (exclusively, the same way), checks under it that the lock file still
 *   holds exactly what it judged stale, and only then renames its own lock over it. Of several
 *   processes taking over one stale lock, one gets the takeover file; the others find a live lock;
 * - a holder rewrites (`update`) or removes (`release`) the file only while it still holds its id.
 */
import { randomBytes, createHash } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreInUseError } from '../core/errors.ts';

export interface LockInfo {
  pid: number;
  startedAt: string;
  /** Random, one per lock taken: tells this holder's lock from another taken under the same PID. */
  id?: string;
  /** Set by a running server: its loopback-only listener for forwarded `wsa` commands. */
  serverUrl?: string;
  /** Shared secret for those loopback requests. */
  serverToken?: string;
}

export interface StoreLock {
  readonly path: string;
  readonly info: Readonly<LockInfo>;
  update(info: Partial<Omit<LockInfo, 'pid' | 'id'>>): void;
  release(): void;
}

/** How long a process waits for another to finish taking over a stale lock. */
const TAKEOVER_WAIT_MS = 2_000;
const TAKEOVER_POLL_MS = 5;

/** Ids of the locks this process holds: a lock naming our PID but not one of these is stale. */
const heldHere = new Set<string>();

export function lockPath(dataDir: string): string {
  return join(dataDir, 'wsa.lock');
}

export function readLock(dataDir: string): LockInfo | undefined {
  const raw = readRaw(lockPath(dataDir));
  return raw === undefined ? undefined : parse(raw);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the holder of a lock is running: another live process, or this one holding it now. */
export function holderAlive(holder: LockInfo): boolean {
  if (holder.pid === process.pid) return holder.id !== undefined && heldHere.has(holder.id);
  return processAlive(holder.pid);
}

export function acquireLock(dataDir: string): StoreLock {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString(), id: newId() };
  const outcome = claim(path, info);
  // Verified after: the file holds our id.
  if (outcome === 'won' && readLock(dataDir)?.id !== info.id) {
    throw new StoreInUseError(`Could not take the lock ${path}: another process replaced it.`);
  }
  if (outcome !== 'won') {
    throw new StoreInUseError(
      `The embedded store in ${dataDir} is in use by PID ${outcome.pid} (since ${outcome.startedAt}). ` +
        'Stop that process, or set DATABASE_URL to use a PostgreSQL server shared by several processes.',
    );
  }
  heldHere.add(info.id!);
  return makeLock(path, info);
}

/**
 * Takes `path` for `info`, taking over a stale holder. Returns 'won', or the live holder.
 * Also used for the takeover files themselves, so a taker that died halfway is taken over too.
 */
function claim(path: string, info: LockInfo): 'won' | LockInfo {
  const deadline = Date.now() + TAKEOVER_WAIT_MS;
  for (;;) {
    if (createWhole(path, info)) return 'won';
    const raw = readRaw(path);
    if (raw === undefined) continue; // released meanwhile: try creating again
    const holder = parse(raw);
    if (holder && holderAlive(holder)) return holder;
    // Stale (or unreadable): swap it for ours, if no other process is doing so.
    const takeover = `${path}.takeover-${holder?.id ?? digest(raw)}`;
    const taker = claim(takeover, info);
    if (taker === 'won') {
      try {
        if (readRaw(path) === raw) {
          writeWhole(path, info);
          return 'won';
        }
      } finally {
        rmSync(takeover, { force: true });
      }
      continue;
    }
    // Another process is taking it over; look again shortly (its lock, or the file released).
    if (Date.now() > deadline) return taker;
    sleep(TAKEOVER_POLL_MS);
  }
}

function makeLock(path: string, initial: LockInfo): StoreLock {
  let current = initial;
  let released = false;
  const mine = () => parse(readRaw(path) ?? '')?.id === initial.id;
  return {
    path,
    get info() {
      return current;
    },
    update(patch) {
      if (released || !mine()) throw new StoreInUseError(`The lock ${path} is no longer held by this process.`);
      current = { ...current, ...patch };
      writeWhole(path, current);
    },
    release() {
      if (released) return;
      released = true;
      heldHere.delete(initial.id!);
      // Only the holder can change a live lock, so nothing replaces ours between check and removal.
      if (mine()) rmSync(path, { force: true });
    },
  };
}

/** Creates `path` with its content, or returns false if it exists. */
function createWhole(path: string, info: LockInfo): boolean {
  const temp = writeTemp(path, info);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
}

/** Replaces `path` with new content in one step. */
function writeWhole(path: string, info: LockInfo): void {
  const temp = writeTemp(path, info);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

function writeTemp(path: string, info: LockInfo): string {
  const temp = `${path}.${process.pid}-${newId()}.tmp`;
  writeFileSync(temp, JSON.stringify(info), { mode: 0o600, flag: 'wx' });
  return temp;
}

function readRaw(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parse(raw: string): LockInfo | undefined {
  try {
    const value = JSON.parse(raw) as LockInfo;
    return typeof value?.pid === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

function newId(): string {
  return randomBytes(12).toString('base64url');
}

function digest(raw: string): string {
  return createHash('sha256').update(raw).digest('base64url').slice(0, 16);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
