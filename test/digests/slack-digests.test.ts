/**
 * Digests into Slack through the real WebClient and the fake Slack Web API on loopback, with a
 * pinned clock: one top-level message per digest carrying its key in metadata and its chart in
 * the thread; 429 Retry-After honoured; a 500 retried into one post; a post found again after a
 * crash; the target checked before subscribing; and three `wsa digest run-due` processes at the
 * same instant on one PostgreSQL posting each digest once.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { WEB_CLIENT_RETRY_OPTIONS } from '../../src/adapters/slack/slack-call.ts';
import { CHANNEL_POST_GAP_MS, DIGEST_EVENT_TYPE, slackDigestPoster } from '../../src/adapters/slack/digest-poster.ts';
import { claimDelivery } from '../../src/store/digest-ledger.ts';
import { recordChoice } from '../../src/store/digest-opt-ins.ts';
import { createSubscription } from '../../src/store/digest-subscriptions.ts';
import { digestActions, runDue, type DigestRunDeps } from '../../src/delivery/digest-runs.ts';
import { DIGESTS } from '../../digests/index.ts';
import { createChartRenderer } from '../../src/render/chart-renderer.ts';
import { backends, clearStore, openTestStore, TEST_DATABASE_URL, type TestStore } from '../support/store.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { spawn } from 'node:child_process';
import { runWsa, WSA_BIN } from '../support/cli.ts';
import { StoreFixture } from '../metrics/fixtures.ts';
import { seedOnePowerUser } from './power-user.ts';

const SLOT = new Date('2026-12-07T08:00:00Z'); // Monday 09:00 Europe/Paris
const paris = { day: 1, minute: 540, timeZone: 'Europe/Paris', every: 'week' } as const;
const renderer = createChartRenderer({ workers: 0 });
afterAll(() => renderer.close());

describe.each(backends())('Slack digests on %s', (backend) => {
  let store: TestStore;
  let fake: FakeSlack;
  let now = SLOT;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    now = SLOT;
    fake = await startFakeSlack({
      channelInfo: { C1: {}, C2: {}, CPUB: {}, CPRIV: { private: true }, CARCH: { archived: true } },
      notMemberOf: ['CPUB', 'CPRIV'],
      nowSeconds: () => now.getTime() / 1000,
    });
    await clearStore(store.db);
    const f = new StoreFixture(store.db);
    await f.workspace('events');
    await f.directory('2026-11-01', [{ id: 'user-ann', email: 'ann@example.com', status: 'enabled' }]);
    await f.events([
      { u: 'user-ann', d: '2026-11-24', n: 3, conv: 'c1' },
      { u: 'user-ann', d: '2026-12-01', n: 5, conv: 'c2' },
    ]);
  });
  afterEach(async () => {
    await fake.close();
  });

  // Unpaced unless a test says otherwise: most tests post a handful of messages and check other things.
  const poster = (slept: number[] = [], postGapMs = 0) =>
    slackDigestPoster({
      client: new webApi.WebClient('xoxb-test-token', { slackApiUrl: fake.apiUrl, ...WEB_CLIENT_RETRY_OPTIONS, retryConfig: { retries: 0 } }),
      logger: silentLogger(),
      renderChart: (spec) => renderer.renderPng(spec),
      sleep: async (ms) => void slept.push(ms),
      postGapMs,
    });
  const deps = (p: ReturnType<typeof poster>, extra: Partial<DigestRunDeps> = {}): DigestRunDeps => ({
    db: store.db,
    clock: { now: () => now },
    logger: silentLogger(),
    digests: DIGESTS,
    posters: { slack: p },
    sleep: async () => {},
    ...extra,
  });
  const subscribe = (target = 'C1', kind = 'weekly-adoption') =>
    createSubscription(store.db, { kind, platform: 'slack', target, schedule: paris, groupId: null, createdBy: 'operator' }, new Date('2026-12-01T00:00:00Z'));
  /** A `wsa digest run-due` process on this test's PostgreSQL schema and fake Slack, at `at`. */
  const runDueEnv = (at: Date) => {
    const url = new URL(TEST_DATABASE_URL as string);
    url.searchParams.set('options', `-c search_path=${store.schema}`);
    return {
      DATABASE_URL: url.toString(),
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'test-signing-secret',
      SLACK_API_URL: fake.apiUrl,
      WSA_NOW: at.toISOString(),
      LOG_LEVEL: 'warn',
    };
  };
  const topLevel = (channel: string) => fake.messages.filter((m) => m.channel === channel && m.threadTs === undefined);

  it('posts one top-level message with its key in metadata, and its chart in the thread', async () => {
    const sub = await subscribe();
    const r = await runDue(deps(poster()));
    expect(r.posted).toBe(1);
    const [message] = topLevel('C1');
    expect(topLevel('C1')).toHaveLength(1);
    expect(message?.metadata).toEqual({ event_type: DIGEST_EVENT_TYPE, event_payload: { key: `${sub.id}:2026-11-29` } });
    expect(String(message?.text)).toMatch(/Weekly adoption/);
    const shared = fake.accepted('files.completeUploadExternal');
    expect(shared).toHaveLength(1);
    expect(shared[0]?.params).toMatchObject({ channel_id: 'C1', thread_ts: message?.ts });
    expect(fake.uploads[0]?.bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('honours a 429 Retry-After and posts once', async () => {
    await subscribe();
    fake.failNext('chat.postMessage', { kind: 'rate_limited', retryAfterSeconds: 3 });
    const slept: number[] = [];
    await runDue(deps(poster(slept)));
    expect(slept).toContain(3000);
    expect(fake.attempts('chat.postMessage').filter((c) => c.params.channel === 'C1' && !c.params.thread_ts)).toHaveLength(2);
    expect(topLevel('C1')).toHaveLength(1);
  });

  it('spaces posts into one channel just over a second apart, so Slack\'s per-channel limit is met without a 429', async () => {
    await fake.close();
    fake = await startFakeSlack({ channelInfo: { C1: {} }, nowSeconds: () => now.getTime() / 1000, postsPerSecondPerChannel: 1 });
    for (const kind of ['weekly-adoption', 'weekly-impact', 'power-users']) await subscribe('C1', kind);
    const r = await runDue(deps(poster([], CHANNEL_POST_GAP_MS)));
    expect(r).toMatchObject({ posted: 3, failed: 0 });
    const posts = fake.attempts('chat.postMessage');
    expect(posts.length).toBeGreaterThanOrEqual(3);
    expect(fake.accepted('chat.postMessage')).toHaveLength(posts.length);
    expect(topLevel('C1')).toHaveLength(3);
  });

  it('a 500 and then a 200: posted once', async () => {
    await subscribe();
    fake.failNext('chat.postMessage', { kind: 'http', status: 500 });
    const r = await runDue(deps(poster()));
    expect(r).toMatchObject({ posted: 1, failed: 0 });
    expect(topLevel('C1')).toHaveLength(1);
  });

  it('a post made by a process that died before recording it is found in the history, not made again', async () => {
    const sub = await subscribe();
    const p = poster();
    await claimDelivery(store.db, { subscriptionId: sub.id, period: { start: '2026-11-29', end: '2026-12-05' }, slot: SLOT, owner: 'dead', now: SLOT });
    now = new Date(SLOT.getTime() + 60_000);
    // The dead process's post went out (Slack took it), the ledger never heard.
    await p.postToTarget({ conversationId: 'C1' }, (await DIGESTS[0]!.build({ db: store.db, clock: fixedClock(now), logger: silentLogger(), period: { start: '2026-11-29', end: '2026-12-05' }, audience: 'channel' })), {
      key: `${sub.id}:2026-11-29`,
    });
    now = new Date(SLOT.getTime() + 6 * 60_000); // the claim has expired
    const r = await runDue(deps(p));
    expect(r.posted).toBe(1);
    expect(topLevel('C1')).toHaveLength(1);
    expect(fake.accepted('conversations.history')).toHaveLength(1);
  });

  it('checks the target before a subscription is saved', async () => {
    const actions = digestActions(deps(poster()));
    await expect(actions.canPost({ platform: 'slack', conversationId: 'C1' })).resolves.toBeUndefined();
    // A public channel the bot is not in: it joins.
    await expect(actions.canPost({ platform: 'slack', conversationId: 'CPUB' })).resolves.toBeUndefined();
    expect(fake.accepted('conversations.join').map((c) => c.params.channel)).toEqual(['CPUB']);
    await expect(actions.canPost({ platform: 'slack', conversationId: 'CPRIV' })).rejects.toThrow('The bot cannot post into CPRIV: the bot is not in that channel: invite it there first.');
    await expect(actions.canPost({ platform: 'slack', conversationId: 'CARCH' })).rejects.toThrow('The bot cannot post into CARCH: the channel is archived.');
    await expect(actions.canPost({ platform: 'slack', conversationId: 'CNONE' })).rejects.toThrow('there is no such channel');
    await expect(actions.canPost({ platform: 'teams', conversationId: '19:x' })).rejects.toThrow(/No Microsoft Teams credentials are configured here/);
  });

  it('asks a power user once, by DM with two buttons; their answer names them next time', async () => {
    await seedOnePowerUser(store.db);
    fake.options.users.UANN = 'ann@example.com';
    await subscribe('C1', 'power-users');
    const p = poster();
    await runDue(deps(p));
    const shoutOut = topLevel('C1');
    expect(shoutOut).toHaveLength(1);
    expect(JSON.stringify(shoutOut[0]?.text)).not.toMatch(/ann/i);
    const dms = () => fake.messages.filter((m) => m.channel === 'DANN');
    expect(dms()).toHaveLength(1);
    const call = fake.accepted('chat.postMessage').find((c) => c.params.channel === 'DANN');
    const buttons = (call?.params.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.type === 'actions')?.elements;
    expect(buttons?.map((b) => [b.action_id, b.value])).toEqual([
      ['wsa_send_privately:0', 'digest opt-in'],
      ['wsa_send_privately:1', 'digest opt-out'],
    ]);
    // The next week: not asked again (asked once, whatever they answer).
    now = new Date('2026-12-14T08:00:30Z');
    await runDue(deps(p));
    expect(topLevel('C1')).toHaveLength(2);
    expect(dms()).toHaveLength(1);
    // She says yes (the button runs `digest opt-in` as her: test/digests/opt-in.test.ts); the week after names her.
    await recordChoice(store.db, 'ann@example.com', 'in', now);
    now = new Date('2026-12-21T08:00:30Z');
    await runDue(deps(p));
    expect(String(topLevel('C1')[2]?.text)).toMatch(/ann/i);
  });

  it.runIf(backend === 'postgres')('a run-due process killed between its claim and its post: one post once the claim expires', async () => {
    await subscribe('C1', 'weekly-adoption');
    fake.failNext('chat.postMessage', { kind: 'hang' });
    const env = runDueEnv(new Date(SLOT.getTime() + 20_000));
    const child = spawn(process.execPath, [WSA_BIN, 'digest', 'run-due'], { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, stdio: 'ignore' });
    await fake.waitFor(() => (fake.attempts('chat.postMessage').length > 0 ? true : undefined), 60_000, 'the first post attempt');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const [row] = await store.db.selectFrom('digest_deliveries').select(['state', 'claimed_by']).execute();
    expect(row?.state).toBe('claimed');
    expect(topLevel('C1')).toHaveLength(0);
    // Before the claim expires another process leaves it alone; after, it takes it over and posts once.
    const early = await runWsa(['digest', 'run-due'], runDueEnv(new Date(SLOT.getTime() + 4 * 60_000)));
    expect(early.stdout).toMatch(/posted 0,.*left to others 1/);
    const late = await runWsa(['digest', 'run-due'], runDueEnv(new Date(SLOT.getTime() + 6 * 60_000)));
    expect(late.code, late.stderr).toBe(0);
    expect(late.stdout).toMatch(/posted 1,/);
    expect(topLevel('C1')).toHaveLength(1);
  }, 120_000);

  it.runIf(backend === 'postgres')('three run-due processes at the same instant post each digest once', async () => {
    await subscribe('C1', 'weekly-adoption');
    await subscribe('C2', 'weekly-impact');
    const env = runDueEnv(new Date(SLOT.getTime() + 20_000));
    const runs = await Promise.all([1, 2, 3].map(() => runWsa(['digest', 'run-due'], env)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(topLevel('C1')).toHaveLength(1);
    expect(topLevel('C2')).toHaveLength(1);
    const posted = runs.map((r) => Number(/posted (\d+)/.exec(r.stdout)?.[1]));
    expect(posted.reduce((a, b) => a + b, 0)).toBe(2);
  }, 120_000);
});
