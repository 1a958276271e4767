/**
 * Subscribing and listing digests, the same from the command line and from chat: the kind and the
 * group checked, the target checked with the platform before anything is saved, a duplicate
 * refused naming the first; a list with each subscription's next run in its own zone.
 */
import type { DigestActions, DigestKind, DigestTarget } from '../../src/core/digest.ts';
import { UsageError } from '../../src/core/errors.ts';
import { formatWeekday } from '../../src/core/periods.ts';
import { formatTimeOfDay, localDate, localInstant, nextSlot, WEEKDAYS, type Schedule } from '../../src/core/schedule.ts';
import { closest } from '../../src/core/did-you-mean.ts';
import { resolveGroup } from '../../src/metrics/api.ts';
import { recentDeliveries } from '../../src/store/digest-ledger.ts';
import { createSubscription, listSubscriptions, type DigestSubscription } from '../../src/store/digest-subscriptions.ts';
import type { DbOrTx } from '../../src/store/schema.ts';
import { DIGESTS, findDigest } from '../index.ts';

export function digestKind(name: string | undefined): DigestKind {
  const names = DIGESTS.map((d) => d.name);
  const kind = name ? findDigest(name) : undefined;
  if (kind) return kind;
  const near = name ? closest(name, names) : [];
  throw new UsageError(
    `${name ? `"${name}" is not a digest` : 'Which digest?'}: ${names.join(', ')}.${near.length > 0 ? ` Did you mean ${near[0]}?` : ''}`,
  );
}

/** The refusal where this process has no credentials for the target's platform. */
export function noCredentials(target: DigestTarget): UsageError {
  return new UsageError(
    `No ${target.platform === 'slack' ? 'Slack' : 'Microsoft Teams'} credentials are configured here, so the bot cannot check or post into ${target.conversationId}: ` +
      (target.platform === 'slack'
        ? 'set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN).'
        : 'set MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID.'),
  );
}

export interface SubscribeRequest {
  readonly kind: string | undefined;
  readonly target: DigestTarget;
  readonly schedule: Schedule;
  /** A group name as typed, or null for the whole workspace. */
  readonly group: string | null;
  readonly createdBy: string;
  readonly ownerUserId?: string | null;
}

/** Checks and saves a subscription (see the header); the platform check needs `actions`. */
export async function subscribe(db: DbOrTx, req: SubscribeRequest, actions: DigestActions | undefined, now: Date): Promise<{ subscription: DigestSubscription; group: string | null }> {
  const kind = digestKind(req.kind);
  const group = req.group !== null ? await resolveGroup(db, req.group) : null;
  if (!actions) throw noCredentials(req.target);
  await actions.canPost(req.target);
  const subscription = await createSubscription(
    db,
    {
      kind: kind.name,
      platform: req.target.platform,
      target: req.target.conversationId,
      schedule: req.schedule,
      groupId: group?.ids[0] ?? null,
      createdBy: req.createdBy,
      ownerUserId: req.ownerUserId ?? null,
    },
    now,
  );
  return { subscription, group: group?.name ?? null };
}

/** "Mon 14 Dec 2026 09:00 Europe/Paris" */
export function describeInstant(at: Date, timeZone: string): string {
  const day = localDate(at, timeZone);
  const minute = Math.round((at.getTime() - localInstant(day, 0, timeZone).getTime()) / 60_000);
  return `${formatWeekday(day)} ${formatTimeOfDay(minute)} ${timeZone}`;
}

export interface SubscriptionListing {
  id: string;
  kind: string;
  target: string;
  schedule: { day: string; time: string; tz: string; every: string };
  group: string | null;
  next_run: string;
  created_by: string;
  last_deliveries: Array<{ period_start: string; period_end: string; scheduled: boolean; state: string; late: boolean; posted_at: string | null }>;
}

/** Every active subscription with its next run and its last deliveries (`digest list`). */
export async function listing(db: DbOrTx, now: Date): Promise<SubscriptionListing[]> {
  const names = new Map((await db.selectFrom('scim_groups').select(['group_id', 'name']).execute()).map((r) => [r.group_id, r.name]));
  return Promise.all(
    (await listSubscriptions(db)).map(async (s) => ({
      id: s.id,
      kind: s.kind,
      target: `${s.platform}:${s.target}`,
      schedule: { day: WEEKDAYS[s.schedule.day] ?? 'mon', time: formatTimeOfDay(s.schedule.minute), tz: s.schedule.timeZone, every: s.schedule.every },
      group: s.groupId ? (names.get(s.groupId) ?? s.groupId) : null,
      next_run: nextSlot(s.schedule, now).toISOString(),
      created_by: s.createdBy,
      last_deliveries: (await recentDeliveries(db, s.id)).map((d) => ({
        period_start: d.period.start,
        period_end: d.period.end,
        scheduled: d.scheduled,
        state: d.state,
        late: d.late,
        posted_at: d.postedAt?.toISOString() ?? null,
      })),
    })),
  );
}

/** The lines `digest list` prints for people. */
export function listingLines(rows: readonly SubscriptionListing[]): string[] {
  if (rows.length === 0) return ['No digest subscriptions yet.'];
  return rows.flatMap((r) => {
    const day = { sun: 'Sunday', mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday' }[r.schedule.day] ?? r.schedule.day;
    const when = r.schedule.every === 'week' ? `${day}s` : `the first ${day} of each month`;
    return [
      `${r.id}  ${r.kind} → ${r.target}${r.group ? ` (team: ${r.group})` : ''}, ${when} at ${r.schedule.time} ${r.schedule.tz}; next ${describeInstant(new Date(r.next_run), r.schedule.tz)}`,
      ...r.last_deliveries.map(
        (d) => `    ${d.period_start} – ${d.period_end}: ${d.state}${d.late ? ' (late)' : ''}${d.scheduled ? '' : ' (send-now)'}`,
      ),
    ];
  });
}
