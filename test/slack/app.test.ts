/**
 * The composition root with Slack configured: `startApp` mounts /slack/events on the one server,
 * checks the token with auth.test, and the real core answers a signed `/wsa help`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { ASKER, ASKER_EMAIL, SIGNING_SECRET, post, signedHeaders, slashCommandBody } from './harness.ts';
import { blockKitProblems, blockText } from './block-kit.ts';

describe('startApp with Slack', () => {
  let fake: FakeSlack;
  let app: RunningApp;
  let dataDir: string;

  beforeAll(async () => {
    fake = await startFakeSlack({ users: { [ASKER]: ASKER_EMAIL } });
    dataDir = await mkdtemp(join(tmpdir(), 'wsa-slack-app-'));
    const config = parseConfig({
      PORT: '0',
      WSA_HOST: '127.0.0.1',
      WSA_DATA_DIR: dataDir,
      WSA_DEMO: 'off',
      SLACK_BOT_TOKEN: fake.options.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
    });
    app = await startApp({ config, logger: silentLogger(), clock: systemClock });
    await app.ready;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await fake?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('listens on loopback and checks the bot token once', () => {
    expect(app.address.address).toBe('127.0.0.1');
    expect(fake.accepted('auth.test')).toHaveLength(1);
  });

  it('answers a signed /wsa help with the core\'s help, privately', async () => {
    const body = slashCommandBody(fake, { text: 'help' });
    const res = await post(`${app.url}/slack/events`, body, signedHeaders(body));
    expect(res.status).toBe(200);
    const response = await fake.waitFor(() => fake.responses[0], 10_000, 'the help answer');
    expect(response.body.response_type).toBe('ephemeral');
    expect(blockKitProblems(response.body.blocks)).toEqual([]);
    expect(blockText(response.body.blocks)).toContain('overview');
  });

  it('refuses an unsigned request', async () => {
    const body = slashCommandBody(fake, { text: 'help' });
    const res = await post(`${app.url}/slack/events`, body, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(401);
  });
});
