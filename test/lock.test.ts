import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock, lockPath } from '../src/store/lock.ts';
import { StoreInUseError } from '../src/core/errors.ts';

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
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(dead.stdout.toString());
    writeFileSync(lockPath(dir), JSON.stringify({ pid: deadPid, startedAt: 'earlier' }));
    const lock = acquireLock(dir);
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('releases only its own lock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsa-lock-'));
    const lock = acquireLock(dir);
    lock.release();
    const again = acquireLock(dir);
    again.release();
    expect(() => readFileSync(lockPath(dir))).toThrow();
  });
});
