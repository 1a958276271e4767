/**
 * The retry policy: 429s are retried after Retry-After for every call; network failures only for
 * calls that cannot post twice. Driven with real WebClient errors against the fake Web API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { PlatformError } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/log.ts';
import { boltLogger } from '../../src/adapters/slack/bolt-logger.ts';
import { callSlack, slackErrorCode, WEB_CLIENT_RETRY_OPTIONS } from '../../src/adapters/slack/slack-call.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';

describe('callSlack', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  const policy = { maxAttempts: 3, maxRetryAfterMs: 10_000, backoffMs: 100 };

  beforeAll(async () => {
    fake = await startFakeSlack({ users: { U1: 'one@example.com' } });
    client = new webApi.WebClient(fake.options.botToken, {
      slackApiUrl: fake.apiUrl,
      ...WEB_CLIENT_RETRY_OPTIONS,
      retryConfig: { retries: 0 },
      logger: boltLogger(silentLogger()),
    });
  });
  afterAll(async () => {
    await fake?.close();
  });

  function reset() {
    fake.reset();
    waits.length = 0;
  }

  it('retries a 429 after its Retry-After, posts included', async () => {
    reset();
    fake.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 7 });
    const result = await callSlack({ method: 'chat.postMessage', kind: 'post', policy, sleep }, () =>
      client.chat.postMessage({ channel: 'C1', text: 'hi' }),
    );
    expect(result.ok).toBe(true);
    expect(waits).toEqual([7000]);
    expect(fake.attempts('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it('gives up on a Retry-After longer than the policy allows', async () => {
    reset();
    fake.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 60 });
    const error = await callSlack({ method: 'chat.postMessage', kind: 'post', policy, sleep }, () =>
      client.chat.postMessage({ channel: 'C1', text: 'hi' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 60_000 });
    expect(waits).toEqual([]);
  });

  it('never retries a post after a network failure, but retries an idempotent read', async () => {
    reset();
    fake.failNext('chat.postMessage', { kind: 'drop' });
    const error = await callSlack({ method: 'chat.postMessage', kind: 'post', policy, sleep }, () =>
      client.chat.postMessage({ channel: 'C1', text: 'hi' }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'platform', retryable: true });
    expect(fake.attempts('chat.postMessage')).toHaveLength(1);

    fake.failNext('users.info', { kind: 'drop' }, { kind: 'http', status: 503 });
    const info = await callSlack({ method: 'users.info', kind: 'idempotent', policy, sleep }, () => client.users.info({ user: 'U1' }));
    expect(info.user?.profile?.email).toBe('one@example.com');
    expect(waits).toEqual([100, 200]);
    expect(fake.attempts('users.info')).toHaveLength(3);
  });

  it('does not retry a Slack error, and keeps its code', async () => {
    reset();
    fake.failNext('chat.postMessage', { kind: 'error', error: 'not_in_channel' });
    const error = await callSlack({ method: 'chat.postMessage', kind: 'post', policy, sleep }, () =>
      client.chat.postMessage({ channel: 'C1', text: 'hi' }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'platform', retryable: false, message: 'chat.postMessage failed: not_in_channel' });
    expect(slackErrorCode(error)).toBe('not_in_channel');
    expect(fake.attempts('chat.postMessage')).toHaveLength(1);
  });
});
