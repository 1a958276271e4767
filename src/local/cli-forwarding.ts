/**
 * While a local server holds the embedded store (docs/design.md §3), other `wsa` commands still work: the
 * server listens on a loopback-only port of its own and writes that URL and a random token into
 * its lock file (readable by the same user only). A `wsa` process that finds a live server there
 * sends it the command instead of opening the store, and the server runs the same subcommand
 * in-process.
 *
 * The exchange streams both ways, so a large stdin is never held whole on either side:
 * - request: `POST /internal/cli`, `Authorization: Bearer TOKEN`; the body is one line of JSON
 *   `{"argv": [...]}` and then, for a command reading `-`, the caller's stdin as it comes;
 * - response: a stream of frames, each a type byte (stdout, stderr, exit), a 4-byte big-endian
 *   length and that many bytes; the exit frame carries the exit status and ends the stream.
 * This file holds the protocol and the caller's side; the server's side is forwarding-listener.ts.
 */
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { isAbsolute, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { holderAlive, readLock, type LockInfo } from '../store/lock.ts';

export const CLI_ROUTE = '/internal/cli';
/** Longest first line of a request (the argument vector as JSON). */
export const MAX_ARGV_BYTES = 1024 * 1024;
/** Largest frame payload: output is cut into frames no bigger, so neither side holds more. */
export const MAX_FRAME_BYTES = 64 * 1024;
export const FRAMES_CONTENT_TYPE = 'application/vnd.wsa.cli-frames';

export const FRAME = { stdout: 1, stderr: 2, exit: 3 } as const;
const FRAME_HEADER_BYTES = 5;

export interface ForwardIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
}

/** Subcommands a server never runs for another process: `serve` would start a second server. */
const NOT_FORWARDED = new Set(['serve']);

export function isForwardable(name: string): boolean {
  return !NOT_FORWARDED.has(name);
}

export function notForwarded(name: string, server: LockInfo, dataDir?: string): string {
  const where = dataDir ? ` in ${dataDir}` : '';
  return (
    `The embedded store${where} is in use by PID ${server.pid}, a running wsa server (since ${server.startedAt}). ` +
    `\`wsa ${name}\` is not run through that server: stop it first, or set DATABASE_URL to use a PostgreSQL ` +
    'server shared by several processes.'
  );
}

/** The live local server holding the embedded store in `dataDir`, when there is one to ask. */
export function runningServer(dataDir: string): LockInfo | undefined {
  let lock: LockInfo | undefined;
  try {
    lock = readLock(dataDir);
  } catch {
    // An unreadable lock names no server we may ask; opening the store here reports the problem.
    return undefined;
  }
  if (!lock?.serverUrl || !lock.serverToken) return undefined;
  return holderAlive(lock) && lock.pid !== process.pid ? lock : undefined;
}

export function encodeFrame(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

export function exitFrame(code: number): Buffer {
  const payload = Buffer.alloc(4);
  payload.writeInt32BE(code, 0);
  return encodeFrame(FRAME.exit, payload);
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

/** What is stored when the server stopped in the middle of a command, in words for the person. */
export function whatIsKnown(subcommand: string): string {
  switch (subcommand) {
    case 'import':
      return 'Each file is imported whole or not at all: the files reported above as imported are stored, the one in progress and the rest are not. Importing them again is safe (a report replaces its earlier copy).';
    case 'ingest':
      return 'Events the server had stored before it stopped stay stored; the rest are not. Ingesting the same input again is safe: events already stored (by id) are not counted twice.';
    default:
      return 'Whatever the command printed above was done; nothing after it was.';
  }
}

/**
 * Runs `argv` in the server named by `lock`: streams stdin to it (for a command reading `-`) and
 * its stdout and stderr back as they come. Resolves with the command's exit status.
 */
export async function forwardToServer(lock: LockInfo, argv: string[], io: ForwardIo): Promise<number> {
  const readsStdin = argv.slice(1).includes('-');
  const req = request(new URL(CLI_ROUTE, lock.serverUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${lock.serverToken}`, 'content-type': 'application/octet-stream' },
  });
  const failed = (message: string, afterStart = false) => {
    io.stderr.write(`The local server (PID ${lock.pid}) holds the store but ${message}.\n`);
    if (afterStart) io.stderr.write(`${whatIsKnown(argv[0] ?? '')}\n`);
    return 1;
  };
  let started = false;
  try {
    const response = new Promise<import('node:http').IncomingMessage>((resolveResponse, reject) => {
      req.once('response', resolveResponse);
      // Also after the response: the server may stop reading stdin once the command is done.
      req.on('error', reject);
    });
    req.write(`${JSON.stringify({ argv: absolutizePaths(argv, process.cwd()) })}\n`);
    if (readsStdin) io.stdin.pipe(req);
    else req.end();
    const res = await response.catch((error: Error) => {
      throw new Error(`did not answer (${error.message})`);
    });
    if (res.statusCode !== 200) {
      res.resume();
      return failed(`refused the request (HTTP ${res.statusCode})`);
    }
    started = true;
    const code = await readFrames(res, io);
    return code ?? failed('stopped before the command finished', true);
  } catch (error) {
    // Once the command ran, a dropped connection means the server stopped in the middle of it.
    if (started) return failed('stopped before the command finished', true);
    return failed((error as Error).message);
  } finally {
    // The command has finished: whatever stdin it did not read is not sent.
    if (readsStdin) {
      io.stdin.unpipe(req);
      io.stdin.pause();
    }
    req.destroy();
  }
}

/** Writes stdout and stderr frames out as they arrive; resolves with the exit status, if any came. */
async function readFrames(res: Readable, io: ForwardIo): Promise<number | undefined> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of res) {
    pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    while (pending.length >= FRAME_HEADER_BYTES) {
      const length = pending.readUInt32BE(1);
      if (pending.length < FRAME_HEADER_BYTES + length) break;
      const type = pending.readUInt8(0);
      const payload = pending.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length);
      pending = pending.subarray(FRAME_HEADER_BYTES + length);
      if (type === FRAME.exit) return payload.readInt32BE(0);
      const out = type === FRAME.stderr ? io.stderr : io.stdout;
      if (!out.write(payload)) await new Promise((drained) => out.once('drain', drained));
    }
  }
  return undefined;
}

/**
 * What to type in another terminal to ask this server: `npx wsa ask …`, with the data directory
 * named unless it is the one `wsa` finds from here by default (./.wsa), so the command reaches
 * this server and not an empty store of its own.
 */
export function tryCommands(dataDir: string): string[] {
  const prefix = resolve(dataDir) === resolve('.wsa') ? '' : `WSA_DATA_DIR=${shellWord(dataDir)} `;
  return ['overview', 'active-users by:week', 'help'].map((text) => `${prefix}npx wsa ask "${text}"`);
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
