/** Slack's v0 request signature, with the five-minute window applied in both directions. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkSlackSignature, computeSlackSignature } from '../../src/adapters/slack/verify.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const BODY = Buffer.from('token=xyz&team_id=T1&command=%2Fwsa&text=overview');
const NOW_MS = Date.UTC(2026, 10, 25, 9, 0, 0);
const NOW_S = NOW_MS / 1000;

function signed(timestamp: number, body = BODY, secret = SECRET) {
  return { signature: computeSlackSignature(secret, timestamp, body), timestamp: String(timestamp), rawBody: body };
}

describe('checkSlackSignature', () => {
  it('computes the documented v0 signature', () => {
    // Worked by hand from Slack's recipe: "v0:" + timestamp + ":" + body, HMAC-SHA256, hex.
    const expected = `v0=${createHmac('sha256', SECRET).update(`v0:${NOW_S}:${BODY.toString()}`).digest('hex')}`;
    expect(computeSlackSignature(SECRET, NOW_S, BODY)).toBe(expected);
    expect(expected).toMatch(/^v0=[0-9a-f]{64}$/);
  });

  it.each([
    ['now', 0],
    ['5 minutes ago', -300],
    ['5 minutes ahead', 300],
  ])('accepts a request signed %s', (_name, skew) => {
    expect(checkSlackSignature(SECRET, signed(NOW_S + skew), NOW_MS)).toEqual({ ok: true });
  });

  it.each([
    ['stale_timestamp', -301],
    ['future_timestamp', 301],
    ['stale_timestamp', -86_400],
    ['future_timestamp', 86_400],
  ])('refuses %s (%i s off)', (reason, skew) => {
    expect(checkSlackSignature(SECRET, signed(NOW_S + skew), NOW_MS)).toEqual({ ok: false, reason });
  });

  it('refuses what is not signed, or signed wrongly', () => {
    const good = signed(NOW_S);
    const check = (r: Parameters<typeof checkSlackSignature>[1]) => checkSlackSignature(SECRET, r, NOW_MS);
    expect(check({ ...good, signature: undefined })).toEqual({ ok: false, reason: 'unsigned' });
    expect(check({ ...good, timestamp: undefined })).toEqual({ ok: false, reason: 'unsigned' });
    expect(check({ ...good, timestamp: 'yesterday' })).toEqual({ ok: false, reason: 'malformed_timestamp' });
    expect(check({ ...good, timestamp: [good.timestamp, good.timestamp] })).toEqual({ ok: false, reason: 'malformed_timestamp' });
    expect(check({ ...good, signature: good.signature.replace('v0=', 'v1=') })).toEqual({ ok: false, reason: 'malformed_signature' });
    expect(check({ ...good, signature: good.signature.slice(0, -2) })).toEqual({ ok: false, reason: 'malformed_signature' });
    expect(check({ ...good, signature: [good.signature] })).toEqual({ ok: false, reason: 'malformed_signature' });
    expect(check({ ...good, rawBody: Buffer.from(`${BODY.toString()}&x=1`) })).toEqual({ ok: false, reason: 'signature_mismatch' });
    expect(check(signed(NOW_S, BODY, 'another-secret'))).toEqual({ ok: false, reason: 'signature_mismatch' });
    // The timestamp is part of what is signed: moving it breaks the signature.
    expect(check({ ...good, timestamp: String(NOW_S + 1) })).toEqual({ ok: false, reason: 'signature_mismatch' });
  });
});
