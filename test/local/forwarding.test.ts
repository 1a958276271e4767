import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPath, readLock } from '../../src/store/lock.ts';
import { runWsa, startServer } from '../support/cli.ts';

// Each step spawns `wsa` processes (tsx start-up): generous timeouts for a loaded CI machine.
describe('a local server holding the embedded store', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsa-fwd-'));
  const env = { WSA_DATA_DIR: dataDir, WSA_DEMO: 'off', LOG_LEVEL: 'info' };
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('listens on loopback only and answers /healthz', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', store: 'pglite', localMode: true, dataDir: resolve(dataDir) });
  });

  it('serves other wsa commands through the server', async () => {
    const set = await runWsa(['settings', 'seats:1234'], env);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/seats purchased:\s+1234/);
    const show = await runWsa(['settings'], env);
    expect(show.stdout).toMatch(/seats purchased:\s+1234/);
  });

  it('refuses forwarded requests without the token', async () => {
    const lock = readLock(dataDir)!;
    const res = await fetch(`${lock.serverUrl}/internal/cli`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
      body: JSON.stringify({ argv: ['settings', 'seats:1'] }),
    });
    expect(res.status).toBe(401);
    const show = await runWsa(['settings'], env);
    expect(show.stdout).toMatch(/seats purchased:\s+1234/);
  });

  it('never lets a second server share the store', async () => {
    const second = await runWsa(['serve'], { ...env, PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/in use by PID \d+/);
  });

  it('refuses to forward serve, and the running server keeps its lock', async () => {
    const before = readFileSync(lockPath(dataDir), 'utf8');
    const second = await runWsa(['serve'], { ...env, PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/in use by PID \d+, a running wsa server .*`wsa serve` is not run through that server/);
    expect(readFileSync(lockPath(dataDir), 'utf8')).toBe(before);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('streams a large stdin from a wsa process to the server', async () => {
    const events = Array.from({ length: 20_000 }, (_, i) =>
      JSON.stringify({
        id: `stream-${i}-${'x'.repeat(60)}`,
        ts: `2025-11-0${3 + (i % 5)}T10:00:00Z`,
        user: `user-${String(i % 200).padStart(24, '0')}`,
        conversation_id: `c-${i % 1500}`,
        topic: 'quarterly forecast and hiring plan',
      }),
    );
    const stdin = `${events.join('\n')}\n`;
    expect(stdin.length).toBeGreaterThan(4 * 1024 * 1024);
    const res = await runWsa(['ingest', '-'], env, stdin);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.split('\n')[0]).toBe('stdin: 20000 events read, 20000 stored, 0 duplicates ignored.');
  });
});

describe('paths of a forwarded command', () => {
  it('are made absolute against the caller’s directory', async () => {
    const { absolutizePaths } = await import('../../src/local/cli-forwarding.ts');
    const dir = mkdtempSync(join(tmpdir(), 'wsa-cwd-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'events.ndjson'), '');
    expect(absolutizePaths(['ingest', 'events.ndjson'], dir)).toEqual(['ingest', join(dir, 'events.ndjson')]);
    expect(absolutizePaths(['ask', 'overview', '--out', 'charts'], dir)).toEqual(['ask', 'overview', '--out', join(dir, 'charts')]);
    expect(absolutizePaths(['ask', 'overview', '--out=charts'], dir)).toEqual(['ask', 'overview', `--out=${join(dir, 'charts')}`]);
    // Command text, stdin and flags stay as typed.
    expect(absolutizePaths(['ask', 'groups team:sales', '--json'], dir)).toEqual(['ask', 'groups team:sales', '--json']);
    expect(absolutizePaths(['ingest', '-'], dir)).toEqual(['ingest', '-']);
  });
});
