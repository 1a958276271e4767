/**
 * Event ingest with `writeWhileReading` (how `wsa ingest FILE` and the demo loader run it): the
 * events go to the store batch by batch while the rest of the file is read, in one transaction.
 * Still all or nothing, the same line-numbered problems, the same precedence of a bad file over a
 * refusing store, and day facts equal to what the stored events say (worked out here in plain SQL).
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresQueryCompiler, sql, type KyselyPlugin } from 'kysely';
import { fixedClock } from '../../src/core/clock.ts';
import { ConflictError, InvalidInputError } from '../../src/core/errors.ts';
import { ingestEvents, type IngestEventsOptions } from '../../src/ingest/events.ts';
import { INSERT_BATCH_SIZE } from '../../src/ingest/events-store.ts';
import { guardWorkspace } from '../../src/ingest/workspace-guard.ts';
import { silentLogger } from '../../src/log.ts';
import type { Db } from '../../src/store/schema.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';

const NOW = new Date('2025-11-10T12:00:00Z');
const options = (extra: Partial<IngestEventsOptions> = {}): IngestEventsOptions => ({
  clock: fixedClock(NOW),
  logger: silentLogger(),
  sourceName: 'big.ndjson',
  writeWhileReading: true,
  ...extra,
});

const TOOLS = ['Search', 'Canvas', 'Data Analysis'];
const MODELS = ['gpt-5', 'gpt-5-mini'];

/** Event `i` of a synthetic source: 40 users over 3 days (from `firstDay` of November 2025), labels cycling. */
function event(i: number, prefix = 'e', firstDay = 3): Record<string, string | null> {
  return {
    id: `${prefix}${i}`,
    ts: new Date(Date.UTC(2025, 10, firstDay) + ((i * 7_919) % (3 * 86_400)) * 1000).toISOString(),
    user: `user-${String(i % 40).padStart(3, '0')}`,
    conversation_id: `c-${i % 97}`,
    tool: i % 3 === 0 ? null : TOOLS[i % TOOLS.length]!,
    model: MODELS[i % MODELS.length]!,
    gpt_id: i % 5 === 0 ? `g-${i % 4}` : null,
    project_id: i % 11 === 0 ? `g-p-${i % 3}` : null,
    skill: i % 13 === 0 ? 'summarize' : null,
    app: i % 17 === 0 ? 'Jira' : null,
  };
}

/** Lines as a file's bytes. */
function bytes(lines: string[]): Readable {
  return Readable.from([Buffer.from(`${lines.join('\n')}\n`)]);
}

/** Events [from, to) as lines, with the lines of `replaced` (by index) put in their place. */
function eventLines(from: number, to: number, replaced: Map<number, string> = new Map(), prefix = 'e', firstDay = 3): string[] {
  const lines: string[] = [];
  for (let i = from; i < to; i++) lines.push(replaced.get(i) ?? JSON.stringify(event(i, prefix, firstDay)));
  return lines;
}

const source = (from: number, to: number, replaced?: Map<number, string>) => bytes(eventLines(from, to, replaced));

async function counts(db: Db) {
  const { rows } = await sql<{ events: number; facts: number; imports: number }>`
    select (select count(*)::int from events) as events,
           (select count(*)::int from user_facts) as facts,
           (select count(*)::int from import_log) as imports`.execute(db);
  return rows[0];
}

