import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { acquireLock, lockPath, readLock } from '../src/store/lock.ts';
import { StoreInUseError } from '../src/core/errors.ts';

function deadPid(): number {
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(dead.stdout.toString());
}

describe('embedded store lock', () => {
  it('refuses a second holder while the first process lives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsa-lock-'));
    // A live process other than this one: our parent.
    writeFileSync(lockPath(dir), JSON.stringify({ pid: process.ppid, startedAt: 'earlier' }));
    expect(() => acquireLock(dir)).toThrow(StoreInUseError);
    expect(() => acquireLock(dir)).toThrow(new RegExp(`in use by PID ${process.ppid}`));
  });

  it('takes over a lock left by a process that no longer exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsa-lock-'));
    writeFileSync(lockPath(dir), JSON.stringify({ pid: deadPid(), startedAt: 'earlier' }));
    const lock = acquireLock(dir);
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8')).pid).toBe(process.pid);
    lock.release();
    // Nothing left behind: no takeover or temporary files.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('releases only its own lock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsa-lock-'));
    const lock = acquireLock(dir);
    lock.release();
    const again = acquireLock(dir);
    again.release();
    expect(() => readFileSync(lockPath(dir))).toThrow();
  });

  it('is readable by its owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsa-lock-'));
    const lock = acquireLock(dir);
    lock.update({ serverUrl: 'http://127.0.0.1:1', serverToken: 'secret' });
    expect(statSync(lockPath(dir)).mode & 0o777).toBe(0o600);
    expect(readLock(dir)).toMatchObject({ pid: process.pid, serverUrl: 'http://127.0.0.1:1', serverToken: 'secret' });
    lock.release();
  });
});

describe('no process removes a lock it does not hold', () => {
  it('a second opener in the holding process is refused, and the lock stays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsa-lock-'));
    const lock = acquireLock(dir);
    lock.update({ serverUrl: 'http://127.0.0.1:1', serverToken: 'secret' });
    const before = readFileSync(lockPath(dir), 'utf8');
    expect(() => acquireLock(dir)).toThrow(new RegExp(`in use by PID ${process.pid}`));
    expect(readFileSync(lockPath(dir), 'utf8')).toBe(before);
    lock.release();
  });

  it('a holder whose lock was replaced neither removes nor rewrites the new one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsa-lock-'));
    const lock = acquireLock(dir);
    const other = JSON.stringify({ pid: process.ppid, startedAt: 'later', id: 'someone-else' });
    writeFileSync(lockPath(dir), other);
    expect(() => lock.update({ serverUrl: 'http://127.0.0.1:1' })).toThrow(StoreInUseError);
    lock.release();
    expect(readFileSync(lockPath(dir), 'utf8')).toBe(other);
  });

  it('a lock naming this PID but taken by an earlier process of that PID is stale', () => {
    // After a restart a process can get its predecessor's PID (PID 1 in a container).
    const dir = mkdtempSync(join(tmpdir(), 'wsa-lock-'));
    writeFileSync(lockPath(dir), JSON.stringify({ pid: process.pid, startedAt: 'earlier', id: 'before-restart' }));
    const lock = acquireLock(dir);
    expect(readLock(dir)?.id).toBe(lock.info.id);
    lock.release();
  });
});

describe('taking over a stale lock', () => {
  const CONTENDER = fileURLToPath(new URL('./support/lock-contender.ts', import.meta.url));
  const TRIALS = 40;

  function contender() {
    const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    return {
      go(line: string) {
        child.stdin!.write(`${line}\n`);
      },
      async answer(): Promise<string> {
        const next = await lines.next();
        return next.done ? 'exited' : next.value;
      },
      stop() {
        child.stdin!.end();
      },
    };
  }

  it(`lets exactly one of two processes win, every time (${TRIALS} trials)`, { timeout: 120_000 }, async () => {
    const [a, b] = [contender(), contender()];
    // Both are ready once they answer a trial on a directory of their own.
    for (const c of [a, b]) {
      c.go(`${mkdtempSync(join(tmpdir(), 'wsa-warm-'))} 0`);
      expect(await c.answer()).toBe('won');
    }
    const outcomes: string[] = [];
    try {
      for (let trial = 0; trial < TRIALS; trial++) {
        const dir = mkdtempSync(join(tmpdir(), 'wsa-race-'));
        // No process has a PID this large (Linux's pid_max is at most 2^22).
        writeFileSync(lockPath(dir), JSON.stringify({ pid: 2 ** 30 + trial, startedAt: 'earlier', id: `stale-${trial}` }));
        const at = Date.now() + 150;
        a.go(`${dir} ${at}`);
        b.go(`${dir} ${at}`);
        const answers = [await a.answer(), await b.answer()].sort();
        outcomes.push(answers.join('/'));
        const holder = readLock(dir);
        expect(holder?.id).not.toBe(`stale-${trial}`);
      }
    } finally {
      a.stop();
      b.stop();
    }
    expect(outcomes).toHaveLength(TRIALS);
    expect(outcomes.filter((o) => o !== 'lost/won')).toEqual([]);
  });
});
