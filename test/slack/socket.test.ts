/**
 * Socket Mode (SLACK_APP_TOKEN): the real Bolt SocketModeReceiver connects to a loopback WebSocket
 * server that plays Slack's side — apps.connections.open on the fake Web API hands out its URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/adapters/slack/index.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { FakeSocketMode } from '../support/fake-slack-socket.ts';
import { ASKER, ASKER_EMAIL, CHANNEL, newTriggerId, recordingAnswer, type AnswerCall } from './harness.ts';
import { blockKitProblems } from './block-kit.ts';

describe('Slack over Socket Mode', () => {
  let fake: FakeSlack;
  let socket: FakeSocketMode;
  let adapter: SlackAdapter;
  const answers: AnswerCall[] = [];

  beforeAll(async () => {
    socket = await new FakeSocketMode().listen();
    fake = await startFakeSlack({ users: { [ASKER]: ASKER_EMAIL }, socketUrl: socket.url });
    adapter = createSlackAdapter({
      botToken: fake.options.botToken,
      appToken: fake.options.appToken,
      apiUrl: fake.apiUrl,
      answer: recordingAnswer(answers),
      logger: silentLogger(),
    });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter?.stop();
    await socket?.close();
    await fake?.close();
  });

  it('connects with the app token and offers no HTTP route', () => {
    expect(adapter.mode).toBe('socket');
    expect(adapter.route).toBeUndefined();
    const open = fake.accepted('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe(fake.options.appToken);
    expect(socket.connections).toHaveLength(1);
    // auth.test with the bot token gave the bot ids
    expect(fake.accepted('auth.test')[0]?.token).toBe(fake.options.botToken);
  });

  it('acks a slash command envelope and answers through response_url', async () => {
    const started = Date.now();
    socket.send({
      envelope_id: 'env-command-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'unused',
        team_id: fake.options.teamId,
        channel_id: CHANNEL,
        user_id: ASKER,
        command: '/wsa',
        text: 'help',
        response_url: fake.responseUrl(),
        trigger_id: newTriggerId(),
        api_app_id: 'A0001',
      },
    });
    const ack = await fake.waitFor(() => socket.acksFor('env-command-1')[0], 3000, 'the envelope ack');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(ack.envelope_id).toBe('env-command-1');
    const response = await fake.waitFor(() => fake.responses[0], 5000, 'the answer');
    expect(response.body.response_type).toBe('ephemeral');
    expect(blockKitProblems(response.body.blocks)).toEqual([]);
    expect(answers[0]?.caller.email).toBe(ASKER_EMAIL);
  });

  it('answers a re-sent events_api envelope (same event_id) once', async () => {
    answers.length = 0;
    fake.reset();
    const payload = {
      token: 'unused',
      team_id: fake.options.teamId,
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: 'Ev0SOCKET1',
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: fake.options.teamId, user_id: fake.options.botUserId, is_bot: true }],
      event: { type: 'app_mention', user: ASKER, text: `<@${fake.options.botUserId}> help`, ts: '1.2', channel: CHANNEL, event_ts: '1.2' },
    };
    socket.send({ envelope_id: 'env-event-1', type: 'events_api', payload, accepts_response_payload: false });
    socket.send({ envelope_id: 'env-event-2', type: 'events_api', payload, retry_attempt: 1, retry_reason: 'timeout' });
    await fake.waitFor(() => socket.acksFor('env-event-2')[0], 3000, 'both acks');
    expect(socket.acksFor('env-event-1')).toHaveLength(1);
    await fake.waitFor(() => fake.accepted('chat.postEphemeral')[0], 5000, 'the answer');
    await adapter.idle();
    expect(answers).toHaveLength(1);
    expect(fake.accepted('chat.postEphemeral')).toHaveLength(1);
  });
});
