/**
 * `post:channel` on Teams through the real teams-ai / botbuilder stack and a fake Bot Connector on
 * loopback (docs/design.md §7): the adapter reads the channel's members (`pagedmembers`, paged)
 * in a context of its own after the turn, the core decides. A channel of viewers only gets the
 * full answer; a channel with one member gets the aggregate form — no name, email, person row,
 * per-person chart or small group — and the asker the full answer in their personal chat with a
 * note; a file never lands in a channel.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import { reply } from '../../src/core/reply.ts';
import { silentLogger } from '../../src/log.ts';
import { createHttpServer, type HttpServer } from '../../src/server/http.ts';
import { createTeamsAdapter, type TeamsAdapter } from '../../src/adapters/teams/index.ts';
import type { ChatAnswerFn } from '../../src/delivery/core-answer.ts';
import { coreAnswer } from '../../src/adapters/teams/core-answer.ts';
import { storeConversations } from '../../src/adapters/teams/conversations.ts';
import { readAudit } from '../../src/store/audit.ts';
import { clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.ts';
import { PEOPLE, TODAY_NOW } from '../answers/support.ts';
import { PEOPLE_SECRETS, SMALL_GROUP, seedAudienceWorkspace } from '../support/audience-workspace.ts';
import { cardText } from './adaptive-cards.ts';

const clock = fixedClock(TODAY_NOW);
const OWNER = '29:owner';
const ADMIN = '29:admin';
const MEMBER = '29:member';
const BOT = { id: '28:wsa-bot', name: 'wsa' };
const TENANT = 'tenant-1';
const VIEWERS = '19:viewers@thread.tacv2';
const MIXED = '19:mixed@thread.tacv2';

let sequence = 0;
function inChannel(fake: FakeConnector, channel: string, text: string) {
  sequence += 1;
  return {
    type: 'message',
    id: `aud-${sequence}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: fake.url,
    from: { id: OWNER, name: 'Olive', aadObjectId: 'aad-owner' },
    recipient: BOT,
    conversation: { id: `${channel};messageid=${sequence}`, conversationType: 'channel', tenantId: TENANT, isGroup: true },
    text: `<at>wsa</at> ${text}`,
    entities: [{ type: 'mention', text: '<at>wsa</at>', mentioned: BOT }],
    channelData: { tenant: { id: TENANT }, channel: { id: channel }, team: { id: '19:team@thread.tacv2' } },
  };
}

const cardOf = (activity: any): any => activity.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;

async function startTeams(fake: FakeConnector, store: TestStore, answer: ChatAnswerFn): Promise<{ teams: TeamsAdapter; http: HttpServer; url: string }> {
  const teams = createTeamsAdapter({ answer, conversations: storeConversations(store.db, clock), logger: silentLogger() });
  const http = createHttpServer({ routes: [teams.route], logger: silentLogger(), health: { ready: () => true, detail: () => ({}) } });
  const address: AddressInfo = await http.listen(0, '127.0.0.1');
  return { teams, http, url: `http://127.0.0.1:${address.port}/api/messages` };
}

describe('post:channel on Teams, decided by who reads the channel', () => {
  let store: TestStore;
  let fake: FakeConnector;
  let t: Awaited<ReturnType<typeof startTeams>>;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    await clearStore(store.db);
    await seedAudienceWorkspace(store.db);
    fake = await startFakeConnector();
    fake.members.set(OWNER, { id: OWNER, name: 'Olive Owner', email: PEOPLE.owner.email });
    fake.members.set(ADMIN, { id: ADMIN, name: 'Adam Admin', userPrincipalName: PEOPLE.admin.email });
    fake.members.set(MEMBER, { id: MEMBER, name: 'Mia Member', email: PEOPLE.member.email });
    fake.rosters.set(VIEWERS, [OWNER, ADMIN]);
    fake.rosters.set(MIXED, [OWNER, ADMIN, MEMBER]);
    t = await startTeams(fake, store, coreAnswer({ db: store.db, clock, logger: silentLogger(), registry }));
  }, 60_000);
  afterAll(async () => {
    await t?.teams.settled();
    await t?.http.close();
    await fake?.close();
    await store?.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  async function ask(channel: string, text: string) {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(inChannel(fake, channel, text)) });
    await res.text();
    expect(res.status).toBe(200);
    await t.teams.settled();
    const messages = fake.messages();
    return {
      channel: messages.filter((m) => m.conversationId.startsWith(channel)).map((m) => cardText(cardOf(m.activity))).join('\n'),
      personal: messages.filter((m) => m.conversationId.startsWith('a:')).map((m) => cardText(cardOf(m.activity))).join('\n'),
    };
  }

  it('a channel of viewers only gets the full answer; the roster is read page by page', async () => {
    const got = await ask(VIEWERS, 'top-users last-week post:channel');
    expect(got.channel).toMatch(/Olive\.Owner@example\.com/i);
    expect(got.channel).not.toContain('Aggregate form');
    expect(got.personal).toBe('');
    expect(fake.calls.some((c) => c.method === 'GET' && c.path === `/v3/conversations/${VIEWERS}/pagedmembers`)).toBe(true);
    const [entry] = (await readAudit(store.db)).slice(-1);
    expect(entry?.reason).toMatch(/channel got the full answer: every reader of the channel \(2\) may see people/);
  });

  it.each(['top-users last-week', 'power-users last-week', 'users last-week', 'groups last-week', 'overview last-week', 'gpts last-week'])(
    'a channel with one member: %s in its aggregate form, the full answer in the personal chat',
    async (text) => {
      const got = await ask(MIXED, `${text} post:channel`);
      expect(got.channel).toContain('Aggregate form');
      for (const secret of PEOPLE_SECRETS) expect(got.channel.toLowerCase()).not.toContain(secret.toLowerCase());
      expect(got.channel).not.toContain(SMALL_GROUP);
      expect(got.personal).toContain('I posted the aggregate form to the channel (1 of 3 readers of the channel may not see people');
      if (text.startsWith('top-users')) expect(got.personal).toMatch(/Olive\.Owner@example\.com/i);
      if (text.startsWith('groups')) expect(got.personal).toContain(SMALL_GROUP);
    },
  );

  it('a team: under the minimum size is not posted; the asker is told why', async () => {
    const got = await ask(MIXED, `messages last-week team:"${SMALL_GROUP}" post:channel`);
    expect(got.channel).toBe('');
    expect(got.personal).toMatch(/Nothing was posted to the channel: Sales EMEA has 2 members/);
  });
});

describe('on Teams a file never lands in a channel, even one of viewers only', () => {
  let store: TestStore;
  let fake: FakeConnector;
  let t: Awaited<ReturnType<typeof startTeams>>;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    await clearStore(store.db);
    fake = await startFakeConnector();
    fake.members.set(OWNER, { id: OWNER, name: 'Olive Owner', email: PEOPLE.owner.email });
    t = await startTeams(fake, store, async () => {
      const full = reply({ command: 'export', title: 'Users export', summary: ['2 rows.'], files: [{ kind: 'csv', name: 'users.csv', content: 'a,b\n1,2\n' }] });
      return { reply: full, channel: { reply: full, form: 'full', reason: 'every reader of the channel (1) may see people' } };
    });
  });
  afterAll(async () => {
    await t?.teams.settled();
    await t?.teams.close();
    await t?.http.close();
    await fake?.close();
    await store?.close();
  });

  it('posts the answer to the channel and offers the file in the personal chat only', async () => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(inChannel(fake, VIEWERS, 'export post:channel')) });
    await res.text();
    await t.teams.settled();
    const messages = fake.messages();
    const consent = messages.filter((m) => m.activity.attachments?.some((a: any) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent'));
    expect(consent).toHaveLength(1);
    expect(consent[0]!.conversationId.startsWith('a:')).toBe(true);
    const inTheChannel = messages.filter((m) => m.conversationId.startsWith(VIEWERS));
    expect(inTheChannel).toHaveLength(1);
    expect(inTheChannel[0]!.activity.attachments.every((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')).toBe(true);
  });
});
