/**
 * `/wsa export` through the real Bolt receiver, the real core and a real store, against the fake
 * Slack Web API on loopback (docs/design.md §7 "Exports"): the CSV goes up into the asker's DM
 * with the bot and nowhere else; the channel asked in gets only a note visible to the asker; a
 * member is refused and the refusal audited; every export is audited with type, range and rows.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import { silentLogger } from '../../src/log.ts';
import { coreAnswer } from '../../src/adapters/slack/core-answer.ts';
import { readAudit } from '../../src/store/audit.ts';
import { sql } from 'kysely';
import { openTestStore, type TestStore } from '../support/store.ts';
import { fixtureText, importText } from '../ingest/support/import-helpers.ts';
import { ASKER, CHANNEL, post, signedHeaders, slashCommandBody, startHarness, type Harness } from './harness.ts';

const clock = fixedClock(new Date('2025-11-20T09:00:00Z'));
const MEMBER = 'U0MEMBER';

describe('/wsa export on Slack', () => {
  let store: TestStore;
  let h: Harness;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    // October 2025: Zoë is the owner, José a standard user.
    await importText(store.db, 'oct.csv', fixtureText('users-monthly-oct.csv'));
    h = await startHarness({
      fake: { users: { [ASKER]: 'zoe.obrien@example.com', [MEMBER]: 'jose.garcia@example.com' } },
      adapter: { answer: coreAnswer({ db: store.db, clock, logger: silentLogger(), registry }) },
    });
  });
  afterAll(async () => {
    await h?.close();
    await store?.close();
  });
  afterEach(async () => {
    await h.adapter.idle();
    h.fake.reset();
    await sql`truncate audit_log`.execute(store.db);
  });

  async function command(text: string, user = ASKER) {
    const body = slashCommandBody(h.fake, { text, user_id: user });
    expect((await post(h.eventsUrl, body, signedHeaders(body))).status).toBe(200);
    await h.adapter.idle();
  }

  /** Every conversation a message or file went into, ephemeral notes apart. */
  function postedInto(): string[] {
    return [
      ...h.fake.calls.filter((c) => c.method === 'chat.postMessage').map((c) => String(c.params.channel)),
      ...h.fake.calls.filter((c) => c.method === 'files.completeUploadExternal').map((c) => String(c.params.channel_id)),
    ];
  }

  it('uploads last month\'s Users report into the asker\'s DM and only notes it in the channel', async () => {
    await command('export users last-month');
    const [complete] = h.fake.accepted('files.completeUploadExternal');
    expect(complete?.params.channel_id).toBe(`D${ASKER.slice(1)}`);
    expect(postedInto().every((c) => c.startsWith('D'))).toBe(true);
    expect(postedInto()).not.toContain(CHANNEL);
    // The file is the October report, its length declared up front.
    expect(h.fake.uploads).toHaveLength(1);
    const upload = h.fake.uploads[0]!;
    expect(h.fake.accepted('files.getUploadURLExternal').map((c) => c.params.filename)).toEqual(['users-2025-10-01-to-2025-10-31.csv']);
    expect(upload.declaredLength).toBe(upload.bytes.length);
    const rows = parse(upload.bytes.toString('utf8')) as string[][];
    const source = parse(fixtureText('users-monthly-oct.csv'), { bom: true }) as string[][];
    expect(rows.map((r) => r.slice(0, 8))).toEqual(source.map((r) => r.slice(0, 8)));
    // Where they asked: a note only they see, saying the file went to the DM.
    const notes = [...h.fake.responses.map((r) => JSON.stringify(r.body)), ...h.fake.calls.filter((c) => c.method === 'chat.postEphemeral').map((c) => JSON.stringify(c.params))];
    expect(notes.join('\n')).toMatch(/direct messages/);
    const audit = await readAudit(store.db);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'zoe.obrien@example.com',
      platform: 'slack',
      command: 'export',
      decision: 'allowed',
      channelId: CHANNEL,
      export: { type: 'users', start: '2025-10-01', end: '2025-10-31', rows: 3 },
    });
  });

  it('refuses post:channel and sends no file anywhere', async () => {
    await command('export users last-month post:channel');
    expect(h.fake.uploads).toHaveLength(0);
    expect(postedInto()).not.toContain(CHANNEL);
    expect(JSON.stringify(h.fake.responses.map((r) => r.body))).toMatch(/only privately/);
  });

  it('refuses a member, audits the refusal and sends no file', async () => {
    await command('export users last-month', MEMBER);
    expect(h.fake.uploads).toHaveLength(0);
    expect(JSON.stringify(h.fake.responses.map((r) => r.body))).toMatch(/Exporting reports needs the owner or admin role/);
    const audit = await readAudit(store.db);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'jose.garcia@example.com', command: 'export', decision: 'denied', export: null });
  });
});
