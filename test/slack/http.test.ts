/**
 * The real Bolt app over HTTP (docs/design.md §9, §11, §12): signed requests into our server's
 * `/slack/events`, the answer observed at a fake Slack Web API on loopback.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { createChartRenderer } from '../../src/render/chart-renderer.ts';
import { reply } from '../../src/core/reply.ts';
import {
  ASKER,
  ASKER_EMAIL,
  CHANNEL,
  appMentionBody,
  barChart,
  buttonClickBody,
  newTriggerId,
  nowSeconds,
  post,
  signedHeaders,
  slashCommandBody,
  startHarness,
  type Harness,
} from './harness.ts';
import { blockKitProblems, blockText } from './block-kit.ts';
import { SEND_PRIVATELY_ACTION } from '../../src/adapters/slack/render-blocks.ts';

const renderer = createChartRenderer({ strictWarnings: true });

describe('Slack over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    // The first render loads vega and the fonts (seconds on a busy machine): not what is tested.
    await renderer.renderPng(barChart('warm-up').spec);
    h = await startHarness({ adapter: { renderChart: (spec) => renderer.renderPng(spec) } });
  });
  afterAll(async () => {
    await h?.close();
    await renderer.close();
  });
  afterEach(async () => {
    await h.adapter.idle();
    h.fake.reset();
    h.answers.length = 0;
  });

  async function command(text: string, overrides: Record<string, string> = {}) {
    const body = slashCommandBody(h.fake, { text, ...overrides });
    const res = await post(h.eventsUrl, body, signedHeaders(body));
    return { res, body };
  }

  it('acks a signed slash command at once and answers privately through response_url', async () => {
    const { res } = await command('help');
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(res.ms).toBeLessThan(1000);

    const response = await h.fake.waitFor(() => h.fake.responses[0], 5000, 'the ephemeral answer');
    expect(response.body.response_type).toBe('ephemeral');
    expect(blockKitProblems(response.body.blocks)).toEqual([]);
    const blocks = response.body.blocks as Array<Record<string, any>>;
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'wsa commands', emoji: true } });
    // mrkdwn control characters from the core's text are escaped
    expect(blockText(blocks)).toContain('Numbers &lt;always&gt; &amp; everywhere.');

    expect(h.answers).toHaveLength(1);
    expect(h.answers[0]).toEqual({
      caller: { platform: 'slack', userId: ASKER, teamId: h.fake.options.teamId, email: ASKER_EMAIL },
      text: 'help',
      where: { channelId: CHANNEL, toChannel: false },
    });
    expect(h.fake.accepted('users.info')).toHaveLength(1);
    // Nothing was posted where others could see it.
    expect(h.fake.attempts('chat.postMessage')).toHaveLength(0);
  });

  it('never makes the ack wait for the answer', async () => {
    const slow = await startHarness({ answerDelayMs: 4000 });
    try {
      const body = slashCommandBody(slow.fake, { text: 'help' });
      const res = await post(slow.eventsUrl, body, signedHeaders(body));
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(500);
      expect(slow.fake.responses).toHaveLength(0);
      await slow.fake.waitFor(() => slow.fake.responses[0], 8000, 'the slow answer');
    } finally {
      await slow.close();
    }
  });

  it('sends an answer with a chart to the DM as an uploaded PNG, with a pointer where it was asked', async () => {
    await command('active-users last-4-weeks');
    await h.fake.waitFor(() => h.fake.accepted('files.completeUploadExternal')[0], 20_000, 'the upload');
    await h.fake.waitFor(() => h.fake.responses[0], 5000, 'the pointer');

    const open = h.fake.accepted('conversations.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.params.users).toBe(ASKER);
    const dm = `D${ASKER.slice(1)}`;

    const urls = h.fake.accepted('files.getUploadURLExternal');
    expect(urls).toHaveLength(1);
    expect(urls[0]?.params.filename).toBe('active-users.png');
    expect(String(urls[0]?.params.alt_text)).toContain('Active users per week');
    expect(h.fake.uploads).toHaveLength(1);
    const bytes = h.fake.uploads[0]?.bytes as Buffer;
    expect(Number(urls[0]?.params.length)).toBe(bytes.length);
    const png = PNG.sync.read(bytes);
    expect(png.width).toBeGreaterThan(200);
    expect(png.height).toBeGreaterThan(100);
    let inked = 0;
    for (let i = 0; i < png.data.length; i += 4) if ((png.data[i] as number) < 200) inked += 1;
    expect(inked).toBeGreaterThan(100);

    const complete = h.fake.accepted('files.completeUploadExternal')[0];
    expect(complete?.params.channel_id).toBe(dm);
    expect(complete?.params.files).toEqual([{ id: h.fake.uploads[0]?.fileId, title: 'Active users' }]);
    expect(blockKitProblems(complete?.params.blocks)).toEqual([]);
    // The image is attached, so its text fallback is not repeated in the message.
    expect(blockText(complete?.params.blocks)).not.toContain('2026-10-04  120');

    expect(h.fake.responses).toHaveLength(1);
    expect(String(h.fake.responses[0]?.body.text)).toContain('direct messages');
    expect(h.fake.attempts('chat.postMessage')).toHaveLength(0);
  });

  it('posts the aggregate form into the channel with post:channel, and the full answer to the asker', async () => {
    await command('top-users post:channel last-4-weeks');
    await h.fake.waitFor(() => h.fake.accepted('files.completeUploadExternal').length >= 2, 20_000, 'both uploads');
    await h.fake.waitFor(() => h.fake.responses[0], 5000, 'the pointer');
    expect(h.answers[0]?.text).toBe('top-users last-4-weeks');
    expect(h.answers[0]?.where).toMatchObject({ channelId: CHANNEL, toChannel: true, readers: expect.any(Function) });

    const [toChannel, toDm] = h.fake.accepted('files.completeUploadExternal');
    expect(toChannel?.params.channel_id).toBe(CHANNEL);
    const channelText = blockText(toChannel?.params.blocks);
    expect(blockKitProblems(toChannel?.params.blocks)).toEqual([]);
    for (const secret of ['ada@example.com', 'Ada Lovelace', 'Grace Hopper', 'user-aaaa']) expect(channelText).not.toContain(secret);
    expect(channelText).toContain('2 people sent 1,700 messages.');
    expect(channelText).toContain('Aggregate form');

    expect(toDm?.params.channel_id).toBe(`D${ASKER.slice(1)}`);
    const dmText = blockText(toDm?.params.blocks);
    expect(dmText).toContain('Ada Lovelace');
    expect(dmText).toContain('aggregate form to the channel (1 of 2 readers of the channel may not see people');
  });

  it('says so and offers the answer privately where the bot may not post; the button delivers it once', async () => {
    const local = await startHarness({ fake: { notMemberOf: [CHANNEL] } });
    try {
      const body = slashCommandBody(local.fake, { text: 'help post:channel' });
      expect((await post(local.eventsUrl, body, signedHeaders(body))).status).toBe(200);
      const offer = await local.fake.waitFor(() => local.fake.responses[0], 5000, 'the offer');
      expect(local.fake.attempts('chat.postMessage')).toHaveLength(1);
      expect(local.fake.accepted('chat.postMessage')).toHaveLength(0);
      expect(String(offer.body.text)).toContain('not a member');
      expect(blockKitProblems(offer.body.blocks)).toEqual([]);
      const actions = (offer.body.blocks as Array<Record<string, any>>).find((b) => b.type === 'actions');
      expect(actions?.elements[0]).toMatchObject({ action_id: SEND_PRIVATELY_ACTION, value: 'help' });

      const trigger = newTriggerId();
      const click = buttonClickBody(local.fake, SEND_PRIVATELY_ACTION, 'help', trigger);
      expect((await post(local.eventsUrl, click, signedHeaders(click))).status).toBe(200);
      const again = buttonClickBody(local.fake, SEND_PRIVATELY_ACTION, 'help', trigger);
      expect((await post(local.eventsUrl, again, { ...signedHeaders(again), 'x-slack-retry-num': '1' })).status).toBe(200);
      await local.fake.waitFor(() => local.fake.responses[1], 5000, 'the private answer');
      await local.adapter.idle();
      expect(local.fake.responses).toHaveLength(2);
      expect(local.fake.responses[1]?.body.response_type).toBe('ephemeral');
      expect(local.answers.map((a) => a.where.toChannel)).toEqual([true, false]);
    } finally {
      await local.close();
    }
  });

  it('posts the answer with the chart as text when the upload fails', async () => {
    h.fake.failNext('upload', { kind: 'http', status: 500 });
    await command('active-users');
    const posted = await h.fake.waitFor(() => h.fake.accepted('chat.postMessage')[0], 20_000, 'the fallback post');
    expect(posted.params.channel).toBe(`D${ASKER.slice(1)}`);
    expect(blockKitProblems(posted.params.blocks)).toEqual([]);
    const text = blockText(posted.params.blocks);
    expect(text).toContain('could not be attached');
    expect(text).toContain('2026-10-04  120');
    expect(h.fake.accepted('files.completeUploadExternal')).toHaveLength(0);
  });

  it('sends the chart as text when its render thread dies, and renders the next chart in a new thread', async () => {
    // A 48 MB heap holds vega and an ordinary chart; 100,000 points do not fit: the thread dies.
    const fragile = createChartRenderer({ workers: 1, workerMemoryMb: 48, strictWarnings: true });
    const base = barChart('Every message');
    const huge = {
      ...base,
      spec: { ...base.spec, data: { values: Array.from({ length: 100_000 }, (_, i) => ({ week: `w${i}`, users: i % 97 })) } },
      fallbackText: 'Week  Messages\nw0    0',
    };
    const local = await startHarness({
      adapter: {
        renderChart: (spec) => fragile.renderPng(spec),
        answer: async (_caller, text) => ({
          reply: reply({ command: 'active-users', title: 'Active users', charts: [text === 'huge' ? huge : barChart('Active users')] }),
          channel: null,
        }),
      },
    });
    try {
      await fragile.warm();
      const [first] = fragile.threadIds();
      const body = slashCommandBody(local.fake, { text: 'huge' });
      expect((await post(local.eventsUrl, body, signedHeaders(body))).status).toBe(200);
      const answer = await local.fake.waitFor(() => local.fake.responses[0], 60_000, 'the answer with the fallback');
      const text = blockText(answer.body.blocks);
      expect(text).toContain('could not be attached');
      expect(text).toContain('w0    0');
      expect(local.fake.accepted('files.completeUploadExternal')).toHaveLength(0);
      expect(fragile.threadIds()).not.toContain(first);

      const again = slashCommandBody(local.fake, { text: 'active-users' });
      expect((await post(local.eventsUrl, again, signedHeaders(again))).status).toBe(200);
      await local.fake.waitFor(() => local.fake.accepted('files.completeUploadExternal')[0], 60_000, 'the chart upload');
      const png = PNG.sync.read(local.fake.uploads[0]!.bytes);
      expect(png.width).toBeGreaterThan(100);
      expect(fragile.threadIds()).toHaveLength(1);
      expect(fragile.threadIds()).not.toContain(first);
    } finally {
      await local.close();
      await fragile.close();
    }
  });

  it('sends CSV files to the DM only', async () => {
    await command('export post:channel');
    await h.fake.waitFor(() => h.fake.accepted('files.completeUploadExternal')[0], 20_000, 'the CSV');
    await h.adapter.idle();
    const complete = h.fake.accepted('files.completeUploadExternal');
    expect(complete).toHaveLength(1);
    expect(complete[0]?.params.channel_id).toBe(`D${ASKER.slice(1)}`);
    expect(h.fake.uploads[0]?.bytes.toString('utf8')).toBe('public_id,messages\nuser-a,900\nuser-b,800\n');
    // The channel got the aggregate answer without the file.
    const inChannel = h.fake.accepted('chat.postMessage').filter((c) => c.params.channel === CHANNEL);
    expect(inChannel).toHaveLength(1);
    expect(blockText(inChannel[0]?.params.blocks)).toContain('Aggregate form');
  });

  it.each([
    ['a forged signature', (body: string) => signedHeaders(body, { secret: 'not-the-secret' })],
    ['a timestamp 6 minutes old', (body: string) => signedHeaders(body, { timestamp: nowSeconds() - 360 })],
    ['a timestamp 6 minutes ahead', (body: string) => signedHeaders(body, { timestamp: nowSeconds() + 360 })],
    ['no signature', () => ({ 'content-type': 'application/x-www-form-urlencoded' })],
    ['a signature of another body', (body: string) => signedHeaders(`${body}&text=overview`)],
  ])('refuses %s with 401 and answers nothing', async (_name, headersFor) => {
    const body = slashCommandBody(h.fake, { text: 'help' });
    const res = await post(h.eventsUrl, body, headersFor(body) as Record<string, string>);
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    await h.adapter.idle();
    expect(h.answers).toHaveLength(0);
    expect(h.fake.calls).toHaveLength(0);
    expect(h.fake.responses).toHaveLength(0);
  });

  it('accepts a timestamp 4 minutes off either way', async () => {
    for (const skew of [-240, 240]) {
      const body = slashCommandBody(h.fake, { text: 'help' });
      expect((await post(h.eventsUrl, body, signedHeaders(body, { timestamp: nowSeconds() + skew }))).status).toBe(200);
    }
    await h.fake.waitFor(() => h.fake.responses.length === 2, 5000, 'two answers');
  });

  it('answers a repeated slash command delivery (same trigger_id) once', async () => {
    const body = slashCommandBody(h.fake, { text: 'help' });
    expect((await post(h.eventsUrl, body, signedHeaders(body))).status).toBe(200);
    expect((await post(h.eventsUrl, body, { ...signedHeaders(body), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await h.fake.waitFor(() => h.fake.responses[0], 5000, 'the answer');
    await h.adapter.idle();
    expect(h.answers).toHaveLength(1);
    expect(h.fake.responses).toHaveLength(1);
    // The same text typed again is a new request.
    await command('help');
    await h.fake.waitFor(() => h.fake.responses.length === 2, 5000, 'the second answer');
  });

  it('answers a retried Events API delivery (same event_id) once, in the channel privately', async () => {
    const body = appMentionBody(h.fake, { eventId: 'Ev0RETRY1', text: `<@${h.fake.options.botUserId}> help` });
    const first = await post(h.eventsUrl, body, signedHeaders(body, { contentType: 'application/json' }));
    const retry = await post(h.eventsUrl, body, {
      ...signedHeaders(body, { contentType: 'application/json' }),
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect([first.status, retry.status]).toEqual([200, 200]);
    await h.fake.waitFor(() => h.fake.accepted('chat.postEphemeral')[0], 5000, 'the answer');
    await h.adapter.idle();
    expect(h.answers).toHaveLength(1);
    expect(h.answers[0]?.text).toBe('help');
    const eph = h.fake.accepted('chat.postEphemeral');
    expect(eph).toHaveLength(1);
    expect(eph[0]?.params).toMatchObject({ channel: CHANNEL, user: ASKER });
    expect(blockKitProblems(eph[0]?.params.blocks)).toEqual([]);
  });

  it('retries a rate-limited post after Retry-After, and posts it once', async () => {
    h.fake.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 1 });
    await command('help post:channel');
    await h.fake.waitFor(() => h.fake.accepted('chat.postMessage')[0], 8000, 'the retried post');
    const attempts = h.fake.attempts('chat.postMessage');
    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(h.fake.accepted('chat.postMessage')).toHaveLength(1);
  });

  it('does not retry a post whose response was lost (it may have been posted)', async () => {
    h.fake.failNext('chat.postMessage', { kind: 'drop' });
    await command('help post:channel');
    await h.fake.waitFor(() => h.fake.responses[0], 8000, 'the failure notice');
    await h.adapter.idle();
    expect(h.fake.attempts('chat.postMessage')).toHaveLength(1);
    expect(String(h.fake.responses[0]?.body.text)).toContain('Something went wrong');
  });

  it('falls back to chat.postEphemeral when Slack refuses the response_url', async () => {
    h.fake.failNext('response_url', { kind: 'http', status: 404 });
    await command('help');
    const eph = await h.fake.waitFor(() => h.fake.accepted('chat.postEphemeral')[0], 5000, 'the fallback');
    expect(eph.params).toMatchObject({ channel: CHANNEL, user: ASKER });
    expect(blockKitProblems(eph.params.blocks)).toEqual([]);
    expect(h.fake.responses).toHaveLength(0);
  });

  it('answers Slack URL verification with the challenge', async () => {
    const body = JSON.stringify({ token: 't', challenge: 'challenge-abc', type: 'url_verification' });
    const res = await post(h.eventsUrl, body, signedHeaders(body, { contentType: 'application/json' }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ challenge: 'challenge-abc' });
  });

  it('tells a person without a readable email why it cannot answer', async () => {
    const body = slashCommandBody(h.fake, { text: 'overview', user_id: 'U0NOBODY' });
    await post(h.eventsUrl, body, signedHeaders(body));
    const response = await h.fake.waitFor(() => h.fake.responses[0], 5000, 'the notice');
    expect(String(response.body.text)).toContain('email address');
    expect(h.answers).toHaveLength(0);
  });

  it('refuses an unknown post: value without asking the core', async () => {
    await command('help post:everyone');
    const response = await h.fake.waitFor(() => h.fake.responses[0], 5000, 'the notice');
    expect(String(response.body.text)).toContain('post:everyone');
    expect(h.answers).toHaveLength(0);
  });
});

describe('Slack over HTTP without the bot ids', () => {
  it('asks auth.test once at start, so the first command does not stall', async () => {
    const h = await startHarness({ botIds: false });
    try {
      expect(h.fake.accepted('auth.test')).toHaveLength(1);
      const body = slashCommandBody(h.fake, { text: 'help' });
      const res = await post(h.eventsUrl, body, signedHeaders(body));
      expect(res.status).toBe(200);
      expect(res.ms).toBeLessThan(1000);
      await h.fake.waitFor(() => h.fake.responses[0], 5000, 'the answer');
      expect(h.fake.accepted('auth.test')).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
