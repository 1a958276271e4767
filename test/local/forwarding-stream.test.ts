/**
 * The forwarding protocol on its own: a loopback listener running a stand-in command, and the
 * client of a `wsa` process. Stdin and output stream through without being held whole.
 */
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI_ROUTE, forwardToServer, type ForwardIo } from '../../src/local/cli-forwarding.ts';
import { startForwardingListener, type ForwardedRun, type ForwardingListener } from '../../src/local/forwarding-listener.ts';
import { silentLogger } from '../../src/log.ts';
import type { LockInfo } from '../../src/store/lock.ts';

const MB = 1024 * 1024;
const HOLDER = { pid: process.pid, startedAt: '2025-11-26T10:00:00.000Z' };

function sink() {
  const hash = createHash('sha256');
  let bytes = 0;
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      hash.update(chunk);
      if (chunks.length < 64) chunks.push(chunk);
      done();
    },
  });
  return { stream, bytes: () => bytes, digest: () => hash.copy().digest('hex'), text: () => Buffer.concat(chunks).toString('utf8') };
}

function write(stream: Writable, chunk: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(chunk, (error) => (error ? reject(error) : resolve())));
}

describe('CLI forwarding over loopback', () => {
  let listener: ForwardingListener | undefined;
  afterEach(async () => {
    await listener?.close();
    listener = undefined;
  });

  async function listen(run: ForwardedRun): Promise<LockInfo> {
    listener = await startForwardingListener({ run, logger: silentLogger(), holder: HOLDER });
    return { ...HOLDER, serverUrl: listener.url, serverToken: listener.token };
  }

  function io(stdin: Readable = Readable.from([])) {
    const stdout = sink();
    const stderr = sink();
    return { stdout, stderr, io: { stdout: stdout.stream, stderr: stderr.stream, stdin } satisfies ForwardIo };
  }

  it('listens on 127.0.0.1 and passes argv, output and the exit status', async () => {
    const seen: string[][] = [];
    const lock = await listen(async (argv, { stdout, stderr }) => {
      seen.push(argv);
      stdout.write('out: ünïcode\n');
      stderr.write('a warning\n');
      return 3;
    });
    expect(lock.serverUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { stdout, stderr, io: streams } = io();
    const code = await forwardToServer(lock, ['ask', 'groups team:"Sales EMEA"', '--json'], streams);
    expect(code).toBe(3);
    expect(seen).toEqual([['ask', 'groups team:"Sales EMEA"', '--json']]);
    expect(stdout.text()).toBe('out: ünïcode\n');
    expect(stderr.text()).toBe('a warning\n');
  });

  it('streams several MB of stdin in and of output back, neither held whole', async () => {
    const TOTAL = 8 * MB;
    const CHUNK = 64 * 1024;
    let serverReceived = 0;
    let serverReceivedWhenInputEnded = -1;
    const serverHash = createHash('sha256');
    const clientHash = createHash('sha256');
    const out = io(
      Readable.from(
        (async function* () {
          for (let sent = 0; sent < TOTAL; sent += CHUNK) {
            const chunk = Buffer.alloc(CHUNK, sent / CHUNK);
            clientHash.update(chunk);
            yield chunk;
          }
          serverReceivedWhenInputEnded = serverReceived;
        })(),
      ),
    );
    let clientReceivedWhenOutputEnded = -1;
    const outputHash = createHash('sha256');
    const lock = await listen(async (_argv, { stdin, stdout }) => {
      for await (const chunk of stdin) {
        serverReceived += (chunk as Buffer).length;
        serverHash.update(chunk as Buffer);
      }
      for (let i = 0; i < TOTAL / CHUNK; i++) {
        const chunk = Buffer.alloc(CHUNK, 255 - (i % 256));
        outputHash.update(chunk);
        await write(stdout, chunk);
      }
      clientReceivedWhenOutputEnded = out.stdout.bytes();
      await write(stdout, `read ${serverReceived}\n`);
      return 0;
    });
    const code = await forwardToServer(lock, ['ingest', '-'], out.io);
    expect(code).toBe(0);
    expect(serverReceived).toBe(TOTAL);
    expect(serverHash.digest('hex')).toBe(clientHash.digest('hex'));
    // The server was reading before the caller had produced all of its input…
    expect(serverReceivedWhenInputEnded).toBeGreaterThan(0);
    expect(serverReceivedWhenInputEnded).toBeLessThan(TOTAL);
    // …and the caller was writing output out before the server had produced all of it.
    expect(clientReceivedWhenOutputEnded).toBeGreaterThan(0);
    expect(clientReceivedWhenOutputEnded).toBeLessThan(TOTAL);
    expect(out.stdout.bytes()).toBe(TOTAL + `read ${TOTAL}\n`.length);
  }, 60_000);

  it('sends no stdin unless the command reads -', async () => {
    let read = -1;
    const lock = await listen(async (_argv, { stdin }) => {
      read = 0;
      for await (const chunk of stdin) read += (chunk as Buffer).length;
      return 0;
    });
    const code = await forwardToServer(lock, ['import', 'users.csv'], io(Readable.from([Buffer.from('not sent')])).io);
    expect(code).toBe(0);
    expect(read).toBe(0);
  });

  it('stops sending stdin once the command has finished', async () => {
    let produced = 0;
    const endless = Readable.from(
      (async function* () {
        for (;;) {
          produced += 64 * 1024;
          yield Buffer.alloc(64 * 1024, 1);
        }
      })(),
    );
    const lock = await listen(async (_argv, { stdin, stderr }) => {
      for await (const _chunk of stdin) break;
      stderr.write('bad input at line 1\n');
      return 1;
    });
    const { stderr, io: streams } = io(endless);
    expect(await forwardToServer(lock, ['ingest', '-'], streams)).toBe(1);
    expect(stderr.text()).toBe('bad input at line 1\n');
    const after = produced;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(produced).toBe(after);
  });

  it('never runs serve for another process', async () => {
    let ran = false;
    const lock = await listen(async () => {
      ran = true;
      return 0;
    });
    const { stderr, io: streams } = io();
    expect(await forwardToServer(lock, ['serve'], streams)).toBe(1);
    expect(ran).toBe(false);
    expect(stderr.text()).toMatch(/in use by PID \d+, a running wsa server .*`wsa serve` is not run through that server/);
  });

  it('refuses a wrong token, and serves nothing but the forwarding route', async () => {
    const lock = await listen(async () => 0);
    const { stderr, io: streams } = io();
    expect(await forwardToServer({ ...lock, serverToken: 'wrong' }, ['settings'], streams)).toBe(1);
    expect(stderr.text()).toMatch(/refused the request \(HTTP 401\)/);
    expect((await fetch(`${lock.serverUrl}/healthz`)).status).toBe(404);
    const get = await fetch(`${lock.serverUrl}${CLI_ROUTE}`, { headers: { authorization: `Bearer ${lock.serverToken}` } });
    expect(get.status).toBe(405);
  });

  it('says so when the server is gone', async () => {
    const lock = await listen(async () => 0);
    await listener!.close();
    listener = undefined;
    const { stderr, io: streams } = io();
    expect(await forwardToServer(lock, ['settings'], streams)).toBe(1);
    expect(stderr.text()).toMatch(/PID \d+\) holds the store but did not answer/);
  });

  it('says what is stored when the server stops in the middle of a command', async () => {
    const lock = await listen(async (_argv, run) => {
      run.stdout.write('users-weekly-2025-11-02.csv: imported (3 rows)\n');
      // The server dies mid-command: the connection drops before the exit status.
      setTimeout(() => listener?.close(), 10);
      await new Promise(() => {});
      return 0;
    });
    const { stdout, stderr, io: streams } = io();
    expect(await forwardToServer(lock, ['import', 'a.csv', 'b.csv'], streams)).toBe(1);
    listener = undefined;
    expect(stdout.text()).toContain('imported (3 rows)');
    expect(stderr.text()).toMatch(/stopped before the command finished\.\nEach file is imported whole or not at all: the files reported above as imported are stored/);
    expect(stderr.text()).not.toMatch(/TypeError|fetch failed|\n\s+at /);
  });
});
