/**
 * The server holding an embedded store: its forwarding listener is on loopback alone, the public
 * port knows nothing of it, a forwarded `serve` is refused without touching the lock, and a
 * several-MB `ingest -` streams through to the server's store.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { StoreInUseError } from '../../src/core/errors.ts';
import { CLI_ROUTE, forwardToServer } from '../../src/local/cli-forwarding.ts';
import { silentLogger } from '../../src/log.ts';
import { acquireLock, lockPath, readLock, type LockInfo } from '../../src/store/lock.ts';

function capture() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function forward(lock: LockInfo, argv: string[], stdin: Readable = Readable.from([])) {
  const stdout = capture();
  const stderr = capture();
  const code = await forwardToServer(lock, argv, { stdout: stdout.stream, stderr: stderr.stream, stdin });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('a server holding the embedded store', { timeout: 240_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsa-server-fwd-'));
  let app: RunningApp;
  let lock: LockInfo;

  beforeAll(async () => {
    // WSA_HOST as in Slack mode: the public port on every interface.
    const config = parseConfig({ PORT: '0', WSA_HOST: '0.0.0.0', WSA_DATA_DIR: dataDir, WSA_DEMO: 'off' });
    app = await startApp({ config, logger: silentLogger(), clock: fixedClock(new Date('2025-11-10T12:00:00Z')) });
    await app.ready;
    lock = readLock(dataDir)!;
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes a loopback forwarding URL of its own and a token into a lock only its owner reads', () => {
    expect(lock.pid).toBe(process.pid);
    expect(lock.serverUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(lock.serverUrl!).port).not.toBe(String(app.address.port));
    expect(lock.serverToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(statSync(lockPath(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('answers 404 for the forwarding path on the public port', async () => {
    const publicUrl = `http://127.0.0.1:${app.address.port}`;
    const res = await fetch(`${publicUrl}${CLI_ROUTE}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${lock.serverToken}`, 'content-type': 'application/json' },
      body: `${JSON.stringify({ argv: ['settings'] })}\n`,
    });
    expect(res.status).toBe(404);
    expect((await fetch(`${publicUrl}/healthz`)).status).toBe(200);
  });

  it('runs forwarded commands on its store', async () => {
    const set = await forward(lock, ['settings', 'seats:1234']);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toMatch(/seats purchased:\s+1234/);
  });

  it('refuses a forwarded serve, keeping its lock and its store', async () => {
    const before = readFileSync(lockPath(dataDir), 'utf8');
    const res = await forward(lock, ['serve']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/`wsa serve` is not run through that server/);
    expect(readFileSync(lockPath(dataDir), 'utf8')).toBe(before);
    // Nor may anything else in this process take the store it holds.
    expect(() => acquireLock(dataDir)).toThrow(StoreInUseError);
    expect(readFileSync(lockPath(dataDir), 'utf8')).toBe(before);
    expect((await fetch(`http://127.0.0.1:${app.address.port}/healthz`)).status).toBe(200);
    expect((await forward(lock, ['settings'])).stdout).toMatch(/seats purchased:\s+1234/);
  });

  it('ingests several MB from a forwarded stdin', async () => {
    const EVENTS = 24_000;
    let bytes = 0;
    const stdin = Readable.from(
      (function* () {
        for (let i = 0; i < EVENTS; i += 500) {
          const lines: string[] = [];
          for (let j = i; j < i + 500; j++) {
            const day = String(3 + (j % 5)).padStart(2, '0');
            lines.push(
              JSON.stringify({
                id: `evt-${String(j).padStart(8, '0')}-${'x'.repeat(40)}`,
                ts: `2025-11-${day}T09:${String(j % 60).padStart(2, '0')}:00Z`,
                user: `user-${String(j % 300).padStart(24, '0')}`,
                conversation_id: `conversation-${j % 2000}`,
                model: 'gpt-5',
                tool: 'Search',
                topic: 'quarterly planning and the forecast for the next two quarters',
              }),
            );
          }
          const chunk = Buffer.from(`${lines.join('\n')}\n`);
          bytes += chunk.length;
          yield chunk;
        }
      })(),
    );
    const res = await forward(lock, ['ingest', '-'], stdin);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(res.stdout.split('\n')[0]).toBe(`stdin: ${EVENTS} events read, ${EVENTS} stored, 0 duplicates ignored.`);
  });
});
