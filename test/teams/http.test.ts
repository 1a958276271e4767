/**
 * Teams end to end over HTTP: Bot Framework activities POSTed to our real server's
 * `/api/messages`, through the real teams-ai Application and botbuilder CloudAdapter, answered by
 * the real core on a small workspace; what the bot sends arrives at a fake connector on loopback.
 */
import type { AddressInfo } from 'node:net';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import { silentLogger } from '../../src/log.ts';
import { createHttpServer, type HttpServer } from '../../src/server/http.ts';
import { createTeamsAdapter, type TeamsAdapter } from '../../src/adapters/teams/index.ts';
import { coreAnswer } from '../../src/adapters/teams/core-answer.ts';
import { storeConversations } from '../../src/adapters/teams/conversations.ts';
import { createChartRenderer, type ChartRenderer } from '../../src/render/chart-renderer.ts';
import { findTeamsConversation } from '../../src/store/teams-conversations.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.ts';
import { PEOPLE, TODAY_NOW, seedSmallWorkspace } from '../answers/support.ts';
import { cardProblems, cardText } from './adaptive-cards.ts';

const clock = fixedClock(TODAY_NOW);
const OWNER_ID = '29:owner';
const MEMBER_ID = '29:member';
const STRANGER_ID = '29:stranger';
const ADMIN_ID = '29:admin';
const BOT = { id: '28:wsa-bot', name: 'wsa' };
const TENANT = 'tenant-1';

