/**
 * Digests into Teams through the real teams-ai/botbuilder stack and the fake Bot Connector on
 * loopback: an Adaptive Card (≤ 1.5, parsed by the `adaptivecards` library) with its chart inline,
 * posted proactively from the stored conversation reference; a 429 with Retry-After answered by
 * one post; a conversation the bot was never added to refused before subscribing; a power user
 * found among the channel's readers asked once, in a personal chat the bot opens, with two
 * `Action.Submit` buttons that send `digest opt-in` / `digest opt-out` as them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { createTeamsAdapter, type TeamsAdapter } from '../../src/adapters/teams/index.ts';
import { storeConversations } from '../../src/adapters/teams/conversations.ts';
import { createChartRenderer, type ChartRenderer } from '../../src/render/chart-renderer.ts';
import { saveTeamsConversation } from '../../src/store/teams-conversations.ts';
import { createSubscription } from '../../src/store/digest-subscriptions.ts';
import { optInChoices, recordChoice } from '../../src/store/digest-opt-ins.ts';
import { digestActions, runDue, type DigestRunDeps } from '../../src/delivery/digest-runs.ts';
import { DIGESTS } from '../../digests/index.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.ts';
import { StoreFixture } from '../metrics/fixtures.ts';
import { seedOnePowerUser } from './power-user.ts';
import { cardProblems, cardText } from '../teams/adaptive-cards.ts';

const SLOT = new Date('2026-12-07T08:00:00Z');
const clock = fixedClock(SLOT);
const CHANNEL = '19:champions@thread.tacv2';
const BOT = { id: '28:wsa-bot', name: 'wsa' };
const paris = { day: 1, minute: 540, timeZone: 'Europe/Paris', every: 'week' } as const;

function cardOf(activity: any): any {
  return activity.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

describe.each(backends())('Teams digests on %s', (backend) => {
  let store: TestStore;
  let fake: FakeConnector;
  let renderer: ChartRenderer;
  let teams: TeamsAdapter;
  beforeAll(async () => {
    store = await openTestStore(backend);
    fake = await startFakeConnector();
    // The channel's readers (rosters are cached by the adapter): Ann, and Bob, who may not see people.
    fake.members.set('29:ann', { id: '29:ann', name: 'Ann Example', email: 'Ann@Example.com' });
    fake.members.set('29:bob', { id: '29:bob', name: 'Bob', email: 'bob@example.com' });
    fake.rosters.set(CHANNEL, ['29:bob', '29:ann']);
    renderer = createChartRenderer({ workers: 0 });
    teams = createTeamsAdapter({
      answer: async () => {
        throw new Error('not asked');
      },
      renderChart: (spec) => renderer.renderPng(spec),
      conversations: storeConversations(store.db, clock),
      logger: silentLogger(),
    });
  });
  afterAll(async () => {
    await teams?.close();
    await renderer?.close();
    await fake?.close();
    await store?.close();
  });
  beforeEach(async () => {
    fake.calls.length = 0;
    await clearStore(store.db);
    const f = new StoreFixture(store.db);
    await f.workspace('events');
    await f.directory('2026-11-01', [{ id: 'user-ann', email: 'ann@example.com', status: 'enabled' }]);
    await f.events([
      { u: 'user-ann', d: '2026-11-24', n: 3, conv: 'c1' },
      { u: 'user-ann', d: '2026-12-01', n: 5, conv: 'c2' },
    ]);
    await saveChannel(CHANNEL);
  });

  /** The stored reference of a channel the bot was added to (as Teams would have handed it over). */
  const saveChannel = (id: string) =>
    saveTeamsConversation(
      store.db,
      {
        conversationId: id,
        conversationType: 'channel',
        tenantId: 'tenant-1',
        userId: null,
        reference: { channelId: 'msteams', serviceUrl: fake.url, bot: BOT, conversation: { id, conversationType: 'channel', tenantId: 'tenant-1', isGroup: true } },
      },
      SLOT,
    );
  const deps = (): DigestRunDeps => ({
    db: store.db,
    clock,
    logger: silentLogger(),
    digests: DIGESTS,
    posters: { teams: teams.digestPoster() },
    sleep: async () => {},
  });
  const subscribe = (kind = 'weekly-adoption') =>
    createSubscription(store.db, { kind, platform: 'teams', target: CHANNEL, schedule: paris, groupId: null, createdBy: 'operator' }, new Date('2026-12-01T00:00:00Z'));

  it('posts one Adaptive Card with its chart inline, proactively', async () => {
    await subscribe();
    const r = await runDue(deps());
    expect(r.posted).toBe(1);
    const posted = fake.messages().filter((m) => m.conversationId === CHANNEL);
    expect(posted).toHaveLength(1);
    const card = cardOf(posted[0]!.activity);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toMatch(/Weekly adoption/);
    expect(JSON.stringify(card)).toMatch(/"url":"data:image\/png;base64,/);
  });

  it('a 429 with Retry-After: one post', async () => {
    await subscribe('weekly-impact');
    fake.failNext((c) => c.method === 'POST' && c.path.includes('/activities'), [{ status: 429, retryAfter: 1 }]);
    const r = await runDue(deps());
    expect(r.posted).toBe(1);
    expect(fake.messages().filter((m) => m.conversationId === CHANNEL)).toHaveLength(1);
    const attempts = fake.calls.filter((c) => c.method === 'POST' && c.path.includes('/activities'));
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
  });

  it('refuses a conversation the bot was never added to before subscribing', async () => {
    const actions = digestActions(deps());
    await expect(actions.canPost({ platform: 'teams', conversationId: CHANNEL })).resolves.toBeUndefined();
    await expect(actions.canPost({ platform: 'teams', conversationId: '19:other@thread.tacv2' })).rejects.toThrow(
      'The bot cannot post into 19:other@thread.tacv2: the bot has not been added to that conversation yet: add it there (or mention it once) first.',
    );
  });

  it('asks a power user once, in their personal chat, with two Action.Submit buttons; their answer names them next time', async () => {
    await seedOnePowerUser(store.db);
    await saveChannel(CHANNEL);
    await subscribe('power-users');
    let now = new Date('2026-12-07T08:00:30Z');
    const at = (): DigestRunDeps => ({ ...deps(), clock: { now: () => now } });
    await runDue(at());

    const inChannel = () => fake.messages().filter((m) => m.conversationId === CHANNEL);
    expect(inChannel()).toHaveLength(1);
    expect(cardText(cardOf(inChannel()[0]!.activity))).not.toMatch(/ann/i);
    // The bot opens a personal chat with her, in the channel's tenant, and asks there.
    const opened = fake.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.body.members).toEqual([{ id: '29:ann', name: '' }]);
    expect(opened[0]!.body.tenantId).toBe('tenant-1');
    const personal = () => fake.messages().filter((m) => m.conversationId.startsWith('a:personal-'));
    expect(personal()).toHaveLength(1);
    const question = cardOf(personal()[0]!.activity);
    expect(cardProblems(question)).toEqual([]);
    expect(cardText(question)).toMatch(/May it name you\?/);
    expect(question.actions.map((a: any) => [a.type, a.title, a.data.msteams])).toEqual([
      ['Action.Submit', 'Yes, name me', { type: 'messageBack', text: 'digest opt-in', displayText: 'Yes, name me' }],
      ['Action.Submit', 'No, thanks', { type: 'messageBack', text: 'digest opt-out', displayText: 'No, thanks' }],
    ]);
    expect((await optInChoices(store.db, ['ann@example.com'])).get('ann@example.com')).toBe('asked');

    // The next week: not asked again.
    now = new Date('2026-12-14T08:00:30Z');
    await runDue(at());
    expect(inChannel()).toHaveLength(2);
    expect(personal()).toHaveLength(1);
    // She says yes (the button sends `digest opt-in` as her: test/digests/opt-in.test.ts); the week after names her.
    await recordChoice(store.db, 'ann@example.com', 'in', now);
    now = new Date('2026-12-21T08:00:30Z');
    await runDue(at());
    expect(cardText(cardOf(inChannel()[2]!.activity))).toMatch(/Ann Example/);
  });

  it('does not count someone as asked when the channel does not list them, so another channel can ask', async () => {
    await seedOnePowerUser(store.db);
    const elsewhere = '19:elsewhere@thread.tacv2';
    fake.rosters.set(elsewhere, ['29:bob']);
    await saveChannel(elsewhere);
    await createSubscription(store.db, { kind: 'power-users', platform: 'teams', target: elsewhere, schedule: paris, groupId: null, createdBy: 'operator' }, new Date('2026-12-01T00:00:00Z'));
    await runDue({ ...deps(), clock: { now: () => new Date('2026-12-07T08:00:30Z') } });
    expect(fake.messages().filter((m) => m.conversationId === elsewhere)).toHaveLength(1);
    expect(fake.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations')).toHaveLength(0);
    expect((await optInChoices(store.db, ['ann@example.com'])).has('ann@example.com')).toBe(false);
  });
});
