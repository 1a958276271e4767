/**
 * Local mode end to end (docs/design.md §3): `wsa serve` with no chat credentials on an empty
 * data directory loads the demo workspace (503 until then), answers through the forwarded CLI,
 * restarts quickly without reloading, and the first real import empties the demo.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runWsa, startServer } from '../support/cli.ts';
import { startFakeConnector } from '../support/fake-connector.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/exports/users-weekly.csv', import.meta.url));

describe('local mode', { timeout: 300_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsa-local-'));
  const env = {
    WSA_DATA_DIR: dataDir,
    WSA_DEMO_USERS: '120',
    WSA_NOW: '2025-11-26T10:00:00Z',
  };
  // The server logs at info (the test reads its log); the CLI keeps stderr for problems only.
  const serverEnv = { ...env, LOG_LEVEL: 'info' };
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('loads the demo into an empty store, answering 503 until it is loaded', async () => {
    server = await startServer(serverEnv, 240_000);
    const log = server.log();
    expect(log).toMatch(/demo\.loading/);
    expect(log).toMatch(/"msg":"demo\.loaded"/);
    // The ready record: where the server is, where its data is, and what to type in another terminal.
    const ready = JSON.parse(log.split('\n').find((line) => line.includes('"msg":"server.ready"'))!);
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(ready.dataDir).toBe(env.WSA_DATA_DIR);
    expect(ready.tryCommands).toContain(`WSA_DATA_DIR=${env.WSA_DATA_DIR} npx wsa ask "overview"`);
    // The server was listening (and saying 503) before the demo was in.
    const listening = log.indexOf('server.listening');
    expect(listening).toBeGreaterThanOrEqual(0);
    expect(listening).toBeLessThan(log.indexOf('demo.loaded'));
    expect(server.sawStarting()).toBe(true);
  });

  it('answers from the demo through the running server', async () => {
    const res = await runWsa(['ask', 'users', '--json'], env);
    expect(res.code).toBe(0);
    const json = JSON.parse(res.stdout);
    expect(json.command).toBe('users');
    expect(json.values.seats_enabled).toBeGreaterThan(0);
    expect(json.values.active_users).toBeGreaterThan(0);
  });

  it('answers a Teams activity POSTed from loopback with no token, as the person TeamsInfo.getMember names', async () => {
    const fake = await startFakeConnector();
    try {
      // Someone the demo directory does not know: answered, as a member, with a card.
      fake.members.set('29:local', { id: '29:local', name: 'Local Tester', email: 'local.tester@example.com' });
      for (const text of ['wsa help', 'wsa top-users']) {
        const res = await fetch(`${server!.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            id: `local-${text}`,
            channelId: 'msteams',
            serviceUrl: fake.url,
            from: { id: '29:local', name: 'Local Tester' },
            recipient: { id: '28:wsa', name: 'wsa' },
            conversation: { id: 'a:local-chat', conversationType: 'personal' },
            text,
          }),
        });
        expect(res.status).toBe(200);
      }
      await fake.waitForMessages(2);
      const cards = fake.messages().map((m) => m.activity.attachments?.[0]);
      expect(cards.every((a) => a?.contentType === 'application/vnd.microsoft.card.adaptive')).toBe(true);
      expect(JSON.stringify(cards[0]!.content)).toContain('overview');
      expect(JSON.stringify(cards[1]!.content)).toContain('Not allowed');
      expect(fake.calls.some((c) => c.method === 'GET' && c.path === '/v3/conversations/a:local-chat/members/29:local')).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('serves the try-it page on loopback, answering through the core', async () => {
    const page = await fetch(`${server!.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('wsa — try it');
    const res = await fetch(`${server!.url}/try/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '/wsa users' }) });
    const body = (await res.json()) as { card: { type: string; body: unknown[] }; slack: Array<{ blocks: unknown[] }> };
    expect(body.card.type).toBe('AdaptiveCard');
    expect(JSON.stringify(body.card)).toMatch(/Seats/);
    expect(body.slack[0]!.blocks.length).toBeGreaterThan(0);
  });

  it('restarts in seconds without loading the demo again', async () => {
    await server!.stop();
    const began = Date.now();
    server = await startServer(serverEnv, 120_000);
    expect(server.log()).not.toMatch(/demo\.loading/);
    // Generous for a loaded CI machine; on an idle one it is a few seconds.
    expect(Date.now() - began).toBeLessThan(60_000);
  });

  it('empties the demo at the first real import, and says so', async () => {
    const res = await runWsa(['import', FIXTURE], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/held only the demo workspace: it was emptied first/);
    const users = JSON.parse((await runWsa(['ask', 'users from:2025-10-26 to:2025-11-01', '--json'], env)).stdout);
    // The fixture's own workspace, not the demo's: no more than the fixture's handful of accounts.
    expect(users.values.seats_enabled).toBeLessThan(20);
  });
});

describe('two first starts on one new data directory', { timeout: 300_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wsa-local-race-'));
  const env = { WSA_DATA_DIR: dataDir, WSA_DEMO_USERS: '120', WSA_NOW: '2025-11-26T10:00:00Z', LOG_LEVEL: 'info' };
  const servers: Awaited<ReturnType<typeof startServer>>[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it('one loads the demo whole, the other stops at the lock without touching its files; no demo files are left', async () => {
    // Left by a first start that died before loading its files.
    mkdirSync(join(dataDir, 'demo-4242424'));
    writeFileSync(join(dataDir, 'demo-4242424', 'users.csv'), 'left over');
    const outcomes = await Promise.allSettled([startServer(env, 240_000), startServer(env, 240_000)]);
    for (const o of outcomes) if (o.status === 'fulfilled') servers.push(o.value);
    expect(servers).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason)).toMatch(/is in use by PID/);
    expect(servers[0]!.log()).toMatch(/"msg":"demo\.loaded"/);
    const res = await runWsa(['ask', 'users', '--json'], env);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout).values.seats_enabled).toBeGreaterThan(100);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('demo'))).toEqual([]);
  });
});