let sequence = 0;
function messageActivity(fake: FakeConnector, text: string, options: { from?: string; conversationType?: 'personal' | 'channel' | 'groupChat'; conversationId?: string } = {}) {
  sequence += 1;
  const type = options.conversationType ?? 'personal';
  return {
    type: 'message',
    id: `msg-${sequence}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: fake.url,
    from: { id: options.from ?? OWNER_ID, name: 'Someone', aadObjectId: `aad-${options.from ?? OWNER_ID}` },
    recipient: BOT,
    conversation: { id: options.conversationId ?? `a:chat-${options.from ?? OWNER_ID}`, conversationType: type, tenantId: TENANT, ...(type !== 'personal' ? { isGroup: true } : {}) },
    text,
    entities: text.includes('<at>') ? [{ type: 'mention', text: '<at>wsa</at>', mentioned: BOT }] : [],
    channelData: { tenant: { id: TENANT }, ...(type === 'channel' ? { channel: { id: '19:general@thread.tacv2' }, team: { id: '19:team@thread.tacv2' } } : {}) },
  };
}

function cardOf(activity: any): any {
  const attachment = activity.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return attachment?.content;
}

/** Width and height of a PNG from its header, after checking it decodes (IDAT inflates). */
function decodePng(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let offset = 8;
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(inflateSync(Buffer.concat(idat)).length).toBeGreaterThan(width * height);
  return { width, height };
}

describe.each(backends())('Teams over HTTP on %s', (backend) => {
  let store: TestStore;
  let fake: FakeConnector;
  let renderer: ChartRenderer;
  let http: HttpServer;
  let teams: TeamsAdapter;
  let url: string;

  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
    await seedSmallWorkspace(store.db);
    fake = await startFakeConnector();
    fake.members.set(OWNER_ID, { id: OWNER_ID, name: 'Olive Owner', email: PEOPLE.owner.email });
    fake.members.set(MEMBER_ID, { id: MEMBER_ID, name: 'Mia Member', userPrincipalName: PEOPLE.member.email });
    fake.members.set(STRANGER_ID, { id: STRANGER_ID, name: 'Sam Stranger' });
    fake.members.set(ADMIN_ID, { id: ADMIN_ID, name: 'Adam Admin', email: PEOPLE.admin.email });
    renderer = createChartRenderer({ workers: 0 });
    teams = createTeamsAdapter({
      answer: coreAnswer({ db: store.db, clock, logger: silentLogger(), registry }),
      renderChart: (spec) => renderer.renderPng(spec),
      conversations: storeConversations(store.db, clock),
      logger: process.env.DEBUG_TEAMS ? (await import('../../src/log.ts')).createLogger('warn') : silentLogger(),
    });
    http = createHttpServer({ routes: [teams.route], logger: silentLogger(), health: { ready: () => true, detail: () => ({}) } });
    const address: AddressInfo = await http.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${address.port}/api/messages`;
  }, 120_000);
  afterAll(async () => {
    await teams?.settled();
    await http?.close();
    await renderer?.close();
    await fake?.close();
    await store?.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  const send = async (activity: unknown) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    await res.text();
    return res.status;
  };

  it('answers `wsa active-users last-week` in a personal chat with a card carrying the figure and its chart', async () => {
    expect(await send(messageActivity(fake, 'wsa active-users last-week'))).toBe(200);
    await teams.settled();
    const [typing, ...rest] = fake.activities();
    expect(typing?.activity.type).toBe('typing');
    const messages = rest.filter((a) => a.activity.type === 'message');
    expect(messages).toHaveLength(1);
    const card = cardOf(messages[0]!.activity);
    expect(card).toBeDefined();
    expect(cardProblems(card)).toEqual([]);
    // Hand-counted in test/answers/support.ts: owner, admin and member were active 15–21 Nov.
    expect(cardText(card)).toMatch(/^Active users: 3\b/m);
    const image = JSON.stringify(card).match(/"url":"data:image\/png;base64,([^"]+)"/);
    expect(image).not.toBeNull();
    const png = Buffer.from(image![1]!, 'base64');
    const { width, height } = decodePng(png);
    expect(Math.max(width, height)).toBeLessThanOrEqual(1024);
    expect(png.length).toBeLessThanOrEqual(1_000_000);
    // Identified through TeamsInfo.getMember.
    expect(fake.calls.some((c) => c.method === 'GET' && c.path.endsWith(`/members/${OWNER_ID}`))).toBe(true);
  });

  it('takes `/wsa …`, `@wsa …` and a bare `help`', async () => {
    for (const text of ['/wsa help', '<at>wsa</at> help', 'help']) {
      fake.calls.length = 0;
      expect(await send(messageActivity(fake, text))).toBe(200);
      await teams.settled();
      const [message] = fake.messages();
      expect(cardText(cardOf(message!.activity))).toContain('overview');
    }
  });

  it('refuses people to a member, with the reason', async () => {
    await send(messageActivity(fake, 'wsa top-users', { from: MEMBER_ID }));
    await teams.settled();
    const [message] = fake.messages();
    const card = cardOf(message!.activity);
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toMatch(/^Not allowed\n.*(owner|admin|analytics viewer)/s);
  });

  it('treats someone Teams gives no email for as a member', async () => {
    await send(messageActivity(fake, 'wsa overview', { from: STRANGER_ID }));
    await teams.settled();
    const [message] = fake.messages();
    expect(cardText(cardOf(message!.activity))).toMatch(/^Not allowed/);
  });

  it('asked in a channel: a note there, the full answer in the asker\'s personal chat', async () => {
    const activity = messageActivity(fake, '<at>wsa</at> overview last-week', { conversationType: 'channel', conversationId: '19:general@thread.tacv2;messageid=1' });
    expect(await send(activity)).toBe(200);
    await teams.settled();
    const messages = fake.messages();
    const inChannel = messages.filter((m) => m.conversationId.startsWith('19:general'));
    const elsewhere = messages.filter((m) => !m.conversationId.startsWith('19:general'));
    expect(inChannel).toHaveLength(1);
    expect(cardText(cardOf(inChannel[0]!.activity))).toBe('I sent the answer to our personal chat, where only you can see it.');
    expect(elsewhere).toHaveLength(1);
    expect(elsewhere[0]!.conversationId).toBe(`a:chat-${OWNER_ID}`);
    expect(cardText(cardOf(elsewhere[0]!.activity))).toMatch(/Active users/);
  });

  it('stores one conversation reference per conversation and posts to it proactively', async () => {
    await send(messageActivity(fake, 'wsa help'));
    await send(messageActivity(fake, 'wsa help'));
    await teams.settled();
    const rows = await store.db
      .selectFrom('teams_conversations' as never)
      .select(['conversation_id' as never])
      .where('conversation_id' as never, '=', `a:chat-${OWNER_ID}` as never)
      .execute();
    expect(rows).toHaveLength(1);
    const stored = await findTeamsConversation(store.db, `a:chat-${OWNER_ID}`);
    expect(stored).toMatchObject({ conversationType: 'personal', userId: OWNER_ID, tenantId: TENANT });

    fake.calls.length = 0;
    const { errorReply } = await import('../../src/core/reply.ts');
    await teams.port().postToTarget({ conversationId: `a:chat-${OWNER_ID}` }, errorReply('digest', { code: 'not_found', message: 'A proactive post.' }));
    const [posted] = fake.messages();
    expect(posted!.conversationId).toBe(`a:chat-${OWNER_ID}`);
    expect(cardText(cardOf(posted!.activity))).toContain('A proactive post.');
  });

  it('with post:channel the channel gets the aggregate form, the asker the full answer privately', async () => {
    const activity = messageActivity(fake, '<at>wsa</at> top-users last-week post:channel', { conversationType: 'channel', conversationId: '19:general@thread.tacv2;messageid=2' });
    expect(await send(activity)).toBe(200);
    await teams.settled();
    const messages = fake.messages();
    const inChannel = messages.filter((m) => m.conversationId.startsWith('19:general'));
    const personal = messages.filter((m) => m.conversationId === `a:chat-${OWNER_ID}`);
    expect(inChannel).toHaveLength(1);
    const channelText = cardText(cardOf(inChannel[0]!.activity));
    expect(channelText).not.toMatch(/@example\.com/i);
    expect(channelText).not.toMatch(/Olive|Adam|Mia/);
    expect(channelText).toContain('Aggregate form');
    expect(personal).toHaveLength(1);
    const privateText = cardText(cardOf(personal[0]!.activity));
    expect(privateText).toMatch(/Olive\.Owner@example\.com/i);
    expect(privateText).toContain('I posted the aggregate form to the channel');
  });

  it('answers an activity Teams sends twice (same id) once', async () => {
    const activity = messageActivity(fake, 'wsa help');
    expect(await send(activity)).toBe(200);
    expect(await send(activity)).toBe(200);
    await teams.settled();
    expect(fake.messages()).toHaveLength(1);
  });

  it('refuses a bad post: value with the core\'s words', async () => {
    await send(messageActivity(fake, 'wsa overview post:everyone'));
    await teams.settled();
    const [message] = fake.messages();
    expect(cardText(cardOf(message!.activity))).toMatch(/post:everyone/);
  });

  it('the port refuses a conversation the bot has never heard from', async () => {
    const { errorReply } = await import('../../src/core/reply.ts');
    const { TargetRefusedError } = await import('../../src/delivery/port.ts');
    await expect(teams.port().postToTarget({ conversationId: '19:unknown@thread.tacv2' }, errorReply('digest', { code: 'not_found', message: 'x' }))).rejects.toBeInstanceOf(TargetRefusedError);
    expect(fake.calls).toEqual([]);
  });

  it('opens a personal chat for someone who asks in a group chat before ever writing to the bot', async () => {
    await send(messageActivity(fake, 'wsa users', { from: ADMIN_ID, conversationType: 'groupChat', conversationId: '19:group-chat@thread.v2' }));
    await teams.settled();
    const created = fake.calls.filter((c) => c.method === 'POST' && c.path === '/v3/conversations');
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toMatchObject({ isGroup: false, members: [{ id: ADMIN_ID }], tenantId: TENANT });
    const messages = fake.messages();
    expect(messages.map((m) => m.conversationId).sort()).toEqual(['19:group-chat@thread.v2', 'a:personal-1']);
    expect(await findTeamsConversation(store.db, 'a:personal-1')).toMatchObject({ conversationType: 'personal', userId: ADMIN_ID });
  });

  it('an answer slower than the turn allows is sent afterwards from the stored reference', async () => {
    const slow = createTeamsAdapter({
      answer: async (...args) => {
        await new Promise((r) => setTimeout(r, 300));
        return coreAnswer({ db: store.db, clock, logger: silentLogger(), registry })(...args);
      },
      conversations: storeConversations(store.db, clock),
      logger: silentLogger(),
      inTurnBudgetMs: 20,
    });
    const server = createHttpServer({ routes: [slow.route], logger: silentLogger(), health: { ready: () => true, detail: () => ({}) } });
    const address = await server.listen(0, '127.0.0.1');
    try {
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${address.port}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(messageActivity(fake, 'wsa overview')),
      });
      expect(res.status).toBe(200);
      // The HTTP reply did not wait for the answer …
      expect(Date.now() - started).toBeLessThan(300);
      expect(fake.messages()).toHaveLength(0);
      // … which arrives after, into the same conversation, as a new post rather than a reply.
      await slow.settled();
      const [late] = fake.messages();
      expect(late!.conversationId).toBe(`a:chat-${OWNER_ID}`);
      expect(cardText(cardOf(late!.activity))).toMatch(/Active users/);
    } finally {
      await server.close();
    }
  });
});

