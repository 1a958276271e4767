/**
 * Digest subscriptions (migration 0011): which digest goes where, when, about which group. A
 * subscription is never deleted: unsubscribing (or a target that is gone) disables it, and its
 * deliveries stay in the ledger.
 */
import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError } from '../core/errors.ts';
import type { Schedule } from '../core/schedule.ts';
import type { DbOrTx, DigestSubscriptionsTable } from './schema.ts';

export type DigestPlatform = 'slack' | 'teams';

export interface DigestSubscription {
  readonly id: string;
  readonly kind: string;
  readonly platform: DigestPlatform;
  /** A Slack channel id or a Teams conversation id. */
  readonly target: string;
  readonly schedule: Schedule;
  /** A SCIM group id, or null for the whole workspace. */
  readonly groupId: string | null;
  /** The email of who subscribed, or `operator` for the CLI. */
  readonly createdBy: string;
  /** Their user id on the subscription's platform, when they subscribed in chat. */
  readonly ownerUserId: string | null;
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
  readonly disabledReason: string | null;
}

export interface NewSubscription {
  readonly kind: string;
  readonly platform: DigestPlatform;
  readonly target: string;
  readonly schedule: Schedule;
  readonly groupId: string | null;
  readonly createdBy: string;
  readonly ownerUserId?: string | null;
}

/** Ids people can type: `dg-` and eight letters or digits without look-alikes. */
const ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function newId(): string {
  const bytes = randomBytes(8);
  return `dg-${[...bytes].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('')}`;
}

type Row = Pick<DigestSubscriptionsTable, 'id' | 'kind' | 'platform' | 'target' | 'day' | 'minute' | 'time_zone' | 'every' | 'group_id' | 'created_by' | 'owner_user_id'> & {
  created_at: Date;
  disabled_at: Date | null;
  disabled_reason: string | null;
};

function toSubscription(r: Row): DigestSubscription {
  return {
    id: r.id,
    kind: r.kind,
    platform: r.platform,
    target: r.target,
    schedule: { day: r.day, minute: r.minute, timeZone: r.time_zone, every: r.every },
    groupId: r.group_id,
    createdBy: r.created_by,
    ownerUserId: r.owner_user_id,
    createdAt: new Date(r.created_at),
    disabledAt: r.disabled_at ? new Date(r.disabled_at) : null,
    disabledReason: r.disabled_reason,
  };
}

const COLUMNS = [
  'id',
  'kind',
  'platform',
  'target',
  'day',
  'minute',
  'time_zone',
  'every',
  'group_id',
  'created_by',
  'owner_user_id',
  'created_at',
  'disabled_at',
  'disabled_reason',
] as const;

/** The active subscription with the same kind, target, schedule and group, if there is one. */
export async function findSame(db: DbOrTx, s: NewSubscription): Promise<DigestSubscription | null> {
  let q = db
    .selectFrom('digest_subscriptions')
    .select(COLUMNS)
    .where('disabled_at', 'is', null)
    .where('kind', '=', s.kind)
    .where('platform', '=', s.platform)
    .where('target', '=', s.target)
    .where('day', '=', s.schedule.day)
    .where('minute', '=', s.schedule.minute)
    .where('time_zone', '=', s.schedule.timeZone)
    .where('every', '=', s.schedule.every);
  q = s.groupId === null ? q.where('group_id', 'is', null) : q.where('group_id', '=', s.groupId);
  const row = await q.executeTakeFirst();
  return row ? toSubscription(row as Row) : null;
}

function duplicate(existing: DigestSubscription): ConflictError {
  return new ConflictError(`That digest is already subscribed there with the same schedule: ${existing.id}.`);
}

/** Saves a subscription; a second identical one is refused, naming the first. */
export async function createSubscription(db: DbOrTx, s: NewSubscription, at: Date): Promise<DigestSubscription> {
  const existing = await findSame(db, s);
  if (existing) throw duplicate(existing);
  const row = await db
    .insertInto('digest_subscriptions')
    .values({
      id: newId(),
      kind: s.kind,
      platform: s.platform,
      target: s.target,
      day: s.schedule.day,
      minute: s.schedule.minute,
      time_zone: s.schedule.timeZone,
      every: s.schedule.every,
      group_id: s.groupId,
      created_by: s.createdBy,
      owner_user_id: s.ownerUserId ?? null,
      created_at: at,
      disabled_at: null,
      disabled_reason: null,
    })
    // Two processes saving the same subscription at once: the unique index keeps one.
    .onConflict((oc) => oc.doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  if (!row) {
    const winner = await findSame(db, s);
    if (winner) throw duplicate(winner);
    throw new Error('the subscription was neither saved nor found');
  }
  return toSubscription(row as Row);
}

export async function listSubscriptions(db: DbOrTx, options: { includeDisabled?: boolean } = {}): Promise<DigestSubscription[]> {
  let q = db.selectFrom('digest_subscriptions').select(COLUMNS).orderBy('created_at').orderBy('id');
  if (!options.includeDisabled) q = q.where('disabled_at', 'is', null);
  return (await q.execute()).map((r) => toSubscription(r as Row));
}

export async function getSubscription(db: DbOrTx, id: string): Promise<DigestSubscription> {
  const row = await db.selectFrom('digest_subscriptions').select(COLUMNS).where('id', '=', id.trim()).executeTakeFirst();
  if (!row) throw new NotFoundError(`There is no digest subscription ${id.trim()}: \`digest list\` shows them.`);
  return toSubscription(row as Row);
}

/** Disables a subscription (unsubscribed, or its target is gone); false when it already was. */
export async function disableSubscription(db: DbOrTx, id: string, reason: string, at: Date): Promise<boolean> {
  const res = await db
    .updateTable('digest_subscriptions')
    .set({ disabled_at: at, disabled_reason: reason })
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
