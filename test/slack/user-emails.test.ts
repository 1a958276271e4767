/** Slack user → email through users.info, cached with a time to live. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { silentLogger } from '../../src/log.ts';
import { boltLogger } from '../../src/adapters/slack/bolt-logger.ts';
import { createEmailResolver } from '../../src/adapters/slack/user-emails.ts';
import { WEB_CLIENT_RETRY_OPTIONS } from '../../src/adapters/slack/slack-call.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';

describe('createEmailResolver', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;
  beforeAll(async () => {
    fake = await startFakeSlack({ users: { U1: 'One@Example.com', U2: null } });
    client = new webApi.WebClient(fake.options.botToken, { slackApiUrl: fake.apiUrl, ...WEB_CLIENT_RETRY_OPTIONS, retryConfig: { retries: 0 }, logger: boltLogger(silentLogger()) });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('asks Slack once per user within the TTL, and again after it', async () => {
    fake.reset();
    let now = 0;
    const emails = createEmailResolver({ client, logger: silentLogger(), nowMs: () => now, ttlMs: 1000, missingTtlMs: 100 });
    const [a, b] = await Promise.all([emails.emailOf('U1', 'T1'), emails.emailOf('U1', 'T1')]);
    expect([a, b]).toEqual(['One@Example.com', 'One@Example.com']);
    expect(await emails.emailOf('U1', 'T1')).toBe('One@Example.com');
    expect(fake.accepted('users.info')).toHaveLength(1);
    now = 1001;
    await emails.emailOf('U1', 'T1');
    expect(fake.accepted('users.info')).toHaveLength(2);
  });

  it('remembers users without an email for a shorter time', async () => {
    fake.reset();
    let now = 0;
    const emails = createEmailResolver({ client, logger: silentLogger(), nowMs: () => now, ttlMs: 1000, missingTtlMs: 100 });
    expect(await emails.emailOf('U2')).toBeNull();
    expect(await emails.emailOf('U9')).toBeNull();
    expect(await emails.emailOf('U2')).toBeNull();
    expect(fake.attempts('users.info')).toHaveLength(2);
    now = 101;
    await emails.emailOf('U2');
    expect(fake.attempts('users.info')).toHaveLength(3);
  });

  it('passes a Slack failure on rather than caching it', async () => {
    fake.reset();
    fake.failNext('users.info', { kind: 'error', error: 'invalid_auth' });
    const emails = createEmailResolver({ client, logger: silentLogger() });
    await expect(emails.emailOf('U1')).rejects.toMatchObject({ code: 'platform' });
    expect(await emails.emailOf('U1')).toBe('One@Example.com');
  });
});
