/**
 * What people type never reaches the logs: emails, sentences, long words and `team:` values sent
 * through Slack (signed HTTP into the real Bolt receiver, answered by the real core), the ingest
 * endpoint (POST /api/v1/events on our server) and the real CLI are searched for in everything
 * written to the log (at debug level) and to stderr.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { createLogger } from '../../src/log.ts';
import { coreAnswer } from '../../src/adapters/slack/core-answer.ts';
import { registry } from '../../commands/index.ts';
import { createHttpServer, type HttpServer } from '../../src/server/http.ts';
import { EVENTS_PATH, createEventsHandler } from '../../src/server/events-endpoint.ts';
import { addDirectorySnapshot } from '../answers/support.ts';
import { ASKER, appMentionBody, post, signedHeaders, slashCommandBody, startHarness, type Harness } from '../slack/harness.ts';
import { runWsa } from '../support/cli.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

const NOW = new Date('2026-11-25T09:00:00Z');
const clock = fixedClock(NOW);
const INGEST_TOKEN = 'redaction-test-token-7c1d0e';

/** Each sentinel is what is searched for; the typed text around it is what is sent. */
const SLACK_ASKER_EMAIL = 'asker.sentinel@example.com';
const SLACK_TYPED: Array<{ sentinel: string; text: string }> = [
  { sentinel: 'leak.sentinel.one@example.com', text: 'leak.sentinel.one@example.com' },
  { sentinel: 'quietly draft my resignation', text: '"please quietly draft my resignation letter"' },
  { sentinel: 'sentinellongword', text: `sentinellongword${'q'.repeat(10_000 - 16)}` },
  { sentinel: 'Sentinel Secret Team', text: 'overview team:"Sentinel Secret Team"' },
  { sentinel: 'team.sentinel@example.com', text: 'active-users last-4-weeks team:team.sentinel@example.com' },
  { sentinel: 'sentinel sentence in a known command', text: 'overview "sentinel sentence in a known command"' },
  { sentinel: 'post.sentinel@example.com', text: 'help post:post.sentinel@example.com' },
];
const MENTION_SENTINEL = 'mention.sentinel@example.com';

function sink(lines: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
}

function found(text: string, sentinels: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return sentinels.filter((s) => lower.includes(s.toLowerCase()));
}

