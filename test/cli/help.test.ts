/**
 * `--help` and `-h` on every subcommand, through the real `wsa` process: the usage on stdout, exit
 * 0, and nothing else done — no data directory, no lock, no server, no stdin read.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asksForHelp, isHelp } from '../../src/cli/main.ts';
import { loadSubcommand, subcommandNames } from '../../src/cli/subcommands.ts';
import { runWsa } from '../support/cli.ts';

describe('asking for help', () => {
  it('is --help or -h as an argument of its own, before --', () => {
    expect(asksForHelp(['--help'])).toBe(true);
    expect(asksForHelp(['overview', '-h'])).toBe(true);
    expect(asksForHelp(['--json', '--help', 'x'])).toBe(true);
    expect(asksForHelp(['help'])).toBe(false);
    expect(asksForHelp(['overview --help'])).toBe(false);
    expect(asksForHelp(['--', '--help'])).toBe(false);
    expect(asksForHelp(['-hx', '--helpful'])).toBe(false);
    expect(isHelp(['ask', 'help'])).toBe(false);
    expect(isHelp(['ask', '-h'])).toBe(true);
    expect(isHelp(['no-such-command', '--help'])).toBe(false);
    expect(isHelp([])).toBe(true);
  });
});

describe('wsa <command> --help (real process)', () => {
  let dir: string;
  let dataDir: string;
  let busy: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wsa-help-'));
    dataDir = join(dir, 'store');
    // PORT is held: a `serve` that started anything would fail to listen and exit 1.
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ WSA_DATA_DIR: dataDir, PORT: String(port), WSA_DEMO: 'on' });

  it('lists every subcommand with its summary', async () => {
    const r = await runWsa(['--help'], env());
    expect(r.code).toBe(0);
    for (const name of subcommandNames()) {
      const command = await loadSubcommand(name);
      expect(r.stdout).toContain(`  ${name}`);
      expect(r.stdout).toContain(command!.summary);
    }
    expect(existsSync(dataDir)).toBe(false);
  });

  for (const name of subcommandNames()) {
    it(`${name} --help and ${name} -h print its usage and do nothing else`, { timeout: 60_000 }, async () => {
      const command = await loadSubcommand(name);
      for (const flag of ['--help', '-h']) {
        // arguments a real run would act on, so doing nothing is the help's doing
        const args = name === 'ingest' ? ['-', flag] : name === 'ask' ? ['overview', flag] : [flag];
        const began = Date.now();
        const r = await runWsa([name, ...args], env(), '{"id":"e1"}\n');
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain(`Usage: ${command!.usage}`);
        expect(r.stdout).toContain(`${command!.summary}.`);
        expect(r.stderr).toBe('');
        expect(existsSync(dataDir), `${name} ${flag} created the data directory`).toBe(false);
        expect(Date.now() - began).toBeLessThan(25_000);
      }
    });
  }

  it('help needs no valid configuration', async () => {
    const r = await runWsa(['migrate', '--help'], { ...env(), PORT: 'abc', SLACK_BOT_TOKEN: 'xoxb-secret' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: wsa migrate');
  });

  it('`wsa help NAME` is NAME --help; a quoted "help" is command text, not a request for help', async () => {
    const r = await runWsa(['help', 'settings'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: wsa settings');
    expect(asksForHelp(['help'])).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
  });
});
