/**
 * A power user's answer about being named: the DM's buttons run `digest opt-in` / `digest opt-out`
 * as the person who clicks (through the real Bolt receiver, signed), and the command records the
 * answer and is audited like any answer (through `answer()` on the real store, both backends).
 * On Teams the question card's `Action.Submit` buttons arrive as the clicker's own message
 * (`messageBack`), answered through the real teams-ai stack into the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { answer } from '../../src/core/answer.ts';
import { storeAudit } from '../../src/core/access/audit.ts';
import { storeGrants } from '../../src/core/access/grants.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { readAudit } from '../../src/store/audit.ts';
import { optInChoices } from '../../src/store/digest-opt-ins.ts';
import { SEND_PRIVATELY_ACTION } from '../../src/adapters/slack/render-blocks.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { StoreFixture } from '../metrics/fixtures.ts';
import { buttonClickBody, post, signedHeaders, startHarness } from '../slack/harness.ts';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../../src/server/http.ts';
import { createTeamsAdapter } from '../../src/adapters/teams/index.ts';
import { coreAnswer } from '../../src/adapters/teams/core-answer.ts';
import { storeConversations } from '../../src/adapters/teams/conversations.ts';
import { startFakeConnector } from '../support/fake-connector.ts';

describe.each(backends())('digest opt-in and opt-out on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
    const f = new StoreFixture(store.db);
    await f.workspace('events');
    await f.directory('2026-11-01', [
      { id: 'user-ann', email: 'ann@example.com', status: 'enabled' },
      { id: 'user-bob', email: 'bob@example.com', status: 'enabled' },
    ]);
  });
  afterAll(async () => {
    await store?.close();
  });

  const ask = (email: string, text: string) =>
    answer({
      db: store.db,
      clock: fixedClock(new Date('2026-12-07T10:00:00Z')),
      logger: silentLogger(),
      registry,
      caller: { kind: 'person', email, platform: 'slack', platformUserId: 'UANN' },
      text,
      where: 'direct',
      grants: storeGrants,
      onDecision: storeAudit(store.db),
    });

  it('records a member\'s own answer, changes it on request, and audits each', async () => {
    expect((await ask('ANN@example.com', 'digest opt-in')).error).toBeNull();
    expect((await optInChoices(store.db, ['ann@example.com'])).get('ann@example.com')).toBe('in');
    const out = await ask('ann@example.com', 'digest opt-out');
    expect(out.summary[0]).toMatch(/^You will not be named in power-user shout-outs in channels/);
    expect((await optInChoices(store.db, ['ann@example.com'])).get('ann@example.com')).toBe('out');
    const entries = (await readAudit(store.db, { actor: 'ann@example.com' })).filter((e) => e.command.startsWith('digest'));
    expect(entries.map((e) => [e.command, e.decision]).sort()).toEqual([
      ['digest opt-in', 'allowed'],
      ['digest opt-out', 'allowed'],
    ]);
  });

  it('refuses the rest of `digest` to a member, and audits the refusal', async () => {
    const refused = await ask('bob@example.com', 'digest list');
    expect(refused.error?.code).toBe('forbidden');
    expect((await readAudit(store.db, { actor: 'bob@example.com', decision: 'denied' })).map((e) => e.command)).toEqual(['digest list']);
  });
});

describe('the DM buttons', () => {
  it('run `digest opt-in` and `digest opt-out` as the person who clicks, privately', async () => {
    const h = await startHarness();
    try {
      for (const [i, command] of ['digest opt-in', 'digest opt-out'].entries()) {
        const click = buttonClickBody(h.fake, `${SEND_PRIVATELY_ACTION}:${i}`, command);
        expect((await post(h.eventsUrl, click, signedHeaders(click))).status).toBe(200);
      }
      await h.fake.waitFor(() => (h.answers.length >= 2 ? true : undefined), 5000, 'both answers');
      await h.adapter.idle();
      expect(h.answers.map((a) => [a.text, a.where.toChannel])).toEqual([
        ['digest opt-in', false],
        ['digest opt-out', false],
      ]);
    } finally {
      await h.close();
    }
  });
});

describe('the Teams question card', () => {
  it('its buttons arrive as the clicker\'s own `digest opt-in` / `digest opt-out`, recorded and audited', async () => {
    const store = await openTestStore('pglite');
    const fake = await startFakeConnector();
    const clock = fixedClock(new Date('2026-12-07T10:00:00Z'));
    const teams = createTeamsAdapter({
      answer: coreAnswer({ db: store.db, clock, logger: silentLogger(), registry }),
      conversations: storeConversations(store.db, clock),
      logger: silentLogger(),
    });
    const http = createHttpServer({ routes: [teams.route], logger: silentLogger(), health: { ready: () => true, detail: () => ({}) } });
    try {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace('events');
      await f.directory('2026-11-01', [{ id: 'user-ann', email: 'ann@example.com', status: 'enabled' }]);
      fake.members.set('29:ann', { id: '29:ann', name: 'Ann', email: 'ann@example.com' });
      const address: AddressInfo = await http.listen(0, '127.0.0.1');
      const click = (n: number, command: string) => ({
        type: 'message',
        id: `click-${n}`,
        timestamp: new Date().toISOString(),
        channelId: 'msteams',
        serviceUrl: fake.url,
        from: { id: '29:ann', name: 'Ann', aadObjectId: 'aad-ann' },
        recipient: { id: '28:wsa-bot', name: 'wsa' },
        conversation: { id: 'a:personal-ann', conversationType: 'personal', tenantId: 'tenant-1' },
        channelData: { tenant: { id: 'tenant-1' } },
        // What Teams sends for an Action.Submit whose data is `{ msteams: { type: 'messageBack', text, displayText } }`.
        text: command,
        value: {},
        replyToId: 'question-1',
      });
      const send = async (body: unknown) => {
        const res = await fetch(`http://127.0.0.1:${address.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(res.status).toBe(200);
        await teams.settled();
      };
      await send(click(1, 'digest opt-out'));
      expect((await optInChoices(store.db, ['ann@example.com'])).get('ann@example.com')).toBe('out');
      await send(click(2, 'digest opt-in'));
      expect((await optInChoices(store.db, ['ann@example.com'])).get('ann@example.com')).toBe('in');
      const entries = (await readAudit(store.db, { actor: 'ann@example.com' })).filter((e) => e.command.startsWith('digest'));
      expect(entries.map((e) => [e.command, e.decision]).sort()).toEqual([
        ['digest opt-in', 'allowed'],
        ['digest opt-out', 'allowed'],
      ]);
      // Each click is answered in her personal chat.
      const answers = fake.messages().filter((m) => m.conversationId === 'a:personal-ann');
      expect(answers.map((m) => String(m.activity.text))).toEqual([
        expect.stringMatching(/not be named/i),
        expect.stringMatching(/named/i),
      ]);
    } finally {
      await teams.close();
      await http.close();
      await fake.close();
      await store.close();
    }
  });
});
