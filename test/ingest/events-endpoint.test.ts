import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { fixedClock } from '../../src/core/clock.ts';
import { guardWorkspace } from '../../src/ingest/workspace-guard.ts';
import { createEventsHandler } from '../../src/server/events-endpoint.ts';
import type { Db } from '../../src/store/schema.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';

const TOKEN = 'test-ingest-token-0123456789abcdef';
const MAX_BYTES = 4096;
const NOW = new Date('2025-11-10T12:00:00Z');
const VALID = readFileSync(new URL('../fixtures/events/valid-12.ndjson', import.meta.url));
const NDJSON = { 'content-type': 'application/x-ndjson' };
const auth = (token = TOKEN) => ({ authorization: `Bearer ${token}` });

const line = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id, ts: '2025-11-05T10:00:00Z', user: 'user-a', conversation_id: 'c', ...extra });

async function snapshot(db: Db) {
  const { rows } = await sql<{ events: number; facts: string; imports: number }>`
    select (select count(*) from events) as events,
           (select coalesce(string_agg(public_id || ' ' || period_start || ' ' || messages || ' ' || tool_messages, ', '
                     order by public_id, period_start), '') from user_facts) as facts,
           (select count(*) from import_log) as imports`.execute(db);
  return rows[0]!;
}

describe.each(backends())('POST /api/v1/events on %s', (backend) => {
  let store: TestStore;
  let server: Server;
  let url: string;
  const logged: string[] = [];

  beforeAll(async () => {
    store = await openTestStore(backend);
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logged.push(String(chunk));
        cb();
      },
    });
    const handler = createEventsHandler({
      db: store.db,
      clock: fixedClock(NOW),
      logger: pino({ level: 'debug' }, sink),
      token: TOKEN,
      maxBytes: MAX_BYTES,
    });
    server = createServer((req, res) => {
      handler(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/events`;
  });
  afterAll(async () => {
    if (server) await new Promise((resolve) => server.close(resolve));
    await store?.close();
  });
  beforeEach(async () => {
    await clearStore(store.db);
  });

  const post = (body: string | Buffer | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { ...NDJSON, ...auth(), ...headers },
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);

  it('stores a valid batch and answers 200 with the summary', async () => {
    const res = await post(VALID);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      source: 'POST /api/v1/events',
      rows: 12,
      accepted: 12,
      duplicates: 0,
      unknown_users: {
        count: 3,
        events: 12,
        sample: ['user-aaaaaaaaaaaaaaaaaaaaaaaa', 'user-bbbbbbbbbbbbbbbbbbbbbbbb', 'user-cccccccccccccccccccccccc'],
      },
      days: { count: 2, first: '2025-11-03', last: '2025-11-04' },
      user_days: 5,
      replaced_demo: false,
    });
    // Hand-computed from valid-12.ndjson: messages and tool messages per user and day.
    expect((await snapshot(store.db)).facts).toBe(
      [
        'user-aaaaaaaaaaaaaaaaaaaaaaaa 2025-11-03 4 2',
        'user-aaaaaaaaaaaaaaaaaaaaaaaa 2025-11-04 1 1',
        'user-bbbbbbbbbbbbbbbbbbbbbbbb 2025-11-03 2 2',
        'user-bbbbbbbbbbbbbbbbbbbbbbbb 2025-11-04 2 1',
        'user-cccccccccccccccccccccccc 2025-11-04 3 2',
      ].join(', '),
    );
  });

  it.each(['application/json-seq', 'text/plain; charset=utf-8', 'application/x-ndjson; charset=UTF-8'])(
    'accepts Content-Type %s',
    async (type) => {
      const body = type === 'application/json-seq' ? `\u001e${line('s1')}\n\u001e${line('s2')}\n` : `${line('s1')}\n${line('s2')}\n`;
      const res = await post(body, { 'content-type': type });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ rows: 2, accepted: 2 });
    },
  );

  it('changes nothing when the same batch arrives again', async () => {
    expect((await post(VALID)).status).toBe(200);
    const before = await snapshot(store.db);
    const again = await post(VALID);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ rows: 12, accepted: 0, duplicates: 12, user_days: 0 });
    const after = await snapshot(store.db);
    expect(after.events).toBe(before.events);
    expect(after.facts).toBe(before.facts);
    expect(after.imports).toBe(before.imports + 1);
  });

  it('answers 400 with the problems by line, and stores nothing of the batch', async () => {
    const body = [line('ok-1'), '', '{"id":', line('bad-ts', { ts: '2025-11-05T10:00:00' }), line('txt', { text: 'hi' })].join('\n');
    const res = await post(body);
    expect(res.status).toBe(400);
    const payload = (await res.json()) as { error: { code: string; message: string; problems: { line: number; message: string }[] } };
    expect(payload.error.code).toBe('invalid_input');
    expect(payload.error.message).toMatch(/nothing was stored: 3 problems/);
    expect(payload.error.problems.map((p) => p.line)).toEqual([3, 4, 5]);
    expect(payload.error.problems[0]!.message).toMatch(/^not valid JSON/);
    expect(payload.error.problems[1]!.message).toMatch(/has no UTC offset/);
    expect(payload.error.problems[2]!.message).toMatch(/field "text" is refused/);
    expect(await snapshot(store.db)).toEqual({ events: 0, facts: '', imports: 0 });
  });

  it('answers 413 past the size limit, with or without Content-Length, and stores nothing', async () => {
    const big = Array.from({ length: 200 }, (_, i) => line(`big-${i}`)).join('\n');
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX_BYTES);
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: 'payload_too_large' } });

    // Chunked: no Content-Length, so the limit is enforced while reading.
    const encoder = new TextEncoder();
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 200) return controller.close();
        controller.enqueue(encoder.encode(`${line(`chunk-${sent}`)}\n`));
        sent++;
      },
    });
    const chunked = await post(stream);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await snapshot(store.db)).toEqual({ events: 0, facts: '', imports: 0 });

    // A body just under the limit still goes in.
    const fits = Array.from({ length: 20 }, (_, i) => line(`fit-${i}`)).join('\n');
    expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(MAX_BYTES);
    expect((await post(fits)).status).toBe(200);
  });

  it.each([
    ['no Authorization header', {}, 'Bearer realm="wsa-ingest"'],
    ['a wrong token', auth('not-the-token-0123456789abcdef'), 'Bearer realm="wsa-ingest", error="invalid_token"'],
    ['a token one character short', auth(TOKEN.slice(0, -1)), 'Bearer realm="wsa-ingest", error="invalid_token"'],
    ['another scheme', { authorization: `Basic ${TOKEN}` }, 'Bearer realm="wsa-ingest", error="invalid_token"'],
  ])('answers 401 for %s', async (_name, headers, challenge) => {
    const res = await fetch(url, { method: 'POST', headers: { ...NDJSON, ...headers }, body: VALID });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(challenge);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await snapshot(store.db)).toEqual({ events: 0, facts: '', imports: 0 });
  });

  it('answers 405 for other methods and 415 for other content types', async () => {
    const get = await fetch(url, { headers: auth() });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const form = await post(line('f1'), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    const latin = await post(line('f1'), { 'content-type': 'text/plain; charset=iso-8859-1' });
    expect(latin.status).toBe(415);
    const gzip = await post(line('f1'), { 'content-encoding': 'gzip' });
    expect(gzip.status).toBe(415);
  });

  it('answers 409 when the store is fed by Users reports', async () => {
    await store.db.transaction().execute((tx) => guardWorkspace(tx, { usageSource: 'exports', source: 'users.csv' }));
    const res = await post(VALID);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'conflict' } });
    expect((await snapshot(store.db)).events).toBe(0);
  });

  it('never logs the token or the body', async () => {
    logged.length = 0;
    await post(VALID);
    await post(line('secret-body-id', { text: 'private words' }));
    await fetch(url, { method: 'POST', headers: { ...NDJSON, ...auth('wrong-token-0123456789abcdef') }, body: 'x' });
    const all = logged.join('');
    expect(all).toContain('ingest.http');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain('wrong-token');
    expect(all).not.toContain('private words');
    expect(all).not.toContain('secret-body-id');
    expect(all).not.toContain('user-aaaaaaaaaaaaaaaaaaaaaaaa');
  });
});