describe('logs keep nothing people type', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    await addDirectorySnapshot(store.db, '2026-11-01', [{ email: SLACK_ASKER_EMAIL, user_role: 'account-owner' }]);
  });
  afterAll(async () => {
    await store?.close();
  });

  describe('Slack', () => {
    const logged: string[] = [];
    let h: Harness;
    beforeAll(async () => {
      const logger = createLogger('debug', sink(logged));
      h = await startHarness({
        fake: { users: { [ASKER]: SLACK_ASKER_EMAIL } },
        adapter: { logger, answer: coreAnswer({ db: store.db, clock, logger, registry }) },
      });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('logs known command names, a marker and a length for the rest, and nothing typed', async () => {
      for (const { text } of SLACK_TYPED) {
        const body = slashCommandBody(h.fake, { text });
        expect((await post(h.eventsUrl, body, signedHeaders(body))).status).toBe(200);
      }
      const mention = appMentionBody(h.fake, { text: `<@${h.fake.options.botUserId}> ${MENTION_SENTINEL}` });
      expect((await post(h.eventsUrl, mention, signedHeaders(mention, { contentType: 'application/json' }))).status).toBe(200);
      await h.adapter.idle();

      const log = logged.join('');
      const entries = logged.map((l) => JSON.parse(l) as Record<string, unknown>);
      // The answers were logged: this test looks at real lines.
      const refused = entries.filter((e) => e.msg === 'command.refused');
      expect(refused.length).toBeGreaterThanOrEqual(4);
      expect(refused.filter((e) => e.command === '(unknown)').map((e) => e.typedLength).sort((a, b) => Number(a) - Number(b))).toEqual([
        'mention.sentinel@example.com'.length,
        'leak.sentinel.one@example.com'.length,
        'please quietly draft my resignation letter'.length,
        10_000,
      ]);
      const delivered = entries.filter((e) => e.msg === 'slack.answer.delivered');
      expect(delivered.length).toBeGreaterThanOrEqual(6);
      expect(new Set(delivered.map((e) => e.command))).toEqual(new Set(['(unknown)', 'overview', 'active-users']));
      expect(entries.some((e) => e.msg === 'command.step' && e.step === 'access')).toBe(true);

      const sentinels = [SLACK_ASKER_EMAIL, MENTION_SENTINEL, ...SLACK_TYPED.map((t) => t.sentinel)];
      expect(found(log, sentinels)).toEqual([]);
      // …while the answers themselves did echo them to the asker (so the test sent them).
      expect(found(JSON.stringify(h.fake.responses), ['leak.sentinel.one@example.com', 'Sentinel Secret Team'])).toHaveLength(2);
    }, 60_000);
  });

  describe('ingest', () => {
    const logged: string[] = [];
    let http: HttpServer;
    let url: string;
    beforeAll(async () => {
      const logger = createLogger('debug', sink(logged));
      http = createHttpServer({
        routes: [
          { path: EVENTS_PATH, handler: createEventsHandler({ db: store.db, clock, logger, token: INGEST_TOKEN, maxBytes: 1 << 20 }) },
        ],
        health: { ready: () => true, detail: () => ({}) },
        logger,
      });
      const address: AddressInfo = await http.listen(0, '127.0.0.1');
      url = `http://127.0.0.1:${address.port}${EVENTS_PATH}`;
    });
    afterAll(async () => {
      await http?.close();
    });

    const event = (id: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ id, ts: '2026-11-24T10:00:00Z', user: 'user-redaction', conversation_id: 'c1', ...extra });
    const send = (lines: string[]) =>
      fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${INGEST_TOKEN}`, 'content-type': 'application/x-ndjson' },
        body: `${lines.join('\n')}\n`,
      });

    it('logs counts and statuses, never a field value', async () => {
      const refused = await send([
        event('r1', { topic: 'How do I tell my manager about the layoffs?' }),
        event('r2', { prompt: 'sentinel prompt text zebra' }),
        event('r3', { topic: 'topic.sentinel@example.com' }),
        event('r4', { 'ingest.sentinel@example.com': 1 }),
      ]);
      expect(refused.status).toBe(400);
      const body = await refused.text();
      const accepted = await send([event('a1', { user: 'user.sentinel@example.com', topic: 'Finance' })]);
      expect(accepted.status).toBe(200);

      const entries = logged.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(entries.filter((e) => e.msg === 'ingest.http').map((e) => e.status)).toEqual([400, 200]);
      const sentinels = ['tell my manager', 'sentinel prompt text', 'topic.sentinel@example.com', 'user.sentinel@example.com', 'ingest.sentinel'];
      expect(found(logged.join(''), sentinels)).toEqual([]);
      // The refusal tells the sender which lines, without handing back what they held.
      expect(found(body, sentinels.slice(0, 3))).toEqual([]);
    });
  });

  describe('CLI', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'wsa-redaction-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('writes no typed text to stderr at debug level, and times each step of an answer', async () => {
      const env = { WSA_DATA_DIR: join(dir, 'store'), WSA_NOW: NOW.toISOString(), LOG_LEVEL: 'debug' };
      const events = join(dir, 'events.ndjson');
      await writeFile(
        events,
        `${JSON.stringify({ id: 'e1', ts: '2026-11-24T10:00:00Z', user: 'user-a', conversation_id: 'c', topic: 'Why is cli sentinel sentence refused?' })}\n`,
      );
      const runs = [
        await runWsa(['ask', '--json', 'help'], env),
        await runWsa(['ask', '--json', 'leak.cli.sentinel@example.com'], env),
        await runWsa(['ask', '--json', '--as', 'asker.cli.sentinel@example.com', 'overview team:"Cli Sentinel Team"'], env),
        await runWsa(['ingest', '--json', events], env),
      ];
      expect(runs.map((r) => r.code)).toEqual([0, 1, 1, 1]);
      const stderr = runs.map((r) => r.stderr).join('');
      const steps = stderr
        .split('\n')
        .filter((l) => l.includes('"command.step"'))
        .map((l) => JSON.parse(l) as { command: string; step: string; ms: number });
      expect(steps.filter((s) => s.command === 'help').map((s) => s.step)).toEqual(['parse', 'identity', 'access', 'run']);
      expect(steps.every((s) => typeof s.ms === 'number')).toBe(true);
      const sentinels = ['leak.cli.sentinel@example.com', 'cli sentinel sentence', 'asker.cli.sentinel@example.com', 'Cli Sentinel Team'];
      expect(found(stderr, sentinels)).toEqual([]);
      // The asker still got their answer, on stdout.
      expect(runs[1]!.stdout).toContain('leak.cli.sentinel@example.com');
    }, 180_000);
  });
});
