import { readFileSync, createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { fixedClock } from '../../src/core/clock.ts';
import { ConflictError, InvalidInputError } from '../../src/core/errors.ts';
import { ingestEvents, type IngestEventsOptions } from '../../src/ingest/events.ts';
import { sourceLines } from '../../src/ingest/events-lines.ts';
import { guardWorkspace, recordImport } from '../../src/ingest/workspace-guard.ts';
import { silentLogger } from '../../src/log.ts';
import { APPS, MODELS, SKILLS, TASK_TYPES, TOOLS, TOPICS } from '../../src/demo/vocabulary.ts';
import type { Db } from '../../src/store/schema.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';

const FIXTURES = new URL('../fixtures/events/', import.meta.url);
const fixture = (name: string) => new URL(name, FIXTURES).pathname;
const NOW = new Date('2025-11-10T12:00:00Z');
const options = (sourceName = 'events.ndjson', extra: Partial<IngestEventsOptions> = {}): IngestEventsOptions => ({
  clock: fixedClock(NOW),
  logger: silentLogger(),
  sourceName,
  ...extra,
});

const AAA = 'user-aaaaaaaaaaaaaaaaaaaaaaaa';
const BBB = 'user-bbbbbbbbbbbbbbbbbbbbbbbb';
const CCC = 'user-cccccccccccccccccccccccc';

/** The roll-up of valid-12.ndjson, worked out by hand from its twelve lines. */
const base = {
  report_id: null,
  is_active: null,
  grain: 'day',
  messages_rank: null,
  projects_created: 0,
  credits_used: null,
};
const day = (d: string) => ({
  period_start: d,
  period_end: d,
  first_day_active_in_period: d,
  last_day_active_in_period: d,
  last_day_active: d,
});
const EXPECTED_FACTS = [
  {
    // e01 e02 e03 (10:00+01:00 = 09:00Z) e04 (00:30+01:00 on the 4th = 23:30Z on the 3rd)
    ...base, ...day('2025-11-03'), public_id: AAA,
    messages: 4,
    gpt_messages: 2, gpts_messaged: 1,
    tool_messages: 2, tools_messaged: 2,
    project_messages: 1, projects_messaged: 1,
    skill_messages: 1, app_messages: 0,
    model_to_messages: { 'gpt-5': 3, 'gpt-5-thinking': 1 },
    gpt_to_messages: { 'g-alpha': 2 },
    tool_to_messages: { Search: 1, 'Data Analysis': 1 },
    project_to_messages: { 'g-p-one': 1 },
    skill_to_messages: { summarize: 1 },
    app_to_messages: {},
  },
  {
    // e05
    ...base, ...day('2025-11-04'), public_id: AAA,
    messages: 1,
    gpt_messages: 0, gpts_messaged: 0,
    tool_messages: 1, tools_messaged: 1,
    project_messages: 0, projects_messaged: 0,
    skill_messages: 0, app_messages: 1,
    model_to_messages: { 'gpt-5': 1 },
    gpt_to_messages: {},
    tool_to_messages: { Search: 1 },
    project_to_messages: {},
    skill_to_messages: {},
    app_to_messages: { Jira: 1 },
  },
  {
    // e06 e07
    ...base, ...day('2025-11-03'), public_id: BBB,
    messages: 2,
    gpt_messages: 1, gpts_messaged: 1,
    tool_messages: 2, tools_messaged: 2,
    project_messages: 0, projects_messaged: 0,
    skill_messages: 0, app_messages: 0,
    model_to_messages: { 'gpt-5': 2 },
    gpt_to_messages: { 'g-beta': 1 },
    tool_to_messages: { Search: 1, 'Image Gen': 1 },
    project_to_messages: {},
    skill_to_messages: {},
    app_to_messages: {},
  },
  {
    // e08 (23:45-02:00 on the 3rd = 01:45Z on the 4th) e09
    ...base, ...day('2025-11-04'), public_id: BBB,
    messages: 2,
    gpt_messages: 1, gpts_messaged: 1,
    tool_messages: 1, tools_messaged: 1,
    project_messages: 1, projects_messaged: 1,
    skill_messages: 2, app_messages: 1,
    model_to_messages: { 'gpt-5-mini': 2 },
    gpt_to_messages: { 'g-beta': 1 },
    tool_to_messages: { Canvas: 1 },
    project_to_messages: { 'g-p-two': 1 },
    skill_to_messages: { summarize: 1, translate: 1 },
    app_to_messages: { Drive: 1 },
  },
  {
    // e10 (no model) e11 e12
    ...base, ...day('2025-11-04'), public_id: CCC,
    messages: 3,
    gpt_messages: 1, gpts_messaged: 1,
    tool_messages: 2, tools_messaged: 1,
    project_messages: 0, projects_messaged: 0,
    skill_messages: 0, app_messages: 1,
    model_to_messages: { 'gpt-5': 2 },
    gpt_to_messages: { 'g-alpha': 1 },
    tool_to_messages: { Search: 2 },
    project_to_messages: {},
    skill_to_messages: {},
    app_to_messages: { Jira: 1 },
  },
];

async function facts(db: Db) {
  return db
    .selectFrom('user_facts')
    .selectAll()
    .orderBy('public_id')
    .orderBy('period_start')
    .execute();
}

async function counts(db: Db) {
  const { rows } = await sql<{ events: number; facts: number; imports: number }>`
    select (select count(*) from events) as events,
           (select count(*) from user_facts) as facts,
           (select count(*) from import_log) as imports`.execute(db);
  return rows[0];
}

/** A directory import naming AAA and BBB (CCC stays unknown). */
async function seedDirectory(db: Db) {
  const importId = await recordImport(db, { kind: 'directory', source: 'directory.csv', rows: 2, at: NOW });
  const snapshot = await db
    .insertInto('directory_snapshots')
    .values({ report_id: null, source: 'directory', period_start: '2025-11-01', as_of: '2025-11-01', import_id: importId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('directory_accounts')
    .values(
      [AAA, BBB].map((id, position) => ({
        snapshot_id: snapshot.id,
        account_key: id,
        public_id: id,
        name: null,
        email: null,
        email_key: null,
        role: null,
        user_role: 'standard-user',
        department: null,
        group_ids: [],
        user_status: 'enabled',
        created_or_invited_date: '2025-01-01',
        last_day_active: null,
        position,
      })),
    )
    .execute();
}

function lines(...objects: unknown[]): string[] {
  return objects.map((o) => (typeof o === 'string' ? o : JSON.stringify(o)));
}

const event = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  ts: '2025-11-05T10:00:00Z',
  user: AAA,
  conversation_id: 'c-x',
  ...overrides,
});

async function rejection(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

describe('event source lines', () => {
  async function collect(chunks: Buffer[]) {
    const out: unknown[] = [];
    for await (const group of sourceLines(Readable.from(chunks))) out.push(...group);
    return out;
  }

  it('numbers the same lines however the bytes are chunked', async () => {
    const text = '\ufeff{"a":1}\r\n\nnaïve ☕ 数据\n\r\n' + 'x'.repeat(70) + '\n{"last":true}';
    const expected = [
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '' },
      { line: 3, text: 'naïve ☕ 数据' },
      { line: 4, text: '' },
      { line: 5, text: 'x'.repeat(70) },
      { line: 6, text: '{"last":true}' },
    ];
    const bytes = Buffer.from(text, 'utf8');
    expect(await collect([bytes])).toEqual(expected);
    for (const size of [1, 2, 3, 5, 8, 13, 64]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(await collect(chunks)).toEqual(expected);
    }
    expect(await collect([Buffer.from(`${text}\n`)])).toEqual(expected);
    expect(await collect([])).toEqual([]);
  });

  it('reports a bad byte and an over-long line on their own lines', async () => {
    const long = Buffer.alloc(70 * 1024, 0x61);
    const chunks = [Buffer.from('ok\n'), Buffer.from([0x61, 0xff, 0x0a]), long.subarray(0, 40_000), long.subarray(40_000), Buffer.from('\nend\n')];
    expect(await collect(chunks)).toEqual([
      { line: 1, text: 'ok' },
      { line: 2, problem: 'line is not valid UTF-8' },
      { line: 3, problem: 'line is longer than 65536 bytes' },
      { line: 4, text: 'end' },
    ]);
  });
});

describe.each(backends())('event ingest on %s', (backend) => {
  let store: TestStore;
  let db: Db;
  beforeAll(async () => {
    store = await openTestStore(backend);
    db = store.db;
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await clearStore(db);
  });

  it('stores twelve events and rolls them up into hand-computed day facts', async () => {
    await seedDirectory(db);
    const summary = await ingestEvents(db, createReadStream(fixture('valid-12.ndjson')), options());
    expect(summary).toMatchObject({
      source: 'events.ndjson',
      rows: 12,
      accepted: 12,
      duplicates: 0,
      unknownUsers: { count: 1, events: 3, sample: [CCC] },
      days: { count: 2, first: '2025-11-03', last: '2025-11-04' },
      userDays: 5,
      replacedDemo: false,
    });
    expect(await facts(db)).toEqual(EXPECTED_FACTS);

    const stored = await db.selectFrom('events').selectAll().orderBy('id').execute();
    expect(stored.map((e) => [e.id, e.day, e.public_id])).toEqual([
      ['e01', '2025-11-03', AAA],
      ['e02', '2025-11-03', AAA],
      ['e03', '2025-11-03', AAA],
      ['e04', '2025-11-03', AAA],
      ['e05', '2025-11-04', AAA],
      ['e06', '2025-11-03', BBB],
      ['e07', '2025-11-03', BBB],
      ['e08', '2025-11-04', BBB],
      ['e09', '2025-11-04', BBB],
      ['e10', '2025-11-04', CCC],
      ['e11', '2025-11-04', CCC],
      ['e12', '2025-11-04', CCC],
    ]);
    const e03 = stored[2]!;
    expect(new Date(e03.ts).toISOString()).toBe('2025-11-03T09:00:00.000Z');
    expect(new Date(stored[4]!.ts).toISOString()).toBe('2025-11-04T08:00:00.250Z');
    expect(stored[11]).toMatchObject({ conversation_id: 'c7', task_type: 'analysis', topic: 'finance', gpt_id: null });
    expect(stored[1]).toMatchObject({ task_type: 'writing', topic: null });

    const log = await db.selectFrom('import_log').selectAll().where('kind', '=', 'events').execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ source: 'events.ndjson', rows: 12 });
    expect(log[0]!.detail).toMatchObject({ events_read: 12, duplicates: 0, unknown_users: 1 });
    expect(new Date(log[0]!.imported_at).toISOString()).toBe(NOW.toISOString());
    const ws = await db.selectFrom('workspace').selectAll().executeTakeFirstOrThrow();
    expect(ws.usage_source).toBe('events');
  });

  it('changes no number when the same file is ingested twice', async () => {
    await ingestEvents(db, createReadStream(fixture('valid-12.ndjson')), options());
    const before = await facts(db);
    const again = await ingestEvents(db, createReadStream(fixture('valid-12.ndjson')), options());
    expect(again).toMatchObject({ rows: 12, accepted: 0, duplicates: 12, userDays: 0 });
    expect(await facts(db)).toEqual(before);
    expect(await facts(db)).toEqual(EXPECTED_FACTS);
    expect(await counts(db)).toEqual({ events: 12, facts: 5, imports: 2 });
  });

  it('recomputes a day from all its stored events when new ones arrive', async () => {
    await ingestEvents(db, createReadStream(fixture('valid-12.ndjson')), options());
    // e05 again (ignored) and two new events for AAA on the 4th, one with a new tool.
    const summary = await ingestEvents(
      db,
      lines(
        readFileSync(fixture('valid-12.ndjson'), 'utf8').split('\n')[5]!,
        event('e13', { ts: '2025-11-04T18:00:00Z', tool: 'Canvas', model: 'gpt-5' }),
        event('e14', { ts: '2025-11-04T19:00:00Z', tool: 'Search', gpt_id: 'g-alpha' }),
      ),
      options('more.ndjson'),
    );
    expect(summary).toMatchObject({ rows: 3, accepted: 2, duplicates: 1, userDays: 1 });
    const aaa4 = (await facts(db)).find((f) => f.public_id === AAA && f.period_start === '2025-11-04');
    expect(aaa4).toMatchObject({
      messages: 3,
      gpt_messages: 1,
      gpts_messaged: 1,
      tool_messages: 3,
      tools_messaged: 2,
      app_messages: 1,
      model_to_messages: { 'gpt-5': 2 },
      tool_to_messages: { Search: 2, Canvas: 1 },
      gpt_to_messages: { 'g-alpha': 1 },
    });
    // The other four rows are untouched.
    const others = (f: { public_id: string; period_start: string }) => !(f.public_id === AAA && f.period_start === '2025-11-04');
    expect((await facts(db)).filter(others)).toEqual(EXPECTED_FACTS.filter(others));
  });

  it('counts an identical repeat inside one file as a duplicate, once', async () => {
    const summary = await ingestEvents(
      db,
      lines(event('d1', { tool: 'Search' }), event('d1', { tool: 'Search', project_id: null }), event('d2')),
      options(),
    );
    expect(summary).toMatchObject({ rows: 3, accepted: 2, duplicates: 1 });
    expect(await facts(db)).toMatchObject([{ public_id: AAA, messages: 2, tool_messages: 1 }]);
  });

  it('stores ids holding backslashes, quotes and COPY-like sequences exactly as written', async () => {
    // The events go in through COPY's text format, where `\` escapes and `\N` is null.
    const ids = ['a\\b', '\\N', 'q"u\'o', 'tab\\tlf\\n', 'end\\'];
    const first = await ingestEvents(db, lines(...ids.map((id) => event(id, { user: `u\\${id}`, conversation_id: `c\\N${id}` }))), options());
    expect(first).toMatchObject({ accepted: 5, duplicates: 0 });
    // Ingested again with one new event: every id of the batch is looked up before the COPY.
    const again = await ingestEvents(db, lines(...ids.map((id) => event(id, { user: `u\\${id}`, conversation_id: `c\\N${id}` })), event('new\\')), options());
    expect(again).toMatchObject({ accepted: 1, duplicates: 5 });
    const stored = await db.selectFrom('events').select(['id', 'public_id', 'conversation_id', 'gpt_id']).orderBy('id').execute();
    expect(stored).toEqual(
      [...ids, 'new\\']
        .map((id) => ({ id, public_id: id === 'new\\' ? AAA : `u\\${id}`, conversation_id: id === 'new\\' ? 'c-x' : `c\\N${id}`, gpt_id: null }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    );
  });

  it('counts ids holding quotes and backslashes into the day facts exactly as written', async () => {
    // The day facts go to their staging table through COPY too, maps as JSON text.
    const gpt = 'g"q\\b\\N';
    await ingestEvents(db, lines(event('m1', { gpt_id: gpt, project_id: 'p\\' }), event('m2', { gpt_id: gpt })), options());
    expect(await facts(db)).toMatchObject([
      { public_id: AAA, messages: 2, gpt_messages: 2, gpts_messaged: 1, gpt_to_messages: { [gpt]: 2 }, project_to_messages: { 'p\\': 1 } },
    ]);
  });

  it('treats an equal instant written in another offset as the same event', async () => {
    const summary = await ingestEvents(
      db,
      lines(event('t1', { ts: '2025-11-05T10:00:00Z' }), event('t1', { ts: '2025-11-05T11:00:00.000+01:00' })),
      options(),
    );
    expect(summary).toMatchObject({ rows: 2, accepted: 1, duplicates: 1 });
  });

  it('reads CRLF lines and a UTF-8 BOM', async () => {
    const summary = await ingestEvents(db, createReadStream(fixture('crlf-bom.ndjson')), options());
    expect(summary).toMatchObject({ rows: 2, accepted: 2 });
    expect(await facts(db)).toMatchObject([{ public_id: AAA, period_start: '2025-11-05', messages: 2, tool_messages: 1 }]);
  });

  it('splits lines across stream chunks at any byte, multi-byte characters included', async () => {
    const text = `${JSON.stringify(event('u1', { topic: 'café 𝔸 数据' }))}\n\n${JSON.stringify(event('u2'))}`;
    const bytes = Buffer.from(text, 'utf8');
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
    const summary = await ingestEvents(db, Readable.from(chunks), options());
    expect(summary).toMatchObject({ rows: 2, accepted: 2 });
    const stored = await db.selectFrom('events').select('topic').where('id', '=', 'u1').executeTakeFirstOrThrow();
    expect(stored.topic).toBe('café 𝔸 数据');
  });

  it('rejects a file with every kind of bad line, naming each physical line, and stores nothing', async () => {
    const error = await rejection(ingestEvents(db, createReadStream(fixture('invalid.ndjson')), options('invalid.ndjson')));
    expect(error.totalProblems).toBe(16);
    const got = error.problems.map((p) => [p.line, p.message]);
    const expected: [number, RegExp][] = [
      [2, /^not valid JSON \(.*\); each line must be one JSON object$/],
      [3, /^user is required$/],
      [4, /^ts "2025-11-03T09:00:00" has no UTC offset/],
      [5, /^field "text" is refused: wsa never accepts message text/],
      [6, /^user must be a string, not a number$/],
      [6, /^tool must be a string or null, not a number$/],
      [8, /^ts "2025-02-30T09:00:00Z" is not a real date$/],
      [9, /^must be a JSON object, not an array$/],
      [10, /^unknown field "foo" \(allowed: id, ts, user, conversation_id, gpt_id/],
      [11, /^conversation_id is empty$/],
      [12, /^id "x01" was already used on line 1 with different content$/],
      [13, /^ts "2025-11-03" is a date without a time/],
      [14, /^field "prompt" is refused/],
      [14, /^ts must be a string, not a number$/],
      [15, /^model must be a string or null, not an object$/],
      [15, /^ts "2025-11-03T25:00:00Z" is not a real time of day$/],
    ];
    expect(got).toHaveLength(expected.length);
    expected.forEach(([line, message], i) => {
      expect(got[i]![0]).toBe(line);
      expect(got[i]![1]).toMatch(message);
    });
    expect(error.message).toMatch(/^invalid\.ndjson was rejected, nothing was imported \(16 problems\):\n {2}line 2: /);
    // The problems never echo the refused text.
    expect(JSON.stringify(error.problems)).not.toContain('secret words');
    expect(JSON.stringify(error.problems)).not.toContain('hello');
    expect(await counts(db)).toEqual({ events: 0, facts: 0, imports: 0 });
    expect(await db.selectFrom('workspace').selectAll().execute()).toEqual([]);
  });

  it.each([
    ['an offset-less time with a space', '2025-11-03 09:00:00', /has no UTC offset/],
    ['29 February in a common year', '2025-02-29T09:00:00Z', /is not a real date/],
    ['a month 13', '2025-13-01T09:00:00Z', /is not a real date/],
    ['minute 60', '2025-11-03T09:60:00Z', /is not a real time of day/],
    ['an offset of 25 hours', '2025-11-03T09:00:00+25:00', /impossible UTC offset/],
    ['a time far in the future', '2025-11-20T09:00:00Z', /more than a day in the future/],
    ['a time before 2000', '1970-01-01T00:00:00Z', /is before 2000-01-01/],
    ['words', 'yesterday', /is not an ISO-8601 timestamp/],
  ])('rejects ts as %s', async (_name, ts, message) => {
    const error = await rejection(ingestEvents(db, lines(event('a', { ts })), options()));
    expect(error.problems).toEqual([{ line: 1, message: expect.stringMatching(message) }]);
  });

  it.each([
    ['29 February in a leap year', '2024-02-29T09:00:00Z', '2024-02-29'],
    ['a minute-precision time', '2025-11-03T09:00Z', '2025-11-03'],
    ['a lower-case z', '2025-11-03t09:00:00z', '2025-11-03'],
    ['a compact offset', '2025-11-03T01:00:00+0230', '2025-11-02'],
    ['an hours-only offset', '2025-11-03T22:00:00-05', '2025-11-04'],
    ['nanoseconds', '2025-11-03T09:00:00.123456789Z', '2025-11-03'],
  ])('accepts ts with %s', async (_name, ts, expectedDay) => {
    const summary = await ingestEvents(db, lines(event('a', { ts })), options());
    expect(summary.days).toEqual({ count: 1, first: expectedDay, last: expectedDay });
  });

  it.each([
    ['a NUL character', { user: 'user-\u0000' }, /user contains a control character/],
    ['a lone surrogate escape', { id: 'id-\ud800' }, /id contains a lone surrogate escape/],
    ['an over-long value', { topic: 'x'.repeat(257) }, /topic is longer than 256 characters/],
    ['content', { content: 'x' }, /field "content" is refused/],
    ['a null id', { id: null }, /id is required/],
    ['a boolean conversation', { conversation_id: true }, /conversation_id must be a string, not a boolean/],
  ])('rejects an event with %s', async (_name, overrides, message) => {
    const error = await rejection(ingestEvents(db, lines(event('a', overrides)), options()));
    expect(error.problems.map((p) => p.message)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ['topic', 'How do I fire someone without HR knowing?'],
    ['topic', 'Draft a reply to Sam, he is upset'],
    ['task_type', 'summarise this; then translate'],
    ['skill', 'say "hello"'],
    ['app', 'Wow!'],
    ['model', 'gpt, but faster'],
    ['tool', 'x'.repeat(65)],
    ['topic', ' leading space'],
  ])('refuses %s %j as a label, naming the line and not echoing the value', async (field, value) => {
    const error = await rejection(ingestEvents(db, lines(event('ok'), event('a', { [field]: value })), options()));
    expect(error.problems).toEqual([{ line: 2, message: expect.stringMatching(new RegExp(`^${field} must be a short name \\(at most 64 characters`)) }]);
    expect(JSON.stringify(error.problems)).not.toContain(value.slice(1, 12));
    expect(await counts(db)).toEqual({ events: 0, facts: 0, imports: 0 });
  });

  it('accepts short names as labels, and every label of the demo vocabulary', async () => {
    const names = ['Data Analysis', 'gpt-4.1', 'C++', 'R&D (EMEA)', 'data_extraction', 'v2/beta:fast', 'C#', 'Ingénierie', '営業', 'x'.repeat(64)];
    const vocabulary = [...MODELS, ...TOOLS, ...SKILLS, ...APPS, ...TASK_TYPES, ...TOPICS];
    const all = [...names, ...vocabulary];
    const summary = await ingestEvents(
      db,
      lines(...all.map((label, i) => event(`l${i}`, { topic: label, tool: label, skill: label, app: label, model: label, task_type: label }))),
      options(),
    );
    expect(summary.accepted).toBe(all.length);
  });

  it('lists the first 20 problems and counts the rest', async () => {
    const bad = Array.from({ length: 25 }, (_, i) => event(`b${i}`, { ts: '2025-11-03T09:00:00' }));
    const error = await rejection(ingestEvents(db, lines(event('ok'), ...bad), options()));
    expect(error.problems).toHaveLength(20);
    expect(error.totalProblems).toBe(25);
    expect(error.problems[0]!.line).toBe(2);
    expect(error.problems[19]!.line).toBe(21);
    expect(error.message).toContain('… and 5 more');
    expect(await counts(db)).toEqual({ events: 0, facts: 0, imports: 0 });
  });

  it('refuses a source with more events than it may hold, naming the first line past the limit', async () => {
    const error = await rejection(
      ingestEvents(db, lines(event('m1'), '', event('m2'), event('m2'), event('m3'), event('m4')), options('big.ndjson', { maxEvents: 2 })),
    );
    expect(error.problems).toEqual([{ line: 5, message: expect.stringMatching(/^more than 2 events in one source; split it/) }]);
    expect(await counts(db)).toEqual({ events: 0, facts: 0, imports: 0 });
  });

  it('rejects an empty source and invalid UTF-8', async () => {
    const empty = await rejection(ingestEvents(db, ['', '   '], options()));
    expect(empty.problems).toEqual([{ line: 0, message: expect.stringMatching(/holds no events/) }]);
    const good = Buffer.from(`${JSON.stringify(event('v1'))}\n`);
    const broken = Buffer.concat([good, Buffer.from('{"id":"v2","ts":"2025-11-05T10:00:00Z","user":"'), Buffer.from([0xff, 0x22, 0x7d, 0x0a])]);
    const utf8 = await rejection(ingestEvents(db, Readable.from([broken]), options()));
    expect(utf8.problems).toEqual([{ line: 2, message: 'line is not valid UTF-8' }]);
  });

  it('keeps events of users the directory does not know, and reports them', async () => {
    await seedDirectory(db);
    const summary = await ingestEvents(
      db,
      lines(event('k1', { user: AAA }), event('k2', { user: 'user-zzz' }), event('k3', { user: 'user-zzz' }), event('k4', { user: 'user-yyy' })),
      options(),
    );
    expect(summary.unknownUsers).toEqual({ count: 2, events: 3, sample: ['user-yyy', 'user-zzz'] });
    const rows = await facts(db);
    expect(rows.map((f) => [f.public_id, f.messages])).toEqual([
      [AAA, 1],
      ['user-yyy', 1],
      ['user-zzz', 2],
    ]);
  });

  it('is refused in a store fed by Users reports, and writes nothing', async () => {
    await db.transaction().execute((tx) => guardWorkspace(tx, { usageSource: 'exports', source: 'users.csv' }));
    const error = await ingestEvents(db, createReadStream(fixture('valid-12.ndjson')), options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/usage events, but this store's usage comes from ChatGPT Users reports/);
    expect(await counts(db)).toEqual({ events: 0, facts: 0, imports: 0 });
  });

  it('makes a store refuse Users reports afterwards', async () => {
    await ingestEvents(db, createReadStream(fixture('valid-12.ndjson')), options());
    const error = await db
      .transaction()
      .execute((tx) => guardWorkspace(tx, { usageSource: 'exports', source: 'users.csv' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/users\.csv is a Users report, but this store's usage comes from usage events/);
  });

  it('replaces a demo-only store on the first real ingest, and says so', async () => {
    await ingestEvents(db, lines(event('demo-1'), event('demo-2')), options('demo', { demo: true }));
    expect((await db.selectFrom('workspace').select('demo_only').executeTakeFirstOrThrow()).demo_only).toBe(true);
    const summary = await ingestEvents(db, lines(event('real-1')), options('real.ndjson'));
    expect(summary.replacedDemo).toBe(true);
    expect((await db.selectFrom('events').select('id').execute()).map((e) => e.id)).toEqual(['real-1']);
    expect(await facts(db)).toMatchObject([{ public_id: AAA, messages: 1 }]);
  });

  it('runs inside a caller transaction, and rolls back with it', async () => {
    const error = await db
      .transaction()
      .execute(async (tx) => {
        await ingestEvents(tx, lines(event('r1')), options());
        throw new Error('caller failed');
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('caller failed');
    expect(await counts(db)).toEqual({ events: 0, facts: 0, imports: 0 });
  });
});
