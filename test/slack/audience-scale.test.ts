/**
 * The micro-measure of docs/design.md §7's audience decision for a 5,000-member Slack channel: the
 * real channel-readers module through the WebClient against the fake Slack Web API on loopback
 * (conversations.members and users.list, 1,000 a page), then the core's judgement against a
 * directory of 5,000 accounts in the real store. Every reader is an admin, so every one is
 * checked (the worst case). Cold (nothing cached) the decision comes back by the deadline
 * whatever happens — the full form when the roster came in time, else the aggregate form — and
 * the roster keeps loading into the cache; warm (roster and user list cached) it is the full
 * form, well within the deadline. The figures are printed (this test shares one process, and on a
 * busy machine two cores, with the fake Slack and the embedded store).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { AUDIENCE_DEADLINE_MS, decideAudience, judgeReaders } from '../../src/core/access/audience.ts';
import { createChannelReaders } from '../../src/adapters/slack/channel-readers.ts';
import { WEB_CLIENT_RETRY_OPTIONS } from '../../src/adapters/slack/slack-call.ts';
import { silentLogger } from '../../src/log.ts';
import { addDirectorySnapshot } from '../answers/support.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';

const MEMBERS = 5_000;
const CHANNEL = 'C0BIG';
const ids = Array.from({ length: MEMBERS }, (_, i) => `U${String(i).padStart(6, '0')}`);
const email = (i: number) => `person${i}@example.com`;

describe.each(backends())('the audience of a 5,000-member channel on %s', (backend) => {
  let store: TestStore;
  let fake: FakeSlack;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
    await addDirectorySnapshot(store.db, '2026-11-21', ids.map((_, i) => ({ email: email(i), user_role: 'account-admin' })));
    fake = await startFakeSlack({
      users: Object.fromEntries(ids.map((id, i) => [id, email(i)])),
      bots: ['U0APP'],
      channels: { [CHANNEL]: [...ids, 'UBOT', 'U0APP'] },
    });
  }, 120_000);
  afterAll(async () => {
    await fake?.close();
    await store?.close();
  });

  it('decides within the deadline cold, and in a few milliseconds warm', async () => {
    const client = new webApi.WebClient(fake.options.botToken, { slackApiUrl: fake.apiUrl, ...WEB_CLIENT_RETRY_OPTIONS, retryConfig: { retries: 0 } });
    const readers = createChannelReaders({ client, logger: silentLogger() });
    const decide = async () => {
      const started = performance.now();
      const decision = await decideAudience(store.db, () => readers.readersOf(CHANNEL, 'T0001'));
      return { decision, ms: performance.now() - started };
    };
    const cold = await decide();
    const warm = [];
    for (let i = 0; i < 5; i += 1) warm.push((await decide()).ms);
    warm.sort((a, b) => a - b);
    const median = warm[2]!;
    const list = await readers.readersOf(CHANNEL, 'T0001');
    const judged = [];
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      await judgeReaders(store.db, list);
      judged.push(performance.now() - started);
    }
    judged.sort((a, b) => a - b);
    process.stdout.write(
      `audience of a ${MEMBERS}-member channel on ${backend}: cold ${cold.ms.toFixed(0)} ms ` +
        `(${fake.attempts('conversations.members').length} conversations.members + ${fake.attempts('users.list').length} users.list pages), ` +
        `warm median ${median.toFixed(1)} ms, of which the directory and grants ${judged[2]!.toFixed(1)} ms\n`,
    );
    expect(cold.ms).toBeLessThan(AUDIENCE_DEADLINE_MS + 250);
    if (cold.ms < AUDIENCE_DEADLINE_MS - 50) expect(cold.decision).toMatchObject({ form: 'full', readers: MEMBERS, limited: 0 });
    else expect(cold.decision.form).toBe('aggregate');
    expect(fake.attempts('conversations.members')).toHaveLength(6); // 5,002 members, 1,000 a page
    expect(fake.attempts('users.list')).toHaveLength(6); // 5,000 people, an app and the bot
    expect((await decide()).decision).toMatchObject({ form: 'full', readers: MEMBERS, limited: 0 });
    expect(median).toBeLessThan(AUDIENCE_DEADLINE_MS / 2);
  }, 60_000);
});
