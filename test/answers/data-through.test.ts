/**
 * Events may run up to a day ahead of the clock (skew between systems); answers still say data
 * through today at the latest, never tomorrow.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/core/answer.ts';
import { registry } from '../../commands/index.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { renderText } from '../../src/core/format.ts';
import { toJson } from '../../src/core/reply.ts';
import { ingestEvents } from '../../src/ingest/events.ts';
import { silentLogger } from '../../src/log.ts';
import { backends, openTestStore, type TestStore } from '../support/store.ts';

const NOW = new Date('2026-11-25T09:00:00Z');
const clock = fixedClock(NOW);

describe.each(backends())('data through, with events ahead of the clock, on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
    const lines = [
      { id: 'e1', ts: '2026-11-24T10:00:00Z', user: 'user-a', conversation_id: 'c1' },
      // 22 hours ahead: inside the allowed skew, on tomorrow's UTC date
      { id: 'e2', ts: '2026-11-26T07:00:00Z', user: 'user-b', conversation_id: 'c2' },
    ].map((e) => `${JSON.stringify(e)}\n`);
    await ingestEvents(store.db, Readable.from(lines), { clock, logger: silentLogger(), sourceName: 'skewed.ndjson' });
  });
  afterAll(async () => {
    await store?.close();
  });

  const ask = (text: string) => answer({ db: store.db, clock, logger: silentLogger(), registry, caller: { kind: 'operator' }, text });

  it.each(['overview', 'active-users this-week', 'messages this-month', 'users'])('%s says data through today', async (text) => {
    const reply = await ask(text);
    expect(reply.error).toBeNull();
    expect((toJson(reply) as { data_through: string | null }).data_through).toBe('2026-11-25');
    expect(renderText(reply)).not.toContain('26 Nov 2026');
  });

  it('freshness says the data runs through today', async () => {
    const reply = await ask('freshness');
    expect(reply.summary.join(' ')).toContain('through 25 Nov 2026');
    expect(renderText(reply)).not.toContain('26 Nov 2026');
  });
});