describe('Teams authentication', () => {
  let fake: FakeConnector;
  let http: HttpServer;
  let url: string;
  let answered = 0;
  beforeAll(async () => {
    fake = await startFakeConnector();
    const teams = createTeamsAdapter({
      credentials: { appId: '00000000-0000-0000-0000-000000000001', appPassword: 'not-a-real-secret', tenantId: TENANT },
      // Never reached: a request without a token is refused before any key is fetched.
      openIdMetadataUrl: 'http://127.0.0.1:9/.well-known/openid-configuration',
      answer: async () => {
        answered += 1;
        throw new Error('must not be asked');
      },
      conversations: { save: async () => {}, find: async () => undefined, findPersonal: async () => undefined },
      logger: silentLogger(),
    });
    http = createHttpServer({ routes: [teams.route], logger: silentLogger(), health: { ready: () => true, detail: () => ({}) } });
    const address = await http.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${address.port}/api/messages`;
  });
  afterAll(async () => {
    await http?.close();
    await fake?.close();
  });

  it.each([
    ['no Authorization header', undefined],
    ['a malformed token', 'Bearer not.a.jwt'],
    ['a token of another scheme', 'Basic dXNlcjpwYXNz'],
  ])('refuses a request with %s: 401, nothing answered, nothing sent', async (_name, authorization) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(messageActivity(fake, 'wsa overview')),
    });
    expect(res.status).toBe(401);
    expect(answered).toBe(0);
    expect(fake.calls).toEqual([]);
  });
});

describe('Teams delivery retries', () => {
  let store: TestStore;
  let fake: FakeConnector;
  let http: HttpServer;
  let teams: TeamsAdapter;
  let url: string;
  beforeAll(async () => {
    store = await openTestStore(backends()[0]!);
    await clearStore(store.db);
    await seedSmallWorkspace(store.db);
    fake = await startFakeConnector();
    fake.members.set(OWNER_ID, { id: OWNER_ID, name: 'Olive Owner', email: PEOPLE.owner.email });
    teams = createTeamsAdapter({
      answer: coreAnswer({ db: store.db, clock, logger: silentLogger(), registry }),
      conversations: storeConversations(store.db, clock),
      logger: silentLogger(),
      retryDelayMs: 10,
    });
    http = createHttpServer({ routes: [teams.route], logger: silentLogger(), health: { ready: () => true, detail: () => ({}) } });
    url = `http://127.0.0.1:${(await http.listen(0, '127.0.0.1')).port}/api/messages`;
  }, 120_000);
  afterAll(async () => {
    await http?.close();
    await fake?.close();
    await store?.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });
  const ask = async (from = OWNER_ID) => {
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(messageActivity(fake, 'wsa help', { from })) });
    await teams.settled();
  };
  const isAnswerPost = (c: { method: string; body: any }) => c.method === 'POST' && c.body?.type === 'message';
  const answerPosts = () => fake.calls.filter(isAnswerPost);

  it('retries 502 and 504 (the post never reached Teams): one answer in the end', async () => {
    fake.failNext(isAnswerPost, [{ status: 502 }, { status: 504 }]);
    await ask();
    expect(answerPosts().map((c) => c.status)).toEqual([502, 504, 200]);
    expect(fake.messages()).toHaveLength(1);
  });

  it('retries 429 after the time Retry-After gives, and 412', async () => {
    fake.members.set('29:new', { id: '29:new', name: 'New', email: PEOPLE.admin.email });
    fake.failNext((c) => c.method === 'GET', [{ status: 429, retryAfter: 1 }, { status: 412 }]);
    await ask('29:new');
    const lookups = fake.calls.filter((c) => c.method === 'GET');
    expect(lookups.map((c) => c.status)).toEqual([429, 412, 200]);
    expect(lookups[1]!.at - lookups[0]!.at).toBeGreaterThanOrEqual(950);
    expect(fake.messages()).toHaveLength(1);
  });

  it('never posts an answer twice after a 500, which may have gone through', async () => {
    fake.failNext(isAnswerPost, [{ status: 500 }]);
    await ask();
    expect(answerPosts().map((c) => c.status)).toEqual([500]);
  });
});

