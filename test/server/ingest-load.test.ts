/**
 * Our one server under bodies too large and under more ingest requests than it takes at once:
 * a 5 MB chunked body gets a 413 the client can read (Slack route and ingest route alike), and
 * requests past the ingest line get 503 with Retry-After at once, while those admitted each
 * commit on their own and get 200 only after it.
 */
import { request, type IncomingMessage, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { createHttpServer, type HttpServer } from '../../src/server/http.ts';
import { EVENTS_PATH, createEventsHandler } from '../../src/server/events-endpoint.ts';
import { startHarness, type Harness } from '../slack/harness.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

const TOKEN = 'load-test-token-3f9a1c';
const NOW = new Date('2026-11-25T09:00:00Z');
const FIVE_MB = 5 * 1024 * 1024;

const line = (id: string) => `${JSON.stringify({ id, ts: '2026-11-24T10:00:00Z', user: 'user-a', conversation_id: 'c' })}\n`;

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A chunked POST whose body is written by the caller; resolves with the answer. */
function openPost(url: string, headers: Record<string, string>): { req: ClientRequest; answer: Promise<Answer> } {
  const req = request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  return { req, answer };
}

/** Writes `bytes` bytes in 64 KiB chunks, honouring backpressure, then ends the body. */
async function writeChunked(req: ClientRequest, bytes: number): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 'a');
  for (let sent = 0; sent < bytes; sent += chunk.length) {
    if (!req.write(chunk)) await new Promise((resolve) => req.once('drain', resolve));
  }
  req.end();
}

describe('bodies too large, and more ingest than the server takes at once', () => {
  let store: TestStore;
  let http: HttpServer;
  let base: string;
  let slack: Harness;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    http = createHttpServer({
      routes: [
        {
          path: EVENTS_PATH,
          handler: createEventsHandler({
            db: store.db,
            clock: fixedClock(NOW),
            logger: silentLogger(),
            token: TOKEN,
            maxBytes: 1024 * 1024,
            maxRunning: 1,
            maxWaiting: 1,
          }),
        },
      ],
      health: { ready: () => true, detail: () => ({}) },
      logger: silentLogger(),
    });
    const address: AddressInfo = await http.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${address.port}`;
    slack = await startHarness();
  });
  afterAll(async () => {
    await slack?.close();
    await http?.close();
    await store?.close();
  });

  const ingestHeaders = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' };

  it('answers a 5 MB chunked body to the Slack route with 413, not a reset', async () => {
    const { req, answer } = openPost(slack.eventsUrl, { 'content-type': 'application/x-www-form-urlencoded' });
    await writeChunked(req, FIVE_MB);
    expect((await answer).status).toBe(413);
  });

  it('answers a 5 MB chunked body to the ingest route with 413, not a reset, and stores nothing', async () => {
    const { req, answer } = openPost(`${base}${EVENTS_PATH}`, ingestHeaders);
    await writeChunked(req, FIVE_MB);
    const got = await answer;
    expect(got.status).toBe(413);
    expect(JSON.parse(got.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await store.db.selectFrom('events').select('id').execute()).toEqual([]);
  });

  it('refuses past the line with 503 and Retry-After, and commits each admitted request on its own', async () => {
    // One request being ingested (its body still coming), one waiting for a place.
    const first = openPost(`${base}${EVENTS_PATH}`, ingestHeaders);
    first.req.write(line('first-1'));
    await new Promise((r) => setTimeout(r, 200));
    const second = openPost(`${base}${EVENTS_PATH}`, ingestHeaders);
    second.req.write(line('second-1'));
    await new Promise((r) => setTimeout(r, 200));

    const third = openPost(`${base}${EVENTS_PATH}`, ingestHeaders);
    third.req.end(line('third-1'));
    const refused = await third.answer;
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'busy' } });

    // The second fails on its own (a bad line) without failing the first.
    second.req.end('{"id": "second-2", "ts": "yesterday"}\n');
    first.req.end(line('first-2'));
    const [a, b] = await Promise.all([first.answer, second.answer]);
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toMatchObject({ accepted: 2 });
    expect(b.status).toBe(400);
    const ids = (await store.db.selectFrom('events').select('id').orderBy('id').execute()).map((r) => r.id);
    expect(ids).toEqual(['first-1', 'first-2']);

    // With the line clear, a retry goes in.
    const retry = openPost(`${base}${EVENTS_PATH}`, ingestHeaders);
    retry.req.end(line('third-1'));
    expect((await retry.answer).status).toBe(200);
  });
});
