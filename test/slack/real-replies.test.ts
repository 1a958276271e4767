/**
 * The contract between the core and the Slack renderer: every command of the registry, answered
 * by the real core on a small generated workspace, renders as valid Block Kit — privately and in
 * the aggregate form the core makes for a channel some of whose readers may not see people.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/core/answer.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import type { Reply } from '../../src/core/reply.ts';
import { silentLogger } from '../../src/log.ts';
import { loadDemo } from '../../src/local/load-demo.ts';
import type { Answered } from '../../src/core/answer.ts';
import { replyMessages } from '../../src/adapters/slack/render-blocks.ts';
import { coreAnswer } from '../../src/adapters/slack/core-answer.ts';
import { backends, openTestStore, type TestStore } from '../support/store.ts';
import { enabledOwnerEmail } from '../support/directory.ts';
import { blockKitProblems, blockText } from './block-kit.ts';

const clock = fixedClock(new Date('2026-11-25T09:00:00Z'));
const EMAIL = /[^\s@<>()"',;|]+@[^\s@<>()"',;|]+\.[a-z]{2,}/i;

describe.each(backends())('real Replies as Block Kit on %s', (backend) => {
  let store: TestStore;
  let owner: string;
  beforeAll(async () => {
    store = await openTestStore(backend);
    const dir = await mkdtemp(join(tmpdir(), 'wsa-slack-replies-'));
    try {
      await loadDemo(store.db, {
        clock,
        logger: silentLogger(),
        dir,
        demo: false,
        generate: { users: 400, weeks: 8, source: 'events', today: '2026-11-25' },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    owner = await enabledOwnerEmail(store.db);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  const texts = registry.commands.flatMap((c) => c.examples.filter((e) => !/^settings .+:/.test(e)));

  it('has examples to render', () => {
    expect(texts.length).toBeGreaterThan(registry.commands.length);
  });

  // Generous: an unknown group (`team:sales` here) takes the core seconds to answer on a busy machine.
  it.each(texts)('%s', { timeout: 120_000 }, async (text) => {
    // the binding the app uses (the message's row limit included)
    const ask = (where: 'direct' | 'channel'): Promise<Answered> =>
      coreAnswer({ db: store.db, clock, logger: silentLogger(), registry })(
        { platform: 'slack', userId: 'U0OWNER', teamId: 'T0TEAM', email: owner },
        text,
        // The owner and someone the directory does not know read the channel.
        { channelId: 'C0CHAN', toChannel: where === 'channel', readers: async () => [owner, 'stranger@example.org'] },
      );

    const { reply } = await ask('direct');
    const messages = replyMessages(reply);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(blockKitProblems(m.blocks)).toEqual([]);
      expect(m.text.length).toBeGreaterThan(0);
    }

    const answered = await ask('channel');
    // (audit is answered only privately: no channel form)
    if (answered.reply.error) return;
    const form = answered.channel;
    expect(form?.form).toBe('aggregate');
    if (!form || form.reply.error) return;
    for (const m of replyMessages(form.reply)) {
      expect(blockKitProblems(m.blocks)).toEqual([]);
      expect(blockText(m.blocks)).not.toMatch(EMAIL);
    }
  });

  it('top-users in a message: the first rows read, and the number of senders the JSON lists', async () => {
    const { reply: slack } = await coreAnswer({ db: store.db, clock, logger: silentLogger(), registry })(
      { platform: 'slack', userId: 'U0OWNER', teamId: 'T0TEAM', email: owner },
      'top-users last-4-weeks',
      { channelId: 'C0CHAN', toChannel: false },
    );
    const json = await answer({ db: store.db, clock, logger: silentLogger(), registry, caller: { kind: 'person', email: owner }, text: 'top-users last-4-weeks' });
    expect(json.rows.length).toBeGreaterThan(15);
    expect(slack.rows).toEqual(json.rows.slice(0, 15));
    const text = blockText(replyMessages(slack).flatMap((m) => m.blocks));
    expect(text).toContain(`Showing 15 of ${json.rows.length.toLocaleString('en-US')} people.`);
    expect(text).toContain(`${json.rows.length.toLocaleString('en-US')} people sent messages`);
  });
});
