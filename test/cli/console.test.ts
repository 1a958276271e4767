/**
 * The console a person reads (LOG_FORMAT=pretty, the default on a terminal): pino's records
 * turned into lines and, on a terminal, progress bars — the same records, so the same redaction.
 * Driven through the real logger, and through real `wsa serve` / `wsa import` processes; JSON stays
 * the default when stderr is not a terminal.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { humanConsole } from '../../src/log-console.ts';
import { tryCommands } from '../../src/local/cli-forwarding.ts';
import { WSA_BIN, runWsa } from '../support/cli.ts';

const EXPORTS = new URL('../fixtures/exports/', import.meta.url).pathname;
const EVENTS = new URL('../fixtures/events/valid-12.ndjson', import.meta.url).pathname;

/** A stream that keeps what is written; `isTTY` makes it a terminal to the console. */
function sink(isTTY = false): Writable & { text: () => string; isTTY: boolean } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & { text: () => string; isTTY: boolean };
  stream.isTTY = isTTY;
  stream.text = () => text;
  return stream;
}

/** A demo load as the server logs it: 8 files, the last one events. */
function logDemoLoad(logger: ReturnType<typeof createLogger>): void {
  logger.info({ store: 'pglite', dataDir: '/data/wsa' }, 'server.starting');
  logger.info({ url: 'http://127.0.0.1:4100', store: 'pglite', localMode: true }, 'server.listening');
  logger.info({ dataDir: '/data/wsa', users: 2000 }, 'demo.loading');
  logger.info({ users: 2000, weeks: 26, files: 8, ms: 2400 }, 'demo.generated');
  for (let i = 1; i <= 7; i++) {
    logger.info({ file: `users-weekly-${i}.csv`, kind: 'users', rows: 2000, ms: 40 }, 'import.completed');
  }
  logger.debug({ source: 'events.ndjson', phase: 'reading', done: 25_000, total: 0 }, 'ingest.progress');
  logger.debug({ source: 'events.ndjson', phase: 'storing', done: 10_000, total: 40_000 }, 'ingest.progress');
  logger.info({ source: 'events.ndjson', rows: 40_000, accepted: 40_000 }, 'ingest.completed');
  logger.info({ users: 2000, weeks: 26, files: 8, events: 40_000, generateMs: 2400, loadMs: 31_000 }, 'demo.loaded');
  logger.info(
    { url: 'http://127.0.0.1:4100', localMode: true, dataDir: '/data/wsa', tryCommands: tryCommands('/data/wsa') },
    'server.ready',
  );
}

describe('the human console', () => {
  it('turns a demo load into lines a person reads: no JSON, no line per file', () => {
    const out = sink();
    logDemoLoad(createLogger('debug', humanConsole(out, { lineLevel: 30 })));
    const text = out.text();
    expect(text).not.toContain('{');
    expect(text).not.toMatch(/import\.completed|ingest\.completed|users-weekly-3\.csv/);
    expect(text).toContain('Opening the embedded store in /data/wsa…');
    expect(text).toContain('loading the demo workspace (2,000 accounts) into /data/wsa');
    expect(text).toContain('Generated 8 demo files (2,000 accounts, 26 weeks) in 2.4 s');
    // not a terminal: a line at each quarter of the files instead of a bar
    expect(text).toContain('… 2 of 8 files loaded');
    expect(text).toContain('… 6 of 8 files loaded');
    expect(text).toContain('Demo workspace loaded: 2,000 accounts, 26 weeks, 40,000 events from 8 files in 31.0 s.');
    expect(text).toContain('wsa is ready in local mode at http://127.0.0.1:4100');
    expect(text).toContain('Data directory:          /data/wsa');
    expect(text).toContain('WSA_DATA_DIR=/data/wsa npx wsa ask "overview"');
    expect(text).not.toContain('\u001b[');
  });

  it('draws progress bars on a terminal: the files, and the events of a large file', async () => {
    const out = sink(true);
    const human = humanConsole(out, { lineLevel: 30 });
    const logger = createLogger('debug', human);
    logger.info({ users: 2000, weeks: 26, files: 4, ms: 10 }, 'demo.generated');
    logger.info({ file: 'a.csv', kind: 'users', rows: 1, ms: 1 }, 'import.completed');
    logger.debug({ source: 'events.ndjson', phase: 'storing', done: 10_000, total: 40_000 }, 'ingest.progress');
    await new Promise((resolve) => setTimeout(resolve, 400)); // the bars redraw on a timer
    human.close();
    const text = out.text();
    expect(text).toMatch(/█+░+ 1\/4 demo files · a\.csv/);
    expect(text).toContain('events.ndjson: storing · 10,000 of 40,000 events');
    expect(text).not.toContain('"msg"');
  });

  it('shows a warning as a line, with its fields and error, at any line level', () => {
    const out = sink();
    const logger = createLogger('debug', humanConsole(out, { lineLevel: 40 }));
    logger.info({ file: 'x.csv' }, 'import.completed');
    logger.warn({ status: 429, method: 'chat.postMessage', err: new Error('rate limited') }, 'slack.api.retry');
    const text = out.text();
    expect(text).not.toContain('x.csv');
    expect(text).toMatch(/^\d\d:\d\d:\d\d {2}warn: slack\.api\.retry status=429 method=chat\.postMessage — rate limited\n$/);
  });

  it('redacts exactly what the JSON form redacts', () => {
    const json = sink();
    const human = sink();
    const record = {
      email: 'top.sentinel@example.com',
      token: 'xoxb-sentinel-token',
      user: { email: 'nested.sentinel@example.com', authorization: 'Bearer sentinel' },
      command: 'overview',
    };
    createLogger('debug', json).info(record, 'command.completed');
    createLogger('debug', humanConsole(human)).info(record, 'command.completed');
    for (const text of [json.text(), human.text()]) {
      expect(text).not.toMatch(/sentinel/);
      expect(text.match(/\[redacted\]/g)).toHaveLength(4);
      expect(text).toContain('overview');
    }
    expect(human.text()).toContain('user.email=[redacted]');
  });
});

