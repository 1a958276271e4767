/**
 * A bounded cache whose entries expire, with one lookup in flight per key: what the adapters use
 * to remember who a platform user is (their email) so a burst of commands costs one platform
 * call. The oldest entry goes first when the cache is full.
 */
export interface ExpiringCache<V> {
  /** The cached value, else `load()`'s (shared by concurrent callers), kept for `ttlMs(value)`. */
  get(key: string, load: () => Promise<V>): Promise<V>;
  delete(key: string): void;
  /** Drops every key `match` accepts. */
  deleteWhere(match: (key: string) => boolean): void;
}

export interface ExpiringCacheOptions<V> {
  readonly maxEntries: number;
  /** How long a value is kept (a missing email may be kept shorter than a found one). */
  readonly ttlMs: (value: V) => number;
  readonly nowMs?: () => number;
}

export function createExpiringCache<V>(options: ExpiringCacheOptions<V>): ExpiringCache<V> {
  const nowMs = options.nowMs ?? Date.now;
  const entries = new Map<string, { value: V; expiresAt: number }>();
  const pending = new Map<string, Promise<V>>();

  function remember(key: string, value: V): void {
    entries.delete(key);
    entries.set(key, { value, expiresAt: nowMs() + options.ttlMs(value) });
    while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
  }

  return {
    get(key, load) {
      const hit = entries.get(key);
      if (hit && hit.expiresAt > nowMs()) return Promise.resolve(hit.value);
      const inFlight = pending.get(key);
      if (inFlight) return inFlight;
      const promise = load()
        .then((value) => {
          remember(key, value);
          return value;
        })
        .finally(() => pending.delete(key));
      pending.set(key, promise);
      return promise;
    },
    delete(key) {
      entries.delete(key);
    },
    deleteWhere(match) {
      for (const key of [...entries.keys()]) if (match(key)) entries.delete(key);
    },
  };
}
