/**
 * How the adapter calls Slack's Web API, and what it retries.
 *
 * The WebClient's own retry policy is switched off (`retries: 0`) and it is told to reject
 * rate-limited calls at once (`rejectRateLimitedCalls`). Its default would retry *any* failure
 * up to ten times over about thirty minutes — including a `chat.postMessage` whose request
 * reached Slack but whose response was lost (a timeout, a reset connection), which posts the
 * same message twice. Instead, retries are decided here, per call:
 *  - a 429 is retried after its Retry-After, for every call: Slack refused it, nothing was done;
 *  - network failures and 5xx are retried (with back-off) only for calls that change nothing or
 *    change it idempotently (`users.info`, `conversations.open`, `auth.test`), never for posts;
 *  - every other error is final and becomes a PlatformError with `cause`, and `retryable` says
 *    whether a later attempt could succeed.
 */
import type { Logger } from '../../log.ts';
import { webApi } from '@slack/bolt';
import { PlatformError } from '../../core/errors.ts';

/** WebClient options that leave retrying to `callSlack`. */
export const WEB_CLIENT_RETRY_OPTIONS = {
  retryConfig: { retries: 0 },
  rejectRateLimitedCalls: true,
  /** A call that has not answered in this time is abandoned (and, for posts, not retried). */
  timeout: 20_000,
} as const;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Longest Retry-After honoured; a longer one fails the call (the answer would be stale). */
  maxRetryAfterMs: number;
  /** First back-off for idempotent calls after a network failure; doubles each time. */
  backoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, maxRetryAfterMs: 60_000, backoffMs: 500 };

export type CallKind = 'post' | 'idempotent';

export interface CallOptions {
  /** What the call is, for messages and logs ("chat.postMessage"). */
  method: string;
  kind: CallKind;
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: { method: string; attempt: number; waitMs: number; reason: 'rate_limited' | 'transient' }) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The Slack error code of a failed call (`not_in_channel`), when Slack answered with one. */
export function slackErrorCode(error: unknown): string | undefined {
  if (error instanceof PlatformError) return slackErrorCode(error.cause);
  const e = error as { code?: unknown; data?: { error?: unknown } } | null;
  if (e && e.code === webApi.ErrorCode.PlatformError && typeof e.data?.error === 'string') return e.data.error;
  return undefined;
}

function retryAfterMs(error: unknown): number | undefined {
  const e = error as { code?: unknown; retryAfter?: unknown } | null;
  if (e && e.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === 'number') return e.retryAfter * 1000;
  return undefined;
}

function isTransient(error: unknown): boolean {
  const e = error as { code?: unknown; statusCode?: unknown } | null;
  if (!e) return false;
  if (e.code === webApi.ErrorCode.RequestError) return true;
  if (e.code === webApi.ErrorCode.HTTPError && typeof e.statusCode === 'number') return e.statusCode >= 500;
  return false;
}

function toPlatformError(method: string, error: unknown): PlatformError {
  const code = slackErrorCode(error);
  const after = retryAfterMs(error);
  if (after !== undefined) {
    return new PlatformError(`${method} was rate limited (retry after ${after / 1000} s)`, {
      cause: error,
      retryable: true,
      retryAfterMs: after,
    });
  }
  if (code) {
    const retryable = code === 'ratelimited' || code === 'service_unavailable' || code === 'internal_error' || code === 'fatal_error';
    return new PlatformError(`${method} failed: ${code}`, { cause: error, retryable });
  }
  return new PlatformError(`${method} failed: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
    retryable: isTransient(error),
  });
}

/** Calls Slack once, and again only where that cannot do anything twice (see the file comment). */
export async function callSlack<T>(options: CallOptions, call: () => Promise<T>): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const sleep = options.sleep ?? defaultSleep;
  let backoff = policy.backoffMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const last = attempt >= policy.maxAttempts;
      const after = retryAfterMs(error);
      if (after !== undefined && !last && after <= policy.maxRetryAfterMs) {
        options.onRetry?.({ method: options.method, attempt, waitMs: after, reason: 'rate_limited' });
        await sleep(after);
        continue;
      }
      if (options.kind === 'idempotent' && isTransient(error) && !last) {
        options.onRetry?.({ method: options.method, attempt, waitMs: backoff, reason: 'transient' });
        await sleep(backoff);
        backoff *= 2;
        continue;
      }
      throw toPlatformError(options.method, error);
    }
  }
}

/**
 * Slack calls under one retry policy, each retry logged: what the delivery port, the digest
 * poster and the uploads they share call through.
 */
export function slackCaller(o: { logger: Logger; retryPolicy?: RetryPolicy; sleep?: (ms: number) => Promise<void> }) {
  return <T>(method: string, kind: CallKind, fn: () => Promise<T>): Promise<T> =>
    callSlack(
      {
        method,
        kind,
        ...(o.retryPolicy ? { policy: o.retryPolicy } : {}),
        ...(o.sleep ? { sleep: o.sleep } : {}),
        onRetry: (info) => o.logger.warn(info, 'slack.api.retry'),
      },
      fn,
    );
}
