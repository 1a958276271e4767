/**
 * `POST /api/v1/events` (docs/design.md §4.2): usage events as NDJSON, with a bearer token. A plain
 * node:http handler; the composition root mounts it only when WSA_INGEST_TOKEN is set.
 *
 * Answers: 200 with the ingest summary, once the request's own transaction has committed; 400
 * with the problems by line (nothing stored); 401 without a valid token; 405 for other methods;
 * 409 when the store's usage comes from exports; 413 past `maxBytes` (nothing past it is kept;
 * the rest is read and dropped so the client gets the answer, with or without a Content-Length);
 * 415 for another content type; 503 with `Retry-After` when `maxRunning` requests are being
 * ingested and `maxWaiting` more wait for a place. All or nothing per request; a re-sent batch
 * changes nothing. Neither the token nor the body is ever logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Clock } from '../core/clock.ts';
import { ConflictError, InvalidInputError } from '../core/errors.ts';
import { ingestEvents, summaryToJson } from '../ingest/events.ts';
import { createAdmission } from './admission.ts';
import { discardBody } from './body.ts';
import type { Logger } from '../log.ts';
import type { DbOrTx } from '../store/schema.ts';

export const EVENTS_PATH = '/api/v1/events';
/** Media types accepted for the body (charset, if given, must be UTF-8). */
export const EVENTS_MEDIA_TYPES = ['application/x-ndjson', 'application/json-seq', 'text/plain'] as const;
const AUTH_REALM = 'Bearer realm="wsa-ingest"';

export interface EventsHandlerOptions {
  db: DbOrTx;
  clock: Clock;
  logger: Logger;
  /** The shared secret clients send as `Authorization: Bearer …`. */
  token: string;
  /** Largest accepted body, in bytes. */
  maxBytes: number;
  /** Requests ingested at once (default DEFAULT_INGEST_RUNNING). */
  maxRunning?: number;
  /** Requests waiting for a place before 503 (default DEFAULT_INGEST_WAITING). */
  maxWaiting?: number;
}

/**
 * Requests ingested at once. Each is one transaction whose roll-up updates the same day rows as
 * its neighbours', so more at once mostly wait on each other's row locks.
 */
export const DEFAULT_INGEST_RUNNING = 2;
/** Requests in line for a place; beyond, 503. At ≈ 10–30 ms a small request, about a second's work. */
export const DEFAULT_INGEST_WAITING = 64;
/** Seconds a refused client is asked to wait (`Retry-After`). */
export const INGEST_RETRY_AFTER_SECONDS = 1;

export type EventsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

class BodyTooLarge extends Error {}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  sendJson(res, status, { error: { code, message } }, headers);
}

/** Refuses early (before reading a body) with the connection closed, so no unread body lingers. */
function refuse(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  sendError(res, status, code, message, { connection: 'close', ...headers });
}

function mediaTypeProblem(contentType: string | undefined): string | undefined {
  const accepted = EVENTS_MEDIA_TYPES.join(', ');
  if (!contentType) return `Content-Type is missing; send one of ${accepted}`;
  const [type = '', ...params] = contentType.split(';').map((p) => p.trim().toLowerCase());
  if (!(EVENTS_MEDIA_TYPES as readonly string[]).includes(type)) {
    return `Content-Type ${type || '(empty)'} is not accepted; send one of ${accepted} (one JSON object per line)`;
  }
  for (const param of params) {
    const [key, value = ''] = param.split('=').map((s) => s.trim().replace(/^"|"$/g, ''));
    if (key === 'charset' && value !== 'utf-8' && value !== 'utf8') {
      return `charset ${value} is not accepted; the body must be UTF-8`;
    }
  }
  return undefined;
}

/**
 * The body as a stream of chunks that fails with BodyTooLarge as soon as `maxBytes` is passed;
 * nothing past the limit is kept. The request is not destroyed, so the 413 can still be sent.
 */
function limitedBody(req: IncomingMessage, maxBytes: number): Readable {
  return Readable.from(
    (async function* () {
      let size = 0;
      for await (const chunk of req.iterator({ destroyOnReturn: false })) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) throw new BodyTooLarge();
        yield chunk as Buffer;
      }
    })(),
    { objectMode: false },
  );
}

