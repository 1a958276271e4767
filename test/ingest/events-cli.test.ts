import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { runSubcommand } from '../../src/cli/main.ts';
import type { CliContext } from '../../src/cli/context.ts';
import { silentLogger } from '../../src/log.ts';
import { registry } from '../../commands/index.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';

const FIXTURES = new URL('../fixtures/events/', import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

function collect() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe.each(backends())('wsa ingest on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await clearStore(store.db);
  });

  async function run(args: string[], stdin: Readable = Readable.from([])) {
    const out = collect();
    const err = collect();
    const ctx: CliContext = {
      config: parseConfig({}),
      logger: silentLogger(),
      registry,
      clock: fixedClock(new Date('2025-11-10T12:00:00Z')),
      stdout: out.stream,
      stderr: err.stream,
      stdin,
      openStore: async () => ({ ...store, close: async () => {} }),
    };
    const code = await runSubcommand('ingest', args, ctx);
    return { code, stdout: out.text(), stderr: err.text() };
  }

  it('ingests a file and prints the summary', async () => {
    const result = await run([fixture('valid-12.ndjson')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        `${fixture('valid-12.ndjson')}: 12 events read, 12 stored, 0 duplicates ignored.`,
        'Days: 2025-11-03 … 2025-11-04 (UTC, 2 with events).',
        '3 users not in the directory (12 events; they count in totals, in no group): ' +
          'user-aaaaaaaaaaaaaaaaaaaaaaaa, user-bbbbbbbbbbbbbbbbbbbbbbbb, user-cccccccccccccccccccccccc. ' +
          'Import a directory CSV to place them in groups.',
        '',
      ].join('\n'),
    );
    const again = await run([fixture('valid-12.ndjson'), '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 12, accepted: 0, duplicates: 12 });
  });

  it('reads stdin with -', async () => {
    const result = await run(['-'], Readable.from([readFileSync(fixture('crlf-bom.ndjson'))]));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^stdin: 2 events read, 2 stored, 0 duplicates ignored\.\nDay: 2025-11-05 \(UTC\)\./);
  });

  it('exits 1 with line-numbered reasons for a bad file, storing nothing', async () => {
    const result = await run([fixture('invalid.ndjson')]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/invalid\.ndjson was rejected, nothing was imported \(16 problems\):\n {2}line 2: not valid JSON/);
    expect(result.stderr).toContain('  line 4: ts "2025-11-03T09:00:00" has no UTC offset');
    expect(await store.db.selectFrom('events').select('id').execute()).toEqual([]);

    const json = await run([fixture('invalid.ndjson'), '--json']);
    expect(json.code).toBe(1);
    const payload = JSON.parse(json.stdout) as { error: { code: string; problems: { line: number }[] } };
    expect(payload.error.code).toBe('invalid_input');
    expect(payload.error.problems[0]).toMatchObject({ line: 2 });
  });

  it.each([
    [[], 2, /missing FILE/],
    [['a.ndjson', 'b.ndjson'], 2, /one FILE/],
    [['--fast', 'a.ndjson'], 2, /unknown option --fast/],
    [['/nonexistent/events.ndjson'], 1, /no such file/],
  ])('refuses the command line %j', async (args, code, message) => {
    const result = await run(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });
});

describe('wsa ingest as a process', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'wsa-ingest-cli-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  function wsa(args: string[], input: Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin/wsa.mjs'), ...args], {
        cwd: dataDir,
        env: { PATH: process.env.PATH ?? '', WSA_DATA_DIR: dataDir, WSA_NOW: '2025-11-10T12:00:00Z', LOG_LEVEL: 'silent' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input);
    });
  }

  // One process only: a fresh embedded store takes seconds to create (the happy path and
  // the exit statuses are covered in-process above).
  it('exits 1 with the reasons on stderr for a bad stdin', async () => {
    const bad = await wsa(['ingest', '-'], readFileSync(fixture('invalid.ndjson')));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^stdin was rejected, nothing was imported \(16 problems\):\n {2}line 2: /);
    expect(bad.stderr).toContain('  line 15: ts "2025-11-03T25:00:00Z" is not a real time of day\n');
  }, 120_000);
});
