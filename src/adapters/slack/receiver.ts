/**
 * The HTTP side of the Slack adapter: a Bolt `Receiver` whose transport is a route on our one
 * server (docs/design.md §3) rather than a server of its own. It reads the raw body, verifies the v0
 * signature (refusing timestamps more than five minutes off either way), answers Slack's URL
 * verification and SSL checks, and hands everything else to `app.processEvent`. The HTTP
 * response is sent the moment a listener calls `ack()`, so the answer's work never holds it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { ReceiverMultipleAckError, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import { ACK_DEADLINE_MS, MAX_REQUEST_BODY_BYTES } from './limits.ts';
import { checkSlackSignature } from './verify.ts';
import { BodyTooLargeError, readBodyWithin } from '../../server/body.ts';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Wall clock for signature timestamps (default `Date.now`; not the app's pinnable clock). */
  nowMs?: () => number;
  bodyLimitBytes?: number;
  /** Answer 500 when no listener acknowledged within this time (default: Slack's 3 s). */
  ackDeadlineMs?: number;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return;
  if (body === undefined || body === '') {
    res.writeHead(status, { 'content-length': 0 });
    res.end();
    return;
  }
  const isText = typeof body === 'string';
  const text = isText ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Slack bodies: form-encoded slash commands, form-encoded `payload=` interactivity, JSON events. */
export function parseSlackBody(contentType: string | undefined, raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8');
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const form = parseQuery(text);
    if (typeof form.payload === 'string') return JSON.parse(form.payload) as Record<string, unknown>;
    return form as Record<string, unknown>;
  }
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('not an object');
  return parsed as Record<string, unknown>;
}

export class SlackHttpReceiver implements Receiver {
  readonly #options: Required<Omit<SlackHttpReceiverOptions, 'logger' | 'signingSecret'>>;
  readonly #signingSecret: string;
  readonly #logger: Logger;
  #app: App | undefined;

  constructor(options: SlackHttpReceiverOptions) {
    this.#signingSecret = options.signingSecret;
    this.#logger = options.logger;
    this.#options = {
      nowMs: options.nowMs ?? Date.now,
      bodyLimitBytes: options.bodyLimitBytes ?? MAX_REQUEST_BODY_BYTES,
      ackDeadlineMs: options.ackDeadlineMs ?? ACK_DEADLINE_MS,
    };
  }

  init(app: App): void {
    this.#app = app;
  }

  /** The server is ours (src/server/http.ts): nothing to start or stop here. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  /** The `/slack/events` route handler. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      send(res, 405);
      return;
    }
    let raw: Buffer;
    try {
      // Past the limit the rest is read and dropped, so the client gets the 413 (chunked or not).
      raw = await readBodyWithin(req, this.#options.bodyLimitBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        this.#logger.warn({ limit: this.#options.bodyLimitBytes }, 'slack.request.too_large');
        send(res, 413);
        return;
      }
      throw error;
    }

    const contentType = firstHeader(req.headers['content-type']);
    // Slack's SSL check may come unsigned; it is answered with nothing processed, as Bolt does.
    if (raw.toString('utf8') === 'ssl_check=1' || raw.toString('utf8').startsWith('ssl_check=1&')) {
      send(res, 200);
      return;
    }

    const check = checkSlackSignature(
      this.#signingSecret,
      {
        signature: req.headers['x-slack-signature'],
        timestamp: req.headers['x-slack-request-timestamp'],
        rawBody: raw,
      },
      this.#options.nowMs(),
    );
    if (!check.ok) {
      this.#logger.warn({ reason: check.reason }, 'slack.request.rejected');
      send(res, 401);
      return;
    }

    let body: Record<string, unknown>;
    try {
      body = parseSlackBody(contentType, raw);
    } catch {
      this.#logger.warn({ contentType }, 'slack.request.malformed');
      send(res, 400);
      return;
    }
    if (body.type === 'url_verification') {
      send(res, 200, { challenge: body.challenge });
      return;
    }

    const app = this.#app;
    if (!app) {
      // Mounted before the adapter finished starting (auth.test still running).
      send(res, 503);
      return;
    }

    let acked = false;
    const deadline = setTimeout(() => {
      if (acked) return;
      acked = true;
      this.#logger.error({ deadlineMs: this.#options.ackDeadlineMs }, 'slack.request.not_acknowledged');
      send(res, 500);
    }, this.#options.ackDeadlineMs);
    deadline.unref();

    const retryNum = Number.parseInt(firstHeader(req.headers['x-slack-retry-num']) ?? '', 10);
    const event: ReceiverEvent = {
      body,
      retryNum: Number.isNaN(retryNum) ? undefined : retryNum,
      retryReason: firstHeader(req.headers['x-slack-retry-reason']),
      customProperties: {},
      ack: async (response?: unknown) => {
        if (acked) throw new ReceiverMultipleAckError();
        acked = true;
        clearTimeout(deadline);
        send(res, 200, response === undefined || response === null ? undefined : response);
      },
    };
    try {
      await app.processEvent(event);
    } catch (error) {
      this.#logger.error({ err: error }, 'slack.request.failed');
      if (!acked) {
        acked = true;
        clearTimeout(deadline);
        send(res, 500);
      }
      return;
    }
    if (!acked) {
      // Nothing listens for this payload (an event type we do not handle): acknowledge it so
      // Slack does not retry a delivery we will never act on.
      acked = true;
      clearTimeout(deadline);
      send(res, 200);
    }
  };
}
