/**
 * Slack request signatures (v0): `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed
 * with the signing secret. Bolt's own check refuses only old timestamps; this one refuses a
 * timestamp more than five minutes off in either direction (docs/design.md §9, §11), so a request signed
 * "in the future" cannot be replayed for longer than the window either.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_MAX_SKEW_SECONDS } from './limits.ts';

export type SignatureRejection =
  | 'unsigned'
  | 'malformed_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'malformed_signature'
  | 'signature_mismatch';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureRejection };

export interface SignedRequest {
  /** The `X-Slack-Signature` header (an array when the header was sent twice: refused). */
  signature: string | string[] | undefined;
  /** The `X-Slack-Request-Timestamp` header, in seconds. */
  timestamp: string | string[] | undefined;
  rawBody: Buffer;
}

const SIGNATURE_PATTERN = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;

export function computeSlackSignature(signingSecret: string, timestamp: string | number, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/**
 * Checks one request. `nowMs` is the wall clock (never the pinned `WSA_NOW` clock: signatures are
 * about real time).
 */
export function checkSlackSignature(signingSecret: string, request: SignedRequest, nowMs: number): SignatureCheck {
  const { signature, timestamp } = request;
  if (signature === undefined || timestamp === undefined) return { ok: false, reason: 'unsigned' };
  if (typeof timestamp !== 'string' || !TIMESTAMP_PATTERN.test(timestamp)) {
    return { ok: false, reason: 'malformed_timestamp' };
  }
  const skew = Math.floor(nowMs / 1000) - Number(timestamp);
  if (skew > SIGNATURE_MAX_SKEW_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  if (skew < -SIGNATURE_MAX_SKEW_SECONDS) return { ok: false, reason: 'future_timestamp' };
  if (typeof signature !== 'string' || !SIGNATURE_PATTERN.test(signature)) {
    return { ok: false, reason: 'malformed_signature' };
  }
  const expected = Buffer.from(computeSlackSignature(signingSecret, timestamp, request.rawBody));
  const given = Buffer.from(signature);
  // Both are `v0=` + 64 hex characters here, so the lengths match and the comparison is constant-time.
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'signature_mismatch' };
  return { ok: true };
}
