/**
 * Digests into Teams through the real teams-ai/botbuilder stack and the fake Bot Connector on
 * loopback: an Adaptive Card (≤ 1.5, parsed by the `adaptivecards` library) with its chart inline,
 * posted proactively from the stored conversation reference; a 429 with Retry-After answered by
 * one post; a conversation the bot was never added to refused before subscribing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { createTeamsAdapter, type TeamsAdapter } from '../../src/adapters/teams/index.ts';
import { storeConversations } from '../../src/adapters/teams/conversations.ts';
import { createChartRenderer, type ChartRenderer } from '../../src/render/chart-renderer.ts';
import { saveTeamsConversation } from '../../src/store/teams-conversations.ts';
import { createSubscription } from '../../src/store/digest-subscriptions.ts';
import { digestActions, runDue, type DigestRunDeps } from '../../src/delivery/digest-runs.ts';
import { DIGESTS } from '../../digests/index.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.ts';
import { StoreFixture } from '../metrics/fixtures.ts';
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
    await saveTeamsConversation(
      store.db,
      {
        conversationId: CHANNEL,
        conversationType: 'channel',
        tenantId: 'tenant-1',
        userId: null,
        reference: { channelId: 'msteams', serviceUrl: fake.url, bot: BOT, conversation: { id: CHANNEL, conversationType: 'channel', tenantId: 'tenant-1', isGroup: true } },
      },
      SLOT,
    );
  });

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
});
