/**
 * Signed slash commands into the real Bolt receiver, answered by the real core on a real store:
 * what the asker typed comes back escaped in every text field Slack parses (no mention of the
 * channel, no link in disguise), and help lists every command.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import { silentLogger } from '../../src/log.ts';
import { coreAnswer } from '../../src/adapters/slack/core-answer.ts';
import { addDirectorySnapshot } from '../answers/support.ts';
import { openTestStore, type TestStore } from '../support/store.ts';
import { ASKER, ASKER_EMAIL, appMentionBody, post, signedHeaders, slashCommandBody, startHarness, type Harness } from './harness.ts';

const clock = fixedClock(new Date('2026-11-25T09:00:00Z'));

/** Every `text` string inside blocks, in order. */
function textsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(textsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => (key === 'text' && typeof v === 'string' ? [v] : textsIn(v)));
}

/** The top-level text of a recorded message, then every text of its blocks. */
function parsedTexts(message: Record<string, unknown>): string[] {
  return [String(message.text ?? ''), ...textsIn(message.blocks)];
}

describe('Slack answers from the real core', () => {
  let store: TestStore;
  let h: Harness;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    await addDirectorySnapshot(store.db, '2026-11-01', [{ email: ASKER_EMAIL, user_role: 'account-owner' }]);
    const logger = silentLogger();
    h = await startHarness({
      fake: { users: { [ASKER]: ASKER_EMAIL } },
      adapter: { answer: coreAnswer({ db: store.db, clock, logger, registry }) },
    });
  });
  afterAll(async () => {
    await h?.close();
    await store?.close();
  });
  afterEach(async () => {
    await h.adapter.idle();
    h.fake.reset();
  });

  async function command(text: string) {
    const body = slashCommandBody(h.fake, { text });
    expect((await post(h.eventsUrl, body, signedHeaders(body))).status).toBe(200);
    await h.adapter.idle();
  }

  const INJECTIONS = ['<!channel>', '<!here>', '<!everyone>', '<@U0VICTIM>', '<#C0OTHER>', '<https://evil.example|payslip>'];

  it.each([
    ['an unknown command', (x: string) => x],
    ['a team name', (x: string) => `overview team:"${x}"`],
    ['a destination', (x: string) => `help post:${x}`],
  ])('escapes what the asker typed as %s, in the top-level text and the blocks', async (_what, typed) => {
    for (const injection of INJECTIONS) await command(typed(injection));
    expect(h.fake.responses).toHaveLength(INJECTIONS.length);
    for (const [i, response] of h.fake.responses.entries()) {
      const texts = parsedTexts(response.body);
      const escaped = INJECTIONS[i]!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      expect(texts[0]!.toLowerCase()).toContain(escaped.toLowerCase());
      for (const text of texts) expect(text).not.toMatch(/<[!@#h]/);
    }
  });

  it('escapes the fallback text of a message posted in a channel', async () => {
    const body = appMentionBody(h.fake, { text: `<@${h.fake.options.botUserId}> <!channel> <@U0VICTIM>` });
    expect((await post(h.eventsUrl, body, signedHeaders(body, { contentType: 'application/json' }))).status).toBe(200);
    await h.adapter.idle();
    const [sent] = h.fake.accepted('chat.postEphemeral');
    expect(sent).toBeDefined();
    const texts = parsedTexts(sent!.params);
    expect(texts[0]).toContain('&lt;!channel&gt;');
    for (const text of texts) expect(text).not.toMatch(/<[!@]/);
  });

  it('lists every command in help, with no "showing N of M"', async () => {
    await command('help');
    const [response] = h.fake.responses;
    const text = textsIn(response!.body.blocks).join('\n');
    expect(registry.commands.length).toBeGreaterThan(15);
    for (const c of registry.commands) expect(text).toMatch(new RegExp(`^${c.name}\\b`, 'm'));
    expect(text).not.toMatch(/Showing \d+ of/);
  });
});