export function createEventsHandler(options: EventsHandlerOptions): EventsHandler {
  const { db, clock, logger, maxBytes } = options;
  const expected = digest(options.token);
  const admission = createAdmission({
    maxRunning: options.maxRunning ?? DEFAULT_INGEST_RUNNING,
    maxWaiting: options.maxWaiting ?? DEFAULT_INGEST_WAITING,
  });

  function authorized(header: string | undefined): boolean {
    const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
    // Compare digests: equal length whatever was sent, and constant time.
    const same = timingSafeEqual(digest(m?.[1] ?? ''), expected);
    return same && m !== null;
  }

  return async function handleEvents(req, res) {
    const started = performance.now();
    const done = (status: number, extra: Record<string, unknown> = {}) =>
      logger.info({ status, ms: Math.round(performance.now() - started), ...extra }, 'ingest.http');

    if (req.method !== 'POST') {
      refuse(res, 405, 'method_not_allowed', `Use POST to send events to ${EVENTS_PATH}.`, { allow: 'POST' });
      return done(405);
    }
    if (!authorized(req.headers.authorization)) {
      const given = req.headers.authorization !== undefined;
      refuse(
        res,
        401,
        'unauthorized',
        given ? 'The bearer token is not valid.' : 'Send the ingest token as "Authorization: Bearer <token>".',
        { 'www-authenticate': given ? `${AUTH_REALM}, error="invalid_token"` : AUTH_REALM },
      );
      return done(401);
    }
    const encoding = req.headers['content-encoding'];
    if (encoding && encoding.toLowerCase() !== 'identity') {
      refuse(res, 415, 'unsupported_media_type', `Content-Encoding ${encoding} is not accepted; send the body uncompressed.`);
      return done(415);
    }
    const typeProblem = mediaTypeProblem(req.headers['content-type']);
    if (typeProblem) {
      refuse(res, 415, 'unsupported_media_type', typeProblem);
      return done(415);
    }
    const tooLargeMessage = `The body is larger than ${maxBytes} bytes; split the events into smaller requests.`;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      await discardBody(req);
      refuse(res, 413, 'payload_too_large', tooLargeMessage);
      return done(413);
    }

    try {
      const admitted = await admission.run(() =>
        ingestEvents(db, limitedBody(req, maxBytes), {
          clock,
          logger,
          sourceName: `POST ${EVENTS_PATH}`,
        }),
      );
      if (!admitted) {
        // The body is read and dropped first: answering over unread bytes would reset the socket.
        await discardBody(req, maxBytes);
        sendError(res, 503, 'busy', `Too many ingest requests at once; retry after ${INGEST_RETRY_AFTER_SECONDS} s.`, {
          'retry-after': String(INGEST_RETRY_AFTER_SECONDS),
        });
        return done(503);
      }
      const summary = admitted.value;
      sendJson(res, 200, summaryToJson(summary));
      return done(200, { accepted: summary.accepted, duplicates: summary.duplicates });
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        await discardBody(req);
        refuse(res, 413, 'payload_too_large', tooLargeMessage);
        return done(413);
      }
      if (error instanceof InvalidInputError) {
        sendJson(res, 400, {
          error: {
            code: 'invalid_input',
            message: `The events were rejected and nothing was stored: ${error.totalProblems} problem${error.totalProblems === 1 ? '' : 's'}${error.totalProblems > error.problems.length ? `, the first ${error.problems.length} listed` : ''}.`,
            problems: error.problems.map((p) => ({ line: p.line, message: p.message })),
            total_problems: error.totalProblems,
          },
        });
        return done(400, { problems: error.totalProblems });
      }
      if (error instanceof ConflictError) {
        sendError(res, 409, 'conflict', error.message);
        return done(409);
      }
      if (req.destroyed && !req.complete) {
        // The client went away mid-body; nothing was written (validation comes first).
        logger.info({ ms: Math.round(performance.now() - started) }, 'ingest.http.aborted');
        return;
      }
      throw error;
    }
  };
}
