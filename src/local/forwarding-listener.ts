/**
 * The server's side of CLI forwarding (protocol in cli-forwarding.ts): a `node:http` server of its
 * own on 127.0.0.1 and an ephemeral port, serving only the forwarding route, never mounted on the
 * public port. It runs each forwarded subcommand through the `run` it is given, feeding it the
 * request's stream as stdin and framing its output into the response as it is written.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Logger } from '../log.ts';
import { sendJson } from '../server/http.ts';
import {
  CLI_ROUTE,
  FRAME,
  FRAMES_CONTENT_TYPE,
  MAX_ARGV_BYTES,
  MAX_FRAME_BYTES,
  encodeFrame,
  exitFrame,
  isForwardable,
  notForwarded,
  type ForwardIo,
} from './cli-forwarding.ts';

export type ForwardedRun = (argv: string[], io: ForwardIo) => Promise<number>;

export interface ForwardingListener {
  /** `http://127.0.0.1:PORT`, for the lock file. */
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

export async function startForwardingListener(options: {
  run: ForwardedRun;
  logger: Logger;
  /** PID and start of the server, for the refusal of a command it never runs. */
  holder: { pid: number; startedAt: string };
}): Promise<ForwardingListener> {
  const token = randomBytes(32).toString('base64url');
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error({ err: error, path: CLI_ROUTE }, 'cli_forward.failed');
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'Internal error' } });
      else res.destroy();
    });
  });
  // A forwarded import or ingest may stream its input for longer than the default 5 minutes.
  server.requestTimeout = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((req.url ?? '/').split('?')[0] !== CLI_ROUTE) {
      return sendJson(res, 404, { error: { code: 'not_found', message: 'No such route' } });
    }
    if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'method', message: 'POST only' } });
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !sameToken(auth.slice(7), token)) {
      return sendJson(res, 401, { error: { code: 'unauthorized', message: 'bad token' } });
    }
    const argv = parseArgv(await readFirstLine(req, MAX_ARGV_BYTES));
    if (!argv) return sendJson(res, 400, { error: { code: 'usage', message: 'the first line must be {"argv": [strings]}' } });

    res.writeHead(200, { 'content-type': FRAMES_CONTENT_TYPE, 'cache-control': 'no-store' });
    const stdout = frameWriter(res, FRAME.stdout);
    const stderr = frameWriter(res, FRAME.stderr);
    const name = argv[0] ?? 'help';
    let code: number;
    if (!isForwardable(name)) {
      stderr.write(`${notForwarded(name, options.holder)}\n`);
      code = 1;
    } else {
      options.logger.info({ command: name }, 'cli_forward.started');
      code = await options.run(argv, { stdout, stderr, stdin: req });
    }
    stdout.end();
    stderr.end();
    await Promise.all([finished(stdout), finished(stderr)]);
    res.end(exitFrame(code));
  }

  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
  return {
    url: `http://127.0.0.1:${address.port}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A stream for the command's stdout or stderr, written into the response as frames. */
function frameWriter(res: ServerResponse, type: number): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      // The caller is gone: its output goes nowhere, and the command still finishes.
      if (res.destroyed) return done();
      let flowing = true;
      for (let at = 0; at < chunk.length; at += MAX_FRAME_BYTES) {
        flowing = res.write(encodeFrame(type, chunk.subarray(at, at + MAX_FRAME_BYTES)));
      }
      if (flowing) return done();
      const settle = () => {
        res.off('drain', settle);
        res.off('close', settle);
        done();
      };
      res.on('drain', settle);
      res.on('close', settle);
    },
  });
}

/**
 * Reads up to the first newline, putting back what follows it: the rest of the stream is the
 * command's stdin, read by the command as it goes.
 */
function readFirstLine(stream: Readable, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const settle = (line: Buffer | undefined, error?: Error) => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (error) reject(error);
      else resolve(line);
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = stream.read() as Buffer | null) !== null) {
        const newline = chunk.indexOf(10);
        if (newline >= 0) {
          parts.push(chunk.subarray(0, newline));
          if (newline + 1 < chunk.length) stream.unshift(chunk.subarray(newline + 1));
          return settle(Buffer.concat(parts));
        }
        parts.push(chunk);
        size += chunk.length;
        if (size > limit) return settle(undefined);
      }
    };
    const onEnd = () => settle(undefined);
    const onError = (error: Error) => settle(undefined, error);
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

function parseArgv(line: Buffer | undefined): string[] | undefined {
  if (!line) return undefined;
  try {
    const { argv } = JSON.parse(line.toString('utf8')) as { argv?: unknown };
    return Array.isArray(argv) && argv.every((a) => typeof a === 'string') ? argv : undefined;
  } catch {
    return undefined;
  }
}

function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
