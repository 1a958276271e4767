/**
 * `/wsa grant @lead analytics-viewer` from Slack: with `should_escape` the mention arrives as
 * `<@U…|name>`, the adapter turns it into the person's email (users.info) and the core stores the
 * grant; the audit log records the Slack user id of the asker and the channel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import { silentLogger } from '../../src/log.ts';
import { coreAnswer } from '../../src/adapters/slack/core-answer.ts';
import { mentionsToEmails } from '../../src/adapters/slack/command-text.ts';
import { listGrants } from '../../src/store/grants.ts';
import { readAudit } from '../../src/store/audit.ts';
import { addDirectorySnapshot } from '../answers/support.ts';
import { clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { ASKER, ASKER_EMAIL, post, signedHeaders, slashCommandBody, startHarness, type Harness } from './harness.ts';

const clock = fixedClock(new Date('2026-11-25T09:00:00Z'));

describe('mentions to emails', () => {
  it('replaces the mentions it can resolve and leaves the others', async () => {
    const emails: Record<string, string> = { U0LEAD: 'lead@example.com' };
    expect(await mentionsToEmails('grant <@U0LEAD|lead> analytics-viewer <@U0NONE>', async (id) => emails[id] ?? null)).toBe(
      'grant lead@example.com analytics-viewer <@U0NONE>',
    );
  });
});

describe('a grant by @-mention from Slack', () => {
  let store: TestStore;
  let h: Harness;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    await clearStore(store.db);
    await addDirectorySnapshot(store.db, '2026-11-01', [
      { email: ASKER_EMAIL, user_role: 'account-owner' },
      { email: 'lead@example.com', user_role: 'standard-user' },
    ]);
    h = await startHarness({
      fake: { users: { [ASKER]: ASKER_EMAIL, U0LEAD: 'Lead@Example.com' } },
      adapter: { answer: coreAnswer({ db: store.db, clock, logger: silentLogger(), registry }) },
    });
  });
  afterAll(async () => {
    await h?.close();
    await store?.close();
  });

  it('stores the grant for the mentioned person and audits it', async () => {
    const body = slashCommandBody(h.fake, { text: 'grant <@U0LEAD|lead> analytics-viewer' });
    expect((await post(h.eventsUrl, body, signedHeaders(body))).status).toBe(200);
    await h.adapter.idle();
    expect(await listGrants(store.db, 'lead@example.com')).toMatchObject([{ groupId: null, source: 'manual' }]);
    const [entry] = await readAudit(store.db);
    expect(entry).toMatchObject({
      actor: ASKER_EMAIL.toLowerCase(),
      platform: 'slack',
      platformUserId: ASKER,
      command: 'grant',
      decision: 'allowed',
      grantee: 'lead@example.com',
      role: 'analytics-viewer',
    });
    expect(entry?.channelId).toBeTruthy();
  });
});