/** Every day fact as stored, beside the same numbers counted in plain SQL from the stored events. */
async function factsAndRecount(db: Db) {
  const { rows: stored } = await sql`
    select public_id, period_start::text as day, messages, tool_messages, tools_messaged, gpt_messages,
           gpts_messaged, project_messages, projects_messaged, skill_messages, app_messages,
           model_to_messages, tool_to_messages, gpt_to_messages
    from user_facts where grain = 'day' order by public_id, period_start`.execute(db);
  const { rows: recount } = await sql`
    select public_id, day::text as day, count(*)::int as messages,
           count(tool)::int as tool_messages, count(distinct tool)::int as tools_messaged,
           count(gpt_id)::int as gpt_messages, count(distinct gpt_id)::int as gpts_messaged,
           count(project_id)::int as project_messages, count(distinct project_id)::int as projects_messaged,
           count(skill)::int as skill_messages, count(app)::int as app_messages,
           (select coalesce(jsonb_object_agg(model, n), '{}') from (select model, count(*)::int as n from events x
             where x.public_id = e.public_id and x.day = e.day and model is not null group by model) m) as model_to_messages,
           (select coalesce(jsonb_object_agg(tool, n), '{}') from (select tool, count(*)::int as n from events x
             where x.public_id = e.public_id and x.day = e.day and tool is not null group by tool) t) as tool_to_messages,
           (select coalesce(jsonb_object_agg(gpt_id, n), '{}') from (select gpt_id, count(*)::int as n from events x
             where x.public_id = e.public_id and x.day = e.day and gpt_id is not null group by gpt_id) g) as gpt_to_messages
    from events e group by public_id, day order by public_id, day`.execute(db);
  return { stored, recount };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

const EVENTS = INSERT_BATCH_SIZE * 2 + 1_234;

describe.each(backends())('event ingest written while read, on %s', (backend) => {
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

  it('stores a file of several batches, with day facts equal to a recount of its events', async () => {
    const summary = await ingestEvents(db, source(0, EVENTS), options());
    expect(summary).toMatchObject({ rows: EVENTS, accepted: EVENTS, duplicates: 0, userDays: 120 });
    expect(await counts(db)).toEqual({ events: EVENTS, facts: 120, imports: 1 });
    const { stored, recount } = await factsAndRecount(db);
    expect(recount).toHaveLength(120);
    expect(stored).toEqual(recount);
  });

  it('rolls back batches already stored when a later line is bad, and names the line', async () => {
    // Counts the batches written into events (a COPY each) that
    // the database has finished, through the real store.
    let storedBatches = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => args.node,
      async transformResult(args) {
        if (/^\s*copy events\b/.test(compiled(args.queryId))) storedBatches++;
        return args.result;
      },
    };
    const texts = new Map<unknown, string>();
    const compiler = new PostgresQueryCompiler();
    const compiled = (id: unknown) => texts.get(id) ?? '';
    const recording: KyselyPlugin = {
      transformQuery(args) {
        texts.set(args.queryId, compiler.compileQuery(args.node, args.queryId).sql);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const badLine = EVENTS - 10;
    const lines = eventLines(0, EVENTS, new Map([[badLine - 1, '{"id":"x","ts":"2025-11-03","user":"u","conversation_id":"c"}']]));
    let batchesBeforeBadLine = -1;
    // A file's bytes in 64 KB-ish chunks, noting what had been stored when the bad line is handed over.
    async function* chunks() {
      for (let i = 0; i < lines.length; i += 250) {
        if (i + 250 >= badLine) batchesBeforeBadLine = batchesBeforeBadLine < 0 ? storedBatches : batchesBeforeBadLine;
        yield Buffer.from(`${lines.slice(i, i + 250).join('\n')}\n`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const error = await failure(ingestEvents(db.withPlugin(recording).withPlugin(counting), Readable.from(chunks()), options()));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).problems).toEqual([
      { line: badLine, message: expect.stringMatching(/^ts "2025-11-03" is a date without a time/) },
    ]);
    // Batches had gone into the store before the bad line was read: the rollback took them back.
    expect(batchesBeforeBadLine).toBeGreaterThanOrEqual(1);
    expect(await counts(db)).toEqual({ events: 0, facts: 0, imports: 0 });
  });

  it('sends a source read whole first (a request body, stdin) in batches too', async () => {
    const compiler = new PostgresQueryCompiler();
    let inserts = 0;
    const counting: KyselyPlugin = {
      transformQuery(args) {
        if (/^\s*(insert into|copy) events\b/.test(compiler.compileQuery(args.node, args.queryId).sql)) inserts++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const summary = await ingestEvents(db.withPlugin(counting), source(0, EVENTS), options({ writeWhileReading: false }));
    expect(summary).toMatchObject({ accepted: EVENTS, userDays: 120 });
    expect(inserts).toBe(Math.ceil(EVENTS / INSERT_BATCH_SIZE));
  });

  it('reports a bad file as such in a store that refuses events, and refuses a good one', async () => {
    await db.transaction().execute((tx) => guardWorkspace(tx, { usageSource: 'exports', source: 'users.csv' }));
    const bad = await failure(ingestEvents(db, source(0, EVENTS, new Map([[3, '{"id":1}']])), options()));
    expect(bad).toBeInstanceOf(InvalidInputError);
    expect((bad as InvalidInputError).problems[0]).toMatchObject({ line: 4 });
    const good = await failure(ingestEvents(db, source(0, EVENTS), options()));
    expect(good).toBeInstanceOf(ConflictError);
    expect(await counts(db)).toEqual({ events: 0, facts: 0, imports: 0 });
  });

  it('changes nothing on a second ingest, and recounts only the days a partly known file adds to', async () => {
    await ingestEvents(db, source(0, EVENTS), options());
    const first = await factsAndRecount(db);
    const again = await ingestEvents(db, source(0, EVENTS), options());
    expect(again).toMatchObject({ rows: EVENTS, accepted: 0, duplicates: EVENTS, userDays: 0 });
    expect(await factsAndRecount(db)).toEqual(first);

    // Half known, half new ids on the same users and days, and 500 events on days new to the store.
    const half = Math.floor(EVENTS / 2);
    const mixed = await ingestEvents(
      db,
      bytes([...eventLines(half, EVENTS), ...eventLines(0, half, new Map(), 'n'), ...eventLines(0, 500, new Map(), 'd', 7)]),
      options(),
    );
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from (select distinct public_id, day from events where id like 'n%' or id like 'd%') p`.execute(db);
    expect(mixed).toMatchObject({ accepted: half + 500, duplicates: EVENTS - half, userDays: rows[0]!.n });
    const { stored, recount } = await factsAndRecount(db);
    expect(stored).toEqual(recount);
    expect(stored.length).toBeGreaterThan(120);
    expect(stored.reduce((n: number, f) => n + (f as { messages: number }).messages, 0)).toBe(EVENTS + half + 500);
  });
});
