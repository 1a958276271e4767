/**
 * How the bot's calls to the Bot Connector are sent and retried. botbuilder's own pipeline would
 * retry any 5xx and any dropped connection — and a post whose response was lost may already be in
 * the conversation, so a blind retry can post an answer twice. This client takes every retry
 * decision itself and hands the pipeline only successes and final errors (which it never retries):
 * - 429 (throttled) and 412 (precondition failed) were not posted: retried, honouring Retry-After;
 * - 502 and 504 (the gateway did not reach the service): retried with back-off;
 * - a dropped connection or any other 5xx on a post may have been posted: not retried;
 * - a read (a member lookup) is retried on those too, since reading twice does no harm.
 */
import type { Logger } from '../../log.ts';

export const MAX_ATTEMPTS = 4;
export const BASE_DELAY_MS = 500;
export const MAX_RETRY_AFTER_MS = 60_000;
const RETRY_ALWAYS = new Set([412, 429, 502, 504]);

/** A Bot Connector call that finally failed; `posted` says whether it may have gone through. */
export class ConnectorCallError extends Error {
  readonly statusCode: number | undefined;
  readonly mayHavePosted: boolean;
  constructor(message: string, statusCode: number | undefined, mayHavePosted: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectorCallError';
    this.statusCode = statusCode;
    this.mayHavePosted = mayHavePosted;
  }
}

/** The parts of botbuilder's request (core-http's WebResourceLike) this client reads. */
interface RequestLike {
  url: string;
  method: string;
  body?: unknown;
  headers: HeadersLike;
}
interface HeadersLike {
  toJson(options?: { preserveCase?: boolean }): Record<string, string>;
  clone(): HeadersLike;
  headerNames(): string[];
  remove(name: string): boolean;
  set(name: string, value: string | number): void;
}

export interface ConnectorHttpOptions {
  readonly logger: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly baseDelayMs?: number;
}

function retryAfterMs(header: string | null, fallback: number): number {
  if (!header) return fallback;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, seconds * 1000));
  const at = Date.parse(header);
  return Number.isNaN(at) ? fallback : Math.min(MAX_RETRY_AFTER_MS, Math.max(0, at - Date.now()));
}

/** An HTTP client for botbuilder's connector (its `connectorClientOptions.httpClient`). */
export function connectorHttpClient(options: ConnectorHttpOptions) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const base = options.baseDelayMs ?? BASE_DELAY_MS;
  return {
    async sendRequest(request: RequestLike) {
      const method = request.method.toUpperCase();
      const isRead = method === 'GET';
      const path = new URL(request.url).pathname;
      const body = request.body === undefined || request.body === null ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
      for (let attempt = 1; ; attempt++) {
        const backoff = base * 2 ** (attempt - 1);
        let response: Response;
        try {
          response = await fetch(request.url, { method, headers: request.headers.toJson({ preserveCase: true }), ...(body !== undefined ? { body } : {}) });
        } catch (error) {
          if (isRead && attempt < MAX_ATTEMPTS) {
            await sleep(backoff);
            continue;
          }
          throw new ConnectorCallError(`Bot Connector ${method} ${path}: no response`, undefined, !isRead, { cause: error });
        }
        if (response.ok) {
          const text = await response.text();
          const headers = request.headers.clone();
          for (const name of headers.headerNames()) headers.remove(name);
          response.headers.forEach((value, name) => headers.set(name, value));
          return { request, status: response.status, headers, bodyAsText: text };
        }
        await response.body?.cancel();
        const retryable = RETRY_ALWAYS.has(response.status) || (isRead && response.status >= 500);
        if (retryable && attempt < MAX_ATTEMPTS) {
          const wait = retryAfterMs(response.headers.get('retry-after'), backoff);
          options.logger.warn({ status: response.status, method, attempt, waitMs: wait }, 'teams.api.retry');
          await sleep(wait);
          continue;
        }
        const mayHavePosted = !isRead && response.status >= 500 && !RETRY_ALWAYS.has(response.status);
        throw new ConnectorCallError(`Bot Connector ${method} ${path}: ${response.status}`, response.status, mayHavePosted);
      }
    },
  };
}
