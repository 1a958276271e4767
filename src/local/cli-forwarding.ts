/**
 * While a local server holds the embedded store (docs/design.md §3), other `wsa` commands still work: the
 * server advertises a loopback URL and a random token in its lock file (readable by the same
 * user only), the CLI sends its argument vector (and stdin, for `-`) there, and the server runs
 * the same subcommand in-process and returns its output and exit status.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbsolute, resolve } from 'node:path';
import { PassThrough, Readable, type Writable } from 'node:stream';
import type { LockInfo } from '../store/lock.ts';
import type { Route } from '../server/http.ts';
import { sendJson } from '../server/http.ts';

export const CLI_ROUTE = '/internal/cli';
/** Largest forwarded request (argv plus stdin for `wsa ingest -`). */
export const MAX_FORWARDED_BYTES = 256 * 1024 * 1024;

export class ForwardToServer extends Error {
  readonly lock: LockInfo;
  constructor(lock: LockInfo) {
    super(`store held by the local server at ${lock.serverUrl}`);
    this.lock = lock;
  }
}

interface ForwardedRequest {
  argv: string[];
  stdin?: string;
}

interface ForwardedResponse {
  code: number;
  stdout: string;
  stderr: string;
}

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error(`input larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Flags whose value is a path (written or read by the command). */
const PATH_FLAGS = new Set(['--out']);

/**
 * The server runs in its own working directory: paths given relative to the caller's are made
 * absolute here — the values of path flags, and arguments naming something that exists.
 */
export function absolutizePaths(argv: string[], cwd: string): string[] {
  return argv.map((arg, i) => {
    const previous = argv[i - 1];
    if (previous && PATH_FLAGS.has(previous) && !arg.startsWith('-')) return resolve(cwd, arg);
    const eq = /^(--[a-z-]+)=(.+)$/.exec(arg);
    if (eq && PATH_FLAGS.has(eq[1]!)) return `${eq[1]}=${resolve(cwd, eq[2]!)}`;
    if (i > 0 && !arg.startsWith('-') && !isAbsolute(arg) && existsSync(resolve(cwd, arg))) return resolve(cwd, arg);
    return arg;
  });
}

export async function forwardToServer(
  lock: LockInfo,
  argv: string[],
  io: { stdout: Writable; stderr: Writable; stdin: Readable },
): Promise<number> {
  const body: ForwardedRequest = { argv: absolutizePaths(argv, process.cwd()) };
  if (argv.slice(1).includes('-')) body.stdin = (await readAll(io.stdin, MAX_FORWARDED_BYTES)).toString('base64');
  const res = await fetch(`${lock.serverUrl}${CLI_ROUTE}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${lock.serverToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    io.stderr.write(`The local server (PID ${lock.pid}) holds the store but refused the request (HTTP ${res.status}).\n`);
    return 1;
  }
  const out = (await res.json()) as ForwardedResponse;
  io.stdout.write(out.stdout);
  io.stderr.write(out.stderr);
  return out.code;
}

export function newServerToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The server side: runs a forwarded subcommand with the server's own store and clock. */
export function createCliRoute(options: {
  token: string;
  run: (argv: string[], io: { stdout: Writable; stderr: Writable; stdin: Readable }) => Promise<number>;
}): Route {
  return {
    path: CLI_ROUTE,
    async handler(req: IncomingMessage, res: ServerResponse) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: { code: 'method', message: 'POST only' } });
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !sameToken(auth.slice(7), options.token)) {
        return sendJson(res, 401, { error: { code: 'unauthorized', message: 'bad token' } });
      }
      const request = JSON.parse((await readAll(req, MAX_FORWARDED_BYTES)).toString('utf8')) as ForwardedRequest;
      if (!Array.isArray(request.argv) || !request.argv.every((a) => typeof a === 'string')) {
        return sendJson(res, 400, { error: { code: 'usage', message: 'argv must be a list of strings' } });
      }
      const stdout = collect();
      const stderr = collect();
      const stdin = Readable.from(request.stdin ? [Buffer.from(request.stdin, 'base64')] : []);
      const code = await options.run(request.argv, { stdout: stdout.stream, stderr: stderr.stream, stdin });
      sendJson(res, 200, { code, stdout: stdout.text(), stderr: stderr.text() } satisfies ForwardedResponse);
    },
  };
}

function collect(): { stream: Writable; text(): string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}