describe('Teams files', () => {
  let fake: FakeConnector;
  let http: HttpServer;
  let teams: TeamsAdapter;
  let url: string;
  let store: TestStore;
  const CSV = 'email,messages\n"a@example.com",3\n"=cmd|calc",1\n'.repeat(2000);
  beforeAll(async () => {
    store = await openTestStore(backends()[0]!);
    await clearStore(store.db);
    fake = await startFakeConnector();
    fake.members.set(OWNER_ID, { id: OWNER_ID, name: 'Olive Owner', email: PEOPLE.owner.email });
    const { reply } = await import('../../src/core/reply.ts');
    teams = createTeamsAdapter({
      // A Reply carrying a CSV, as an export will.
      answer: async () => ({
        reply: reply({ command: 'export', title: 'Users export', summary: ['2 rows.'], files: [{ kind: 'csv', name: 'users-2026-11.csv', content: CSV }] }),
        channel: null,
      }),
      conversations: storeConversations(store.db, clock),
      logger: silentLogger(),
    });
    http = createHttpServer({ routes: [teams.route], logger: silentLogger(), health: { ready: () => true, detail: () => ({}) } });
    url = `http://127.0.0.1:${(await http.listen(0, '127.0.0.1')).port}/api/messages`;
  }, 120_000);
  afterAll(async () => {
    await teams?.close();
    await http?.close();
    await fake?.close();
    await store?.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
    fake.uploads.length = 0;
  });
  const post = async (activity: unknown) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await res.text();
    await teams.settled();
    return { status: res.status, text };
  };
  const consentCards = () =>
    fake.messages().flatMap((m) => (m.activity.attachments ?? []).filter((a: any) => a.contentType === 'application/vnd.microsoft.teams.card.file.consent').map((a: any) => ({ ...a, conversationId: m.conversationId })));
  const invoke = (action: 'accept' | 'decline', context: unknown) => ({
    ...messageActivity(fake, ''),
    type: 'invoke',
    name: 'fileConsent/invoke',
    text: undefined,
    value: {
      type: 'fileUpload',
      action,
      context,
      ...(action === 'accept'
        ? { uploadInfo: { name: 'users-2026-11.csv', uploadUrl: `${fake.url}upload/users-2026-11.csv`, contentUrl: 'https://contoso.example/users-2026-11.csv', uniqueId: 'u-1', fileType: 'csv' } }
        : {}),
    },
  });

  it('offers a CSV with a file consent card in personal chat; accepted, it is uploaded whole and a file card follows', async () => {
    await post(messageActivity(fake, 'wsa export users last-month'));
    const [card] = consentCards();
    expect(card).toMatchObject({ name: 'users-2026-11.csv', conversationId: `a:chat-${OWNER_ID}`, content: { sizeInBytes: Buffer.byteLength(CSV) } });
    const answered = await post(invoke('accept', card.content.acceptContext));
    expect(answered.status).toBe(200);
    expect(fake.uploads).toHaveLength(1);
    const [upload] = fake.uploads;
    expect(upload!.bytes.toString('utf8')).toBe(CSV);
    expect(upload!.headers['content-range']).toBe(`bytes 0-${Buffer.byteLength(CSV) - 1}/${Buffer.byteLength(CSV)}`);
    const info = fake.messages().flatMap((m) => m.activity.attachments ?? []).find((a: any) => a.contentType === 'application/vnd.microsoft.teams.card.file.info');
    expect(info).toMatchObject({ name: 'users-2026-11.csv', contentUrl: 'https://contoso.example/users-2026-11.csv', content: { uniqueId: 'u-1', fileType: 'csv' } });
    // accepted twice (a retried invoke): nothing is uploaded again
    fake.uploads.length = 0;
    await post(invoke('accept', card.content.acceptContext));
    expect(fake.uploads).toHaveLength(0);
    expect(fake.messages().at(-1)!.activity.text).toBe('That file is no longer waiting for you; ask for it again.');
  });

  it('declined: a polite note, nothing uploaded', async () => {
    await post(messageActivity(fake, 'wsa export users last-month'));
    const [card] = consentCards();
    await post(invoke('decline', card.content.declineContext));
    expect(fake.uploads).toHaveLength(0);
    expect(fake.messages().at(-1)!.activity.text).toBe('Understood, I will not send users-2026-11.csv.');
  });

  it('asked in a channel: the file is offered only in the asker\'s personal chat', async () => {
    await post(messageActivity(fake, '<at>wsa</at> export users last-month', { conversationType: 'channel', conversationId: '19:general@thread.tacv2;messageid=9' }));
    const cards = consentCards();
    expect(cards).toHaveLength(1);
    expect(cards[0]!.conversationId).toBe(`a:chat-${OWNER_ID}`);
    const inChannel = fake.messages().filter((m) => m.conversationId.startsWith('19:general'));
    expect(inChannel).toHaveLength(1);
    expect(JSON.stringify(inChannel[0]!.activity)).not.toContain('file.consent');
  });
});
