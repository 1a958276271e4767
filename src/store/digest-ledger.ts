/**
 * The outbound delivery ledger of digests (migration 0011, docs/design.md §8). A scheduled
 * (subscription, period) has one row; whoever inserts it — or takes over a claim that expired, or
 * retries a failed one — posts it. A claim lasts CLAIM_TTL_MS after its last renewal, so a process
 * that died holding it is taken over; `posted`, `missed` and `gone` are final.
 */
import { sql } from 'kysely';
import type { DateRange } from '../core/periods.ts';
import type { DbOrTx } from './schema.ts';

/** A claim expires this long after it was taken or last renewed. */
export const CLAIM_TTL_MS = 5 * 60_000;

export type DeliveryState = 'claimed' | 'posted' | 'failed' | 'missed' | 'gone';

export interface Claim {
  readonly id: string;
  /** The row existed before (an expired claim or a failed post): the post may already be out. */
  readonly takenOver: boolean;
  /** Attempts before this one. */
  readonly attempts: number;
}

export interface ClaimRequest {
  readonly subscriptionId: string;
  readonly period: DateRange;
  readonly slot: Date;
  /** Who claims: a process id unique to this run (host, pid, start). */
  readonly owner: string;
  readonly now: Date;
}

/** Claims a scheduled post; null when another process holds it or it is already settled. */
export async function claimDelivery(db: DbOrTx, c: ClaimRequest): Promise<Claim | null> {
  const expires = new Date(c.now.getTime() + CLAIM_TTL_MS);
  const { rows } = await sql<{ id: string; attempts: number; inserted: boolean }>`
    insert into digest_deliveries as d
      (subscription_id, scheduled, period_start, period_end, slot_at, state, claimed_by, claim_expires_at, attempts, updated_at)
    values (${c.subscriptionId}, true, ${c.period.start}, ${c.period.end}, ${c.slot}, 'claimed', ${c.owner}, ${expires}, 0, ${c.now})
    on conflict (subscription_id, period_start) where scheduled
    do update set state = 'claimed', claimed_by = excluded.claimed_by, claim_expires_at = excluded.claim_expires_at,
      updated_at = excluded.updated_at
    where d.state = 'failed' or (d.state = 'claimed' and d.claim_expires_at < ${c.now})
    returning d.id::text as id, d.attempts, (d.xmax = 0) as inserted`.execute(db);
  const row = rows[0];
  return row ? { id: row.id, takenOver: !row.inserted, attempts: Number(row.attempts) } : null;
}

