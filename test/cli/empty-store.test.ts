/**
 * `wsa ask` on a store with no import at all: exit 1 with "No data is loaded …" (as JSON with
 * --json), and where a running local server keeps its data when one answers; help, whoami and
 * settings still answer.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { runSubcommand } from '../../src/cli/main.ts';
import type { CliContext } from '../../src/cli/context.ts';
import { silentLogger } from '../../src/log.ts';
import { pgliteDataPath } from '../../src/store/open.ts';
import { registry } from '../../commands/index.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { runWsa } from '../support/cli.ts';

const NO_DATA = /^No data is loaded in the store at (.+): import export files with `wsa import`, or start `npm start` to load the demo\.$/m;

function collect() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe.each(backends())('wsa ask on an empty %s store', (backend) => {
  let store: TestStore;
  let dir: string;
  beforeAll(async () => {
    store = await openTestStore(backend);
    dir = mkdtempSync(join(tmpdir(), 'wsa-empty-'));
    // the embedded store this configuration names exists (the test store stands in for it)
    mkdirSync(pgliteDataPath(dir));
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await clearStore(store.db);
  });

  async function ask(...args: string[]) {
    const out = collect();
    const err = collect();
    const ctx: CliContext = {
      config: parseConfig({ WSA_DATA_DIR: dir, PORT: '0' }),
      logger: silentLogger(),
      registry,
      clock: fixedClock(new Date('2025-11-10T12:00:00Z')),
      stdout: out.stream,
      stderr: err.stream,
      stdin: Readable.from([]),
      openStore: async () => ({ ...store, close: async () => {} }),
    };
    const code = await runSubcommand('ask', args, ctx);
    return { code, stdout: out.text(), stderr: err.text() };
  }

  it('says no data is loaded, in text and in JSON', async () => {
    const text = await ask('overview');
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(NO_DATA);
    expect(NO_DATA.exec(text.stderr)?.[1]).toBe(dir);

    const json = await ask('active-users', 'by:week', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'no_data', message: expect.stringMatching(NO_DATA) } });
  });

  it('still answers help, whoami and settings', async () => {
    for (const text of ['help', 'whoami', 'settings', '']) {
      const r = await ask(...(text ? [text] : ['help']));
      expect(r.stderr, text).toBe('');
      expect(r.code, text).toBe(0);
      expect(r.stdout).not.toMatch(/No data is loaded/);
    }
  });

  it('an unknown command is still told what is wrong with it, not that data is missing', async () => {
    const r = await ask('overveiw');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/overview/);
    expect(r.stderr).not.toMatch(/No data is loaded/);
  });
});

describe('wsa ask without a store (real process)', () => {
  let dir: string;
  let dataDir: string;
  let other: Server;
  let port: number;
  const serverDataDir = '/srv/wsa/.wsa';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wsa-nostore-'));
    dataDir = join(dir, '.wsa');
    // a local wsa server elsewhere, as its /healthz answers in local mode
    other = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'ok', store: 'pglite', localMode: true, dataDir: serverDataDir }));
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    port = (other.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => other.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 1 at once without creating a store, and says where the running server keeps its data', async () => {
    const began = Date.now();
    const r = await runWsa(['ask', 'overview'], { WSA_DATA_DIR: dataDir, PORT: String(port) });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toBe('');
    expect(NO_DATA.exec(r.stderr)?.[1]).toBe(dataDir);
    expect(r.stderr).toContain(
      `A wsa server is running at http://127.0.0.1:${port} with its data in ${serverDataDir}: set WSA_DATA_DIR=${serverDataDir} to ask it.`,
    );
    expect(existsSync(dataDir)).toBe(false);
    expect(Date.now() - began).toBeLessThan(20_000);
  });

  it('with --json, one error object; no hint when no server answers', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const freePort = (free.address() as { port: number }).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    const r = await runWsa(['ask', '--json', 'overview'], { WSA_DATA_DIR: dataDir, PORT: String(freePort) });
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    expect(parsed.error.code).toBe('no_data');
    expect(parsed.error.message).toMatch(NO_DATA);
    expect(parsed.error.message).not.toMatch(/server is running/);
    expect(existsSync(dataDir)).toBe(false);
  });
});
