/**
 * `post:channel` on Slack through the real Bolt receiver, the real core and a fake Slack Web API
 * on loopback (docs/design.md §7): the adapter reads the channel's members (conversations.members,
 * paged) and who they are (users.list, paged: bots and deactivated accounts left out); the core
 * decides. A channel of viewers only gets the full answer; a channel with one member gets the
 * aggregate form — no name, email, person row, per-person chart or small group — and the asker
 * the full answer privately with a note; a file never lands in a channel.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import { reply } from '../../src/core/reply.ts';
import { silentLogger } from '../../src/log.ts';
import { coreAnswer } from '../../src/adapters/slack/core-answer.ts';
import { readAudit } from '../../src/store/audit.ts';
import { PEOPLE } from '../answers/support.ts';
import { PEOPLE_SECRETS, SMALL_GROUP, seedAudienceWorkspace } from '../support/audience-workspace.ts';
import { clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { blockText } from './block-kit.ts';
import { ASKER, post, signedHeaders, slashCommandBody, startHarness, type Harness } from './harness.ts';

const clock = fixedClock(new Date('2026-11-26T10:00:00Z'));
const VIEWERS = 'C0VIEWERS';
const MIXED = 'C0MIXED';

describe('post:channel on Slack, decided by who reads the channel', () => {
  let store: TestStore;
  let h: Harness;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    await clearStore(store.db);
    await seedAudienceWorkspace(store.db);
    h = await startHarness({
      fake: {
        // The asker is the owner; U0ADMIN the admin, U0MIA the member. U0APP is an app whose
        // profile carries the member's email, U0GONE a deactivated account of hers: neither reads.
        users: { [ASKER]: PEOPLE.owner.email, U0ADMIN: PEOPLE.admin.email, U0MIA: PEOPLE.member.email, U0APP: PEOPLE.member.email, U0GONE: PEOPLE.member.email },
        bots: ['U0APP'],
        deleted: ['U0GONE'],
        channels: {
          [VIEWERS]: [ASKER, 'U0ADMIN', 'UBOT', 'U0APP', 'U0GONE', 'USLACKBOT'],
          [MIXED]: [ASKER, 'U0ADMIN', 'UBOT', 'U0MIA'],
          // Someone of another workspace (a shared channel): not in users.list, so no email.
          C0SHARED: [ASKER, 'U0ADMIN', 'W0OTHER'],
        },
      },
      adapter: { answer: coreAnswer({ db: store.db, clock, logger: silentLogger(), registry }) },
    });
  });
  afterEach(() => h.fake.reset());
  afterAll(async () => {
    await h?.close();
    await store?.close();
  });

  async function ask(text: string, channel: string): Promise<void> {
    const body = slashCommandBody(h.fake, { text, channel_id: channel });
    expect((await post(h.eventsUrl, body, signedHeaders(body))).status).toBe(200);
    await h.adapter.idle();
  }
  const channelText = (channel: string) =>
    h.fake
      .accepted('chat.postMessage')
      .filter((c) => c.params.channel === channel)
      .map((c) => blockText(c.params.blocks))
      .join('\n');
  const privateText = () => h.fake.responses.map((r) => blockText(r.body.blocks)).join('\n');

  it('a channel of viewers only (bots and a deactivated account aside) gets the full answer', async () => {
    await ask('top-users last-week post:channel', VIEWERS);
    const text = channelText(VIEWERS);
    expect(text).toContain(PEOPLE.owner.email);
    expect(text).not.toContain('Aggregate form');
    expect(h.fake.responses).toHaveLength(0);
    // Both lists were read page by page.
    expect(h.fake.accepted('conversations.members')[0]?.params).toMatchObject({ channel: VIEWERS, limit: '1000' });
    expect(h.fake.accepted('users.list').length).toBeGreaterThan(0);
    const [entry] = (await readAudit(store.db)).slice(-1);
    expect(entry).toMatchObject({ channelId: VIEWERS, where: 'channel' });
    expect(entry?.reason).toMatch(/channel got the full answer: every reader of the channel \(2\) may see people/);
  });

  it.each(['top-users last-week', 'power-users last-week', 'users last-week', 'groups last-week', 'overview last-week', 'gpts last-week', 'messages last-week'])(
    'a channel with one member: %s in its aggregate form, the full answer to the asker',
    async (text) => {
      await ask(`${text} post:channel`, MIXED);
      const inChannel = channelText(MIXED);
      expect(inChannel.length).toBeGreaterThan(0);
      expect(inChannel).toContain('Aggregate form');
      for (const secret of PEOPLE_SECRETS) expect(inChannel.toLowerCase()).not.toContain(secret.toLowerCase());
      expect(inChannel).not.toContain(SMALL_GROUP);
      expect(h.fake.uploads).toHaveLength(0);
      const mine = privateText();
      expect(mine).toContain('I posted the aggregate form to the channel (1 of 3 readers of the channel may not see people');
      if (text.startsWith('top-users')) expect(mine).toContain(PEOPLE.owner.email);
      if (text.startsWith('groups')) expect(mine).toContain(SMALL_GROUP);
      const [entry] = (await readAudit(store.db)).slice(-1);
      expect(entry?.reason).toMatch(/channel got the aggregate form: 1 of 3 readers/);
    },
  );

  it('a reader wsa cannot resolve counts as a member', async () => {
    await ask('top-users last-week post:channel', 'C0SHARED');
    const text = channelText('C0SHARED');
    expect(text).toContain('Aggregate form');
    expect(text.toLowerCase()).not.toContain(PEOPLE.owner.email.toLowerCase());
    expect(privateText()).toContain('1 of 3 readers of the channel may not see people');
  });

  it('a team: under the minimum size is not posted into that channel; the asker gets it with the reason', async () => {
    await ask(`messages last-week team:"${SMALL_GROUP}" post:channel`, MIXED);
    expect(channelText(MIXED)).toBe('');
    expect(privateText()).toMatch(/Nothing was posted to the channel: Sales EMEA has 2 members, fewer than the minimum group size of 10/);
  });

  it('whoami is about a person: not posted into a mixed channel', async () => {
    await ask('whoami post:channel', MIXED);
    expect(channelText(MIXED)).toBe('');
    expect(privateText()).toContain(PEOPLE.owner.email);
  });
});

describe('a file never lands in a channel, even one of viewers only', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      adapter: {
        answer: async () => {
          const full = reply({ command: 'export', title: 'Users export', summary: ['2 rows.'], files: [{ kind: 'csv', name: 'users.csv', content: 'a,b\n1,2\n' }] });
          return { reply: full, channel: { reply: full, form: 'full', reason: 'every reader of the channel (2) may see people' } };
        },
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('posts the answer to the channel and the file to the asker alone', async () => {
    const body = slashCommandBody(h.fake, { text: 'export post:channel' });
    expect((await post(h.eventsUrl, body, signedHeaders(body))).status).toBe(200);
    await h.adapter.idle();
    const uploads = h.fake.accepted('files.completeUploadExternal');
    expect(uploads).toHaveLength(1);
    expect(uploads[0]?.params.channel_id).toBe(`D${ASKER.slice(1)}`);
    expect(h.fake.accepted('chat.postMessage').filter((c) => c.params.channel === 'C0GENERAL')).toHaveLength(1);
    expect(blockText(uploads[0]?.params.blocks)).toContain('Files go only to the person who asked');
  });
});
