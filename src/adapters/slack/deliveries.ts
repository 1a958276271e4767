/**
 * "Seen this delivery before?" (docs/design.md §9, §11): the same `event_id` (Events API) or `trigger_id`
 * (slash commands, interactivity) is acknowledged every time but answered once.
 *
 * Two ledgers, one interface:
 * - `memoryLedger`: a bounded map with a time to live — enough for one process;
 * - `storeLedger`: the memory ledger in front of the `slack_deliveries` table (migration 0002),
 *   so that a retry landing on another replica is recognised too. The insert that wins
 *   (`ON CONFLICT DO NOTHING … RETURNING`) answers; the claim runs after the ack, never before it.
 * The table is delivery bookkeeping, not analytics; its queries live in src/store/deliveries.ts.
 */
import type { Logger } from '../../log.ts';
import type { DbOrTx } from '../../store/schema.ts';
import { claimDelivery, pruneDeliveries } from '../../store/deliveries.ts';

export type DeliveryKind = 'event' | 'command' | 'action';

export interface DeliveryLedger {
  /** True the first time `key` is claimed; false for a delivery already taken on. */
  claim(key: string): Promise<boolean>;
}

export function deliveryKey(kind: DeliveryKind, id: string): string {
  return `${kind}:${id}`;
}

/** Slack retries within minutes and trigger ids expire after 30; an hour in memory is ample. */
export const MEMORY_TTL_MS = 60 * 60_000;
export const MEMORY_MAX_ENTRIES = 20_000;
/** Rows older than this are deleted from the shared table. */
export const STORE_RETENTION_MS = 24 * 60 * 60_000;
/** How often (at most) a replica prunes the shared table. */
export const PRUNE_EVERY_MS = 10 * 60_000;

export interface MemoryLedger extends DeliveryLedger {
  /** Synchronous check-and-set. */
  claimNow(key: string): boolean;
  readonly size: number;
}

export function memoryLedger(options: { ttlMs?: number; maxEntries?: number; nowMs?: () => number } = {}): MemoryLedger {
  const ttl = options.ttlMs ?? MEMORY_TTL_MS;
  const max = options.maxEntries ?? MEMORY_MAX_ENTRIES;
  const nowMs = options.nowMs ?? Date.now;
  // Insertion order is expiry order (one TTL for all), so the oldest entries are at the front.
  const seen = new Map<string, number>();
  const sweep = (now: number) => {
    for (const [key, expiresAt] of seen) {
      if (expiresAt > now && seen.size <= max) break;
      seen.delete(key);
    }
  };
  const claimNow = (key: string) => {
    const now = nowMs();
    sweep(now);
    const expiresAt = seen.get(key);
    if (expiresAt !== undefined && expiresAt > now) return false;
    seen.delete(key);
    seen.set(key, now + ttl);
    sweep(now);
    return true;
  };
  return {
    claimNow,
    claim: async (key) => claimNow(key),
    get size() {
      return seen.size;
    },
  };
}

export interface StoreLedgerOptions {
  db: DbOrTx;
  logger: Logger;
  memory?: MemoryLedger;
  nowMs?: () => number;
  retentionMs?: number;
}

export function storeLedger(options: StoreLedgerOptions): DeliveryLedger {
  const db = options.db;
  const memory = options.memory ?? memoryLedger({ nowMs: options.nowMs });
  const nowMs = options.nowMs ?? Date.now;
  const retention = options.retentionMs ?? STORE_RETENTION_MS;
  let lastPrune = 0;

  async function prune(now: number): Promise<void> {
    lastPrune = now;
    try {
      await pruneDeliveries(db, new Date(now - retention));
    } catch (error) {
      options.logger.warn({ err: error }, 'slack.deliveries.prune_failed');
    }
  }

  return {
    async claim(key) {
      if (!memory.claimNow(key)) return false;
      const now = nowMs();
      let claimed: boolean;
      try {
        claimed = await claimDelivery(db, key, new Date(now));
      } catch (error) {
        // The store is down: this replica's memory has the say. Answering twice (rare: a retry on
        // another replica while the store is down) is better than never answering.
        options.logger.warn({ err: error }, 'slack.deliveries.claim_failed');
        claimed = true;
      }
      if (now - lastPrune >= PRUNE_EVERY_MS) void prune(now);
      return claimed;
    },
  };
}
