/**
 * Numbers read from the directory as of a day (docs/design.md §5): seats enabled, pending invites, group
 * members, activated users.
 *
 * Where §5 is silent:
 * - Seats count enabled accounts with a public_id; pending invites count `pending` rows (keyed by
 *   public_id, or by email when they have none). Deleted accounts count in neither.
 * - Group `members` count every account of the snapshot in the group, whatever its status, as
 *   §5 says ("accounts in the group").
 * - Activated: an account enabled as of P's end with (a) a `last_day_active` on or before P's
 *   end in that same snapshot, or (b) a usage fact with messages whose activity began on or
 *   before P's end (its `first_day_active_in_period`, else its whole period ending by then).
 *   A Users report's `last_day_active` is "the last day active in this or any prior period", so
 *   when the snapshot as of P's end is a Users report ending on or before P's end, every usage
 *   fact of a period ending by then is already reflected in (a): only facts of periods ending
 *   after the snapshot are read for (b). Same numbers, without scanning the whole history.
 * - With no directory imported at all, the directory numbers are null with a warning.
 */
import { sql } from 'kysely';
import { groupArray } from './activity.ts';
import { snapshotAsOf, type Ctx } from './context.ts';

export interface Seats {
  snapshotId: number;
  seats_enabled: number;
  pending_invites: number;
  activated_users: number;
}

export const NO_DIRECTORY_WARNING =
  'No directory has been imported (Users reports or a directory CSV), so seats, invites and activation are unknown.';

/** Seats, invites and activated users as of `day`, optionally among a group's members. */
export async function seatsAsOf(ctx: Ctx, day: string, groupIds: readonly string[] | null): Promise<Seats | null> {
  const snap = snapshotAsOf(ctx.src.snapshots, day);
  if (snap === null) return null;
  const inGroup = groupIds === null ? sql`true` : sql`a.group_ids && ${groupArray(groupIds)}`;
  // Usage facts that can activate someone: a message on or before `day`. Bounded by primary-key
  // ranges (grain, period_start) so the store is never scanned whole.
  let facts = sql`false`;
  if (ctx.src.usageSource === 'events') {
    // Day facts: the day is the first (and only) day of activity.
    facts = sql`f.grain = 'day' and f.period_start <= ${day}::date`;
  } else if (ctx.src.usageSource === 'exports') {
    // After a Users-report snapshot ending by `day`, only reports ending later can add anyone.
    const after = snap.source === 'users_report' && snap.as_of <= day ? snap.as_of : null;
    const reports = ctx.src.reports.filter((r) => r.period_start <= day && (after === null || r.period_end > after));
    const byGrain = new Map<string, string>();
    for (const r of reports) {
      const min = byGrain.get(r.grain);
      if (min === undefined || r.period_start < min) byGrain.set(r.grain, r.period_start);
    }
    const ranges = [...byGrain].map(
      ([g, from]) => sql`(f.grain = ${g} and f.period_start between ${from}::date and ${day}::date)`,
    );
    if (ranges.length > 0) {
      facts = sql`(${sql.join(ranges, sql` or `)})
        and coalesce(f.first_day_active_in_period, f.period_end) <= ${day}::date
        ${after === null ? sql`` : sql`and f.period_end > ${after}::date`}`;
    }
  }
  const { rows } = await sql<{ seats_enabled: number; pending_invites: number; activated_users: number }>`
    select
      count(*) filter (where a.user_status = 'enabled' and a.public_id is not null) as seats_enabled,
      count(*) filter (where a.user_status = 'pending') as pending_invites,
      count(*) filter (where a.user_status = 'enabled' and a.public_id is not null and (
        a.last_day_active <= ${day}::date
        or a.public_id in (
          select f.public_id from user_facts f where f.messages > 0 and ${facts})
      )) as activated_users
    from directory_accounts a
    where a.snapshot_id = ${snap.id} and ${inGroup}`.execute(ctx.db);
  const r = rows[0]!;
  return {
    snapshotId: snap.id,
    seats_enabled: Number(r.seats_enabled),
    pending_invites: Number(r.pending_invites),
    activated_users: Number(r.activated_users),
  };
}
