/**
 * `wsa export` in Teams through the real teams-ai / botbuilder stack, the real core and a real
 * store, against the fake Bot Connector on loopback (docs/design.md §7 "Exports"): the CSV is
 * offered only by a file consent card in the asker's personal chat — never in the channel asked
 * in — and, accepted, uploaded whole; a member is refused and audited.
 */
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import { silentLogger } from '../../src/log.ts';
import { createHttpServer, type HttpServer } from '../../src/server/http.ts';
import { createTeamsAdapter, type TeamsAdapter } from '../../src/adapters/teams/index.ts';
import { coreAnswer } from '../../src/adapters/teams/core-answer.ts';
import { storeConversations } from '../../src/adapters/teams/conversations.ts';
import { readAudit } from '../../src/store/audit.ts';
import { clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.ts';
import { fixtureText, importText } from '../ingest/support/import-helpers.ts';

const clock = fixedClock(new Date('2025-11-20T09:00:00Z'));
const OWNER_ID = '29:zoe';
const MEMBER_ID = '29:jose';
const BOT = { id: '28:wsa-bot', name: 'wsa' };
const TENANT = 'tenant-1';
const FILE = 'users-2025-10-01-to-2025-10-31.csv';
const CONSENT = 'application/vnd.microsoft.teams.card.file.consent';

let sequence = 0;
function messageActivity(fake: FakeConnector, text: string, options: { from?: string; channel?: boolean } = {}) {
  sequence += 1;
  const from = options.from ?? OWNER_ID;
  return {
    type: 'message',
    id: `export-${sequence}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: fake.url,
    from: { id: from, name: 'Someone', aadObjectId: `aad-${from}` },
    recipient: BOT,
    conversation: options.channel
      ? { id: '19:general@thread.tacv2;messageid=7', conversationType: 'channel', tenantId: TENANT, isGroup: true }
      : { id: `a:chat-${from}`, conversationType: 'personal', tenantId: TENANT },
    text,
    entities: text.includes('<at>') ? [{ type: 'mention', text: '<at>wsa</at>', mentioned: BOT }] : [],
    channelData: { tenant: { id: TENANT }, ...(options.channel ? { channel: { id: '19:general@thread.tacv2' }, team: { id: '19:team@thread.tacv2' } } : {}) },
  };
}

describe('wsa export on Teams', () => {
  let store: TestStore;
  let fake: FakeConnector;
  let http: HttpServer;
  let teams: TeamsAdapter;
  let url: string;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    await clearStore(store.db);
    await importText(store.db, 'oct.csv', fixtureText('users-monthly-oct.csv'));
    fake = await startFakeConnector();
    fake.members.set(OWNER_ID, { id: OWNER_ID, name: 'Zoë', email: 'zoe.obrien@example.com' });
    fake.members.set(MEMBER_ID, { id: MEMBER_ID, name: 'José', email: 'jose.garcia@example.com' });
    teams = createTeamsAdapter({
      answer: coreAnswer({ db: store.db, clock, logger: silentLogger(), registry }),
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
  beforeEach(async () => {
    fake.calls.length = 0;
    fake.uploads.length = 0;
    await sql`truncate audit_log`.execute(store.db);
  });

  const post = async (activity: unknown) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    await res.text();
    await teams.settled();
    return res.status;
  };
  const consentCards = () =>
    fake.messages().flatMap((m) => (m.activity.attachments ?? []).filter((a: any) => a.contentType === CONSENT).map((a: any) => ({ ...a, conversationId: m.conversationId })));

  it('offers last month\'s Users report by a consent card in personal chat and uploads it whole once accepted', async () => {
    await post(messageActivity(fake, 'wsa export users last-month'));
    const [card] = consentCards();
    expect(card).toMatchObject({ name: FILE, conversationId: `a:chat-${OWNER_ID}` });
    await post({
      ...messageActivity(fake, ''),
      type: 'invoke',
      name: 'fileConsent/invoke',
      text: undefined,
      value: {
        type: 'fileUpload',
        action: 'accept',
        context: card.content.acceptContext,
        uploadInfo: { name: FILE, uploadUrl: `${fake.url}upload/${FILE}`, contentUrl: `https://contoso.example/${FILE}`, uniqueId: 'u-1', fileType: 'csv' },
      },
    });
    expect(fake.uploads).toHaveLength(1);
    const bytes = fake.uploads[0]!.bytes;
    expect(card.content.sizeInBytes).toBe(bytes.length);
    const rows = parse(bytes.toString('utf8')) as string[][];
    const source = parse(fixtureText('users-monthly-oct.csv'), { bom: true }) as string[][];
    expect(rows.map((r) => r.slice(0, 8))).toEqual(source.map((r) => r.slice(0, 8)));
    const audit = await readAudit(store.db);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'zoe.obrien@example.com', platform: 'teams', command: 'export', decision: 'allowed', export: { type: 'users', start: '2025-10-01', end: '2025-10-31', rows: 3 } });
  });

  it('asked in a channel: the channel gets a note, the file is offered only in the asker\'s personal chat', async () => {
    await post(messageActivity(fake, '<at>wsa</at> export users last-month', { channel: true }));
    const cards = consentCards();
    expect(cards.map((c) => c.conversationId)).toEqual([`a:chat-${OWNER_ID}`]);
    const inChannel = fake.messages().filter((m) => m.conversationId.startsWith('19:general'));
    expect(inChannel).toHaveLength(1);
    expect(JSON.stringify(inChannel[0]!.activity)).not.toContain(CONSENT);
    expect(JSON.stringify(inChannel[0]!.activity)).not.toContain('zoe.obrien');
    expect(JSON.stringify(inChannel[0]!.activity)).toMatch(/personal chat/);
  });

  it('refuses a member, audits the refusal and offers no file', async () => {
    await post(messageActivity(fake, 'wsa export users last-month', { from: MEMBER_ID }));
    expect(consentCards()).toHaveLength(0);
    expect(JSON.stringify(fake.messages().map((m) => m.activity))).toMatch(/Exporting reports needs the owner or admin role/);
    const audit = await readAudit(store.db);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'jose.garcia@example.com', platform: 'teams', command: 'export', decision: 'denied' });
  });
});
