/**
 * "Seen this delivery before?": a delivery a platform re-sends — Slack's
 * `event_id` (Events API) or `trigger_id` (slash commands, interactivity), a Teams activity id — is
 * acknowledged every time but answered once. Keyed by (platform, kind, id).
 *
 * Two ledgers, one interface:
 * - `memoryLedger`: a bounded map with a time to live — enough for one process;
 * - `storeLedger`: the memory ledger in front of the `inbound_deliveries` table, so that a retry
 *   landing on another replica is recognised too. The insert that wins (`ON CONFLICT DO NOTHING …
 *   RETURNING`) answers; the claim runs after the ack, never before it.
 * The table's queries live in src/store/deliveries.ts.
 */
import type { Logger } from '../log.ts';
import type { DbOrTx } from '../store/schema.ts';
import { claimInboundDelivery, pruneInboundDeliveries } from '../store/deliveries.ts';
import type { ChatPlatform } from './port.ts';

/** One inbound delivery: which platform sent it, what it is (`event`, `command`, …) and its id. */
export interface InboundKey {
  readonly platform: ChatPlatform;
  readonly kind: string;
  readonly id: string;
}

export interface InboundLedger {
  /** True the first time `key` is claimed; false for a delivery already taken on. */
  claim(key: InboundKey): Promise<boolean>;
}

/** Platforms re-send within minutes (Slack's trigger ids expire after 30); an hour in memory is ample. */
export const MEMORY_TTL_MS = 60 * 60_000;
export const MEMORY_MAX_ENTRIES = 20_000;
/** Rows older than this are deleted from the shared table. */
export const STORE_RETENTION_MS = 24 * 60 * 60_000;
/** How often (at most) a replica prunes the shared table. */
export const PRUNE_EVERY_MS = 10 * 60_000;

export interface MemoryLedger extends InboundLedger {
  /** Synchronous check-and-set. */
  claimNow(key: InboundKey): boolean;
  readonly size: number;
}

function memoryKey(key: InboundKey): string {
  return `${key.platform}:${key.kind}:${key.id}`;
}

export function memoryLedger(options: { ttlMs?: number; maxEntries?: number; nowMs?: () => number } = {}): MemoryLedger {
  const ttl = options.ttlMs ?? MEMORY_TTL_MS;
  const max = options.maxEntries ?? MEMORY_MAX_ENTRIES;
  const nowMs = options.nowMs ?? Date.now;
  // Insertion order is expiry order (one TTL for all), so the oldest entries are at the front.
  const seen = new Map<string, number>();
  const sweep = (now: number) => {
    for (const [k, expiresAt] of seen) {
      if (expiresAt > now && seen.size <= max) break;
      seen.delete(k);
    }
  };
  const claimNow = (key: InboundKey) => {
    const k = memoryKey(key);
    const now = nowMs();
    sweep(now);
    const expiresAt = seen.get(k);
    if (expiresAt !== undefined && expiresAt > now) return false;
    seen.delete(k);
    seen.set(k, now + ttl);
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

export function storeLedger(options: StoreLedgerOptions): InboundLedger {
  const db = options.db;
  const memory = options.memory ?? memoryLedger({ nowMs: options.nowMs });
  const nowMs = options.nowMs ?? Date.now;
  const retention = options.retentionMs ?? STORE_RETENTION_MS;
  let lastPrune = 0;

  async function prune(now: number): Promise<void> {
    lastPrune = now;
    try {
      await pruneInboundDeliveries(db, new Date(now - retention));
    } catch (error) {
      options.logger.warn({ err: error }, 'delivery.inbound.prune_failed');
    }
  }

  return {
    async claim(key) {
      if (!memory.claimNow(key)) return false;
      const now = nowMs();
      let claimed: boolean;
      try {
        claimed = await claimInboundDelivery(db, key, new Date(now));
      } catch (error) {
        // The store is down: this replica's memory has the say. Answering twice (rare: a retry on
        // another replica while the store is down) is better than never answering.
        options.logger.warn({ err: error, platform: key.platform }, 'delivery.inbound.claim_failed');
        claimed = true;
      }
      if (now - lastPrune >= PRUNE_EVERY_MS) void prune(now);
      return claimed;
    },
  };
}
