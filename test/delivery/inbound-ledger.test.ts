/** A delivery is answered once: in memory, and across replicas through the store (migration 0006). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { silentLogger } from '../../src/log.ts';
import { memoryLedger, storeLedger, STORE_RETENTION_MS, type InboundKey } from '../../src/delivery/inbound-ledger.ts';
import * as migration0006 from '../../migrations/0006_inbound_deliveries.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';

const slack = (kind: string, id: string): InboundKey => ({ platform: 'slack', kind, id });

describe('memoryLedger', () => {
  it('claims a key once within its time to live', async () => {
    let now = 1_000_000;
    const ledger = memoryLedger({ ttlMs: 60_000, nowMs: () => now });
    expect(await ledger.claim(slack('event', 'Ev1'))).toBe(true);
    expect(await ledger.claim(slack('event', 'Ev1'))).toBe(false);
    expect(await ledger.claim(slack('event', 'Ev2'))).toBe(true);
    now += 60_001;
    expect(await ledger.claim(slack('event', 'Ev1'))).toBe(true);
    expect(ledger.size).toBe(1);
  });

  it('stays within its size, forgetting the oldest first', async () => {
    const ledger = memoryLedger({ maxEntries: 3 });
    for (const k of ['a', 'b', 'c', 'd']) expect(ledger.claimNow(slack('command', k))).toBe(true);
    expect(ledger.size).toBe(3);
    expect(ledger.claimNow(slack('command', 'd'))).toBe(false);
    expect(ledger.claimNow(slack('command', 'a'))).toBe(true);
  });

  it('keys deliveries by platform and kind', () => {
    const ledger = memoryLedger();
    expect(ledger.claimNow(slack('event', 'Ev1'))).toBe(true);
    expect(ledger.claimNow(slack('action', 'Ev1'))).toBe(true);
    expect(ledger.claimNow({ platform: 'teams', kind: 'event', id: 'Ev1' })).toBe(true);
    expect(ledger.claimNow(slack('event', 'Ev1'))).toBe(false);
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
    const results = await Promise.all(replicas.map((r) => r.claim(slack('event', 'Ev0SHARED'))));
    expect(results.filter(Boolean)).toHaveLength(1);
    // The replica that won remembers it too; the others still say no.
    expect(await Promise.all(replicas.map((r) => r.claim(slack('event', 'Ev0SHARED'))))).toEqual([false, false, false]);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from inbound_deliveries`.execute(store.db);
    expect(rows[0]?.n).toBe(1);
  });

  it('claims the same id once per platform and kind in the store', async () => {
    const a = storeLedger({ db: store.db, logger: silentLogger() });
    const b = storeLedger({ db: store.db, logger: silentLogger() });
    expect(await a.claim(slack('command', 'X1'))).toBe(true);
    expect(await b.claim(slack('action', 'X1'))).toBe(true);
    expect(await b.claim({ platform: 'teams', kind: 'command', id: 'X1' })).toBe(true);
    expect(await b.claim(slack('command', 'X1'))).toBe(false);
  });

  it('deletes rows older than a day when it prunes', async () => {
    let now = Date.UTC(2026, 10, 25, 9, 0, 0);
    const ledger = storeLedger({ db: store.db, logger: silentLogger(), nowMs: () => now });
    expect(await ledger.claim(slack('command', 'old'))).toBe(true);
    now += STORE_RETENTION_MS + 60_000;
    // This claim prunes (the first prune ran at the first claim; ten minutes have passed since).
    expect(await ledger.claim(slack('command', 'new'))).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    const { rows } = await sql<{ delivery_id: string }>`select delivery_id from inbound_deliveries order by delivery_id`.execute(store.db);
    expect(rows.map((r) => r.delivery_id)).toEqual(['new']);
  });

  it('carries the rows of slack_deliveries over as Slack deliveries (migration 0006, down and up)', async () => {
    await sql`insert into inbound_deliveries (platform, kind, delivery_id, received_at)
      values ('slack', 'command', '123.456.abc', '2026-11-25T09:00:00Z'), ('teams', 'event', 'A1', '2026-11-25T09:00:00Z')`.execute(store.db);
    await migration0006.down(store.db);
    try {
      const before = await sql<{ delivery_key: string }>`select delivery_key from slack_deliveries`.execute(store.db);
      expect(before.rows.map((r) => r.delivery_key)).toEqual(['command:123.456.abc']);
      await sql`insert into slack_deliveries (delivery_key, received_at) values ('event:Ev:with:colons', '2026-11-25T09:01:00Z')`.execute(store.db);
    } finally {
      await migration0006.up(store.db);
    }
    const { rows } = await sql<{ platform: string; kind: string; delivery_id: string; received_at: Date }>`
      select platform, kind, delivery_id, received_at from inbound_deliveries order by kind`.execute(store.db);
    expect(rows.map((r) => [r.platform, r.kind, r.delivery_id, new Date(r.received_at).toISOString()])).toEqual([
      ['slack', 'command', '123.456.abc', '2026-11-25T09:00:00.000Z'],
      ['slack', 'event', 'Ev:with:colons', '2026-11-25T09:01:00.000Z'],
    ]);
    const old = await sql<{ n: number }>`select count(*)::int as n from pg_tables where tablename = 'slack_deliveries' and schemaname = current_schema()`.execute(store.db);
    expect(old.rows[0]?.n).toBe(0);
    expect(await storeLedger({ db: store.db, logger: silentLogger() }).claim(slack('command', '123.456.abc'))).toBe(false);
  });
});