describe('the console of real wsa processes', { timeout: 300_000 }, () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'wsa-console-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('LOG_FORMAT=pretty: the first start of local mode reads as lines, and names where its data is', async () => {
    const dataDir = join(tempDir(), 'data');
    const child = spawn(process.execPath, [WSA_BIN, 'serve'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', WSA_DATA_DIR: dataDir, WSA_DEMO_USERS: '50', LOG_FORMAT: 'pretty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 250_000;
    while (!log.includes('Stop it with Ctrl-C') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill('SIGINT');
    expect(await exited, log).toBe(0);
    const url = /wsa is ready in local mode at (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1];
    expect(url, log).toBeDefined();
    expect(log).toContain(`Opening the embedded store in ${dataDir}…`);
    expect(log).toMatch(/Demo workspace loaded: 50 accounts, 26 weeks, [\d,]+ events from \d+ files in/);
    expect(log).toContain(`Try it in the browser:   ${url}/`);
    expect(log).toContain(`Data directory:          ${dataDir}`);
    expect(log).toContain(`WSA_DATA_DIR=${dataDir} npx wsa ask "overview"`);
    expect(log).toContain('Stopping (SIGINT)…');
    expect(log).not.toMatch(/^\{/m);
    expect(log).not.toMatch(/import\.completed/);
  });

  /** A folder of export files that import together. */
  const exportsFolder = () => {
    const dir = tempDir();
    for (const file of ['catalog.json', 'directory.csv', 'gpts-weekly.csv', 'projects-weekly.csv']) {
      copyFileSync(join(EXPORTS, file), join(dir, file));
    }
    return dir;
  };

  it('LOG_FORMAT=pretty: wsa import and wsa ingest say what they did on stdout, and print no JSON', async () => {
    const env = { WSA_DATA_DIR: join(tempDir(), 'data'), WSA_NOW: '2025-11-10T12:00:00Z', LOG_FORMAT: 'pretty', LOG_LEVEL: 'info' };
    const imported = await runWsa(['import', exportsFolder()], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/directory\.csv/);
    expect(imported.stderr).not.toMatch(/^\{/m);
    // LOG_LEVEL=info: how far the files are as lines (no bar: not a terminal), no JSON
    expect(imported.stderr).toMatch(/… 2 of 4 files loaded/);
    const ingested = await runWsa(['ingest', EVENTS], { ...env, LOG_LEVEL: 'warn' });
    expect(ingested.code, ingested.stderr).toBe(0);
    expect(ingested.stdout).toMatch(/12/);
    expect(ingested.stderr).toBe('');
  });

  it('JSON stays the default when stderr is not a terminal, and with LOG_FORMAT=json', async () => {
    const env = { WSA_DATA_DIR: join(tempDir(), 'data'), WSA_NOW: '2025-11-10T12:00:00Z', LOG_LEVEL: 'info' };
    const imported = await runWsa(['import', exportsFolder()], env);
    expect(imported.code, imported.stderr).toBe(0);
    const messages = (text: string) => text.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages(imported.stderr)).toEqual(['import.started', ...Array(4).fill('import.completed')]);
    const ingested = await runWsa(['ingest', EVENTS], { ...env, LOG_FORMAT: 'json' });
    expect(ingested.code, ingested.stderr).toBe(0);
    expect(messages(ingested.stderr)).toEqual(['ingest.completed']);
  });

  it('a LOG_FORMAT that is neither is a configuration error, in plain words', async () => {
    const r = await runWsa(['migrate'], { WSA_DATA_DIR: join(tempDir(), 'data'), LOG_FORMAT: 'fancy' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LOG_FORMAT must be json or pretty, or unset (it is "fancy").');
  });
});