/** Extends a claim while its post is retried; false when it was lost (expired and taken over). */
export async function renewClaim(db: DbOrTx, id: string, owner: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('digest_deliveries')
    .set({ claim_expires_at: new Date(now.getTime() + CLAIM_TTL_MS), updated_at: now })
    .where('id', '=', id)
    .where('claimed_by', '=', owner)
    .where('state', '=', 'claimed')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export interface Settlement {
  readonly state: Exclude<DeliveryState, 'claimed'>;
  readonly now: Date;
  readonly attempts?: number;
  readonly late?: boolean;
  readonly platformRef?: string | null;
  /** A short code of what failed (never platform text, which may quote the message). */
  readonly error?: string | null;
}

/** Records how a claimed post ended, if this process still holds the claim. */
export async function settleClaim(db: DbOrTx, id: string, owner: string, s: Settlement): Promise<boolean> {
  const res = await db
    .updateTable('digest_deliveries')
    .set({
      state: s.state,
      claim_expires_at: null,
      updated_at: s.now,
      ...(s.attempts !== undefined ? { attempts: s.attempts } : {}),
      ...(s.late !== undefined ? { late: s.late } : {}),
      ...(s.state === 'posted' ? { posted_at: s.now, platform_ref: s.platformRef ?? null, error: null } : {}),
      ...(s.error !== undefined ? { error: s.error } : {}),
    })
    .where('id', '=', id)
    .where('claimed_by', '=', owner)
    .where('state', '=', 'claimed')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * A scheduled post whose catch-up window ended before anything posted it: recorded as missed
 * (a failed one becomes missed; a settled one stays as it is).
 */
export async function recordMissed(db: DbOrTx, m: Omit<ClaimRequest, 'owner'>): Promise<void> {
  await sql`
    insert into digest_deliveries as d
      (subscription_id, scheduled, period_start, period_end, slot_at, state, attempts, updated_at)
    values (${m.subscriptionId}, true, ${m.period.start}, ${m.period.end}, ${m.slot}, 'missed', 0, ${m.now})
    on conflict (subscription_id, period_start) where scheduled
    do update set state = 'missed', claimed_by = null, claim_expires_at = null, updated_at = excluded.updated_at
    where d.state = 'failed' or (d.state = 'claimed' and d.claim_expires_at < ${m.now})`.execute(db);
}

/** A `send-now` post: recorded beside the schedule, never in its place. */
export async function recordManual(
  db: DbOrTx,
  m: { subscriptionId: string; period: DateRange; now: Date; state: 'posted' | 'failed' | 'gone'; platformRef?: string | null; error?: string | null },
): Promise<void> {
  await db
    .insertInto('digest_deliveries')
    .values({
      subscription_id: m.subscriptionId,
      scheduled: false,
      period_start: m.period.start,
      period_end: m.period.end,
      slot_at: null,
      state: m.state,
      claimed_by: null,
      claim_expires_at: null,
      attempts: 1,
      posted_at: m.state === 'posted' ? m.now : null,
      platform_ref: m.platformRef ?? null,
      error: m.error ?? null,
      updated_at: m.now,
    })
    .execute();
}

export interface DeliveryRecord {
  readonly subscriptionId: string;
  readonly scheduled: boolean;
  readonly period: DateRange;
  readonly slot: Date | null;
  readonly state: DeliveryState;
  readonly attempts: number;
  readonly late: boolean;
  readonly postedAt: Date | null;
  readonly error: string | null;
}

/** A subscription's newest deliveries first (`digest list`). */
export async function recentDeliveries(db: DbOrTx, subscriptionId: string, limit = 3): Promise<DeliveryRecord[]> {
  const rows = await db
    .selectFrom('digest_deliveries')
    .select(['subscription_id', 'scheduled', 'period_start', 'period_end', 'slot_at', 'state', 'attempts', 'late', 'posted_at', 'error'])
    .where('subscription_id', '=', subscriptionId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    subscriptionId: r.subscription_id,
    scheduled: r.scheduled,
    period: { start: String(r.period_start), end: String(r.period_end) },
    slot: r.slot_at ? new Date(r.slot_at) : null,
    state: r.state,
    attempts: Number(r.attempts),
    late: r.late,
    postedAt: r.posted_at ? new Date(r.posted_at) : null,
    error: r.error,
  }));
}

/** Where a scheduled period of a subscription stands in the ledger. */
export interface ScheduledState {
  readonly state: DeliveryState;
  readonly claimExpiresAt: Date | null;
}

/**
 * The ledger's scheduled rows for these (subscription, period start) pairs, keyed
 * `subscription|period start`: one statement for a whole run, whatever the number of subscriptions.
 */
export async function scheduledStates(
  db: DbOrTx,
  pairs: ReadonlyArray<{ readonly subscriptionId: string; readonly periodStart: string }>,
): Promise<Map<string, ScheduledState>> {
  if (pairs.length === 0) return new Map();
  const rows = await db
    .selectFrom('digest_deliveries')
    .select(['subscription_id', 'period_start', 'state', 'claim_expires_at'])
    .where('scheduled', '=', true)
    .where('subscription_id', 'in', [...new Set(pairs.map((p) => p.subscriptionId))])
    .where('period_start', 'in', [...new Set(pairs.map((p) => p.periodStart))])
    .execute();
  return new Map(
    rows.map((r) => [
      scheduledKey(String(r.subscription_id), String(r.period_start)),
      { state: r.state, claimExpiresAt: r.claim_expires_at ? new Date(r.claim_expires_at) : null },
    ]),
  );
}

export function scheduledKey(subscriptionId: string, periodStart: string): string {
  return `${subscriptionId}|${periodStart}`;
}
