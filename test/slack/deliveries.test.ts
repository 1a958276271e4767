/** A delivery is answered once: in memory, and across replicas through the store (migration 0002). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { silentLogger } from '../../src/log.ts';
import { deliveryKey, memoryLedger, storeLedger, STORE_RETENTION_MS } from '../../src/adapters/slack/deliveries.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';

describe('memoryLedger', () => {
  it('claims a key once within its time to live', async () => {
    let now = 1_000_000;
    const ledger = memoryLedger({ ttlMs: 60_000, nowMs: () => now });
    expect(await ledger.claim('event:Ev1')).toBe(true);
    expect(await ledger.claim('event:Ev1')).toBe(false);
    expect(await ledger.claim('event:Ev2')).toBe(true);
    now += 60_001;
    expect(await ledger.claim('event:Ev1')).toBe(true);
    expect(ledger.size).toBe(1);
  });

  it('stays within its size, forgetting the oldest first', async () => {
    const ledger = memoryLedger({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd']) expect(ledger.claimNow(k)).toBe(true);
    expect(ledger.size).toBe(3);
    expect(ledger.claimNow('d')).toBe(false);
    expect(ledger.claimNow('a')).toBe(true);
  });

  it('keys deliveries by kind', () => {
    expect(deliveryKey('command', '123.456')).toBe('command:123.456');
    expect(deliveryKey('event', 'Ev1')).not.toBe(deliveryKey('action', 'Ev1'));
  });
});

describe.each(backends())('storeLedger on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await clearStore(store.db);
  });

  it('lets exactly one of several replicas claim a delivery', async () => {
    const replicas = [1, 2, 3].map(() => storeLedger({ db: store.db, logger: silentLogger() }));
    const results = await Promise.all(replicas.map((r) => r.claim('event:Ev0SHARED')));
    expect(results.filter(Boolean)).toHaveLength(1);
    // The replica that won remembers it too; the others still say no.
    expect(await Promise.all(replicas.map((r) => r.claim('event:Ev0SHARED')))).toEqual([false, false, false]);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from slack_deliveries`.execute(store.db);
    expect(rows[0]?.n).toBe(1);
  });

  it('deletes rows older than a day when it prunes', async () => {
    let now = Date.UTC(2026, 10, 25, 9, 0, 0);
    const ledger = storeLedger({ db: store.db, logger: silentLogger(), nowMs: () => now });
    expect(await ledger.claim('command:old')).toBe(true);
    now += STORE_RETENTION_MS + 60_000;
    // This claim prunes (the first prune ran at the first claim; ten minutes have passed since).
    expect(await ledger.claim('command:new')).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    const { rows } = await sql<{ delivery_key: string }>`select delivery_key from slack_deliveries order by delivery_key`.execute(store.db);
    expect(rows.map((r) => r.delivery_key)).toEqual(['command:new']);
  });
});
