/**
 * Delivery bookkeeping for the chat platforms (migration 0006, `inbound_deliveries`): an inbound
 * delivery — (platform, kind, id) — is claimed once across every replica; the insert that wins
 * answers. Not analytics; pruned after a retention period.
 */
import type { DbOrTx } from './schema.ts';

/** One inbound delivery: `{platform: 'slack', kind: 'event', id: 'Ev123'}`. */
export interface InboundDeliveryKey {
  readonly platform: string;
  readonly kind: string;
  readonly id: string;
}

/** True when this call claimed `key` first; false when it was claimed before. */
export async function claimInboundDelivery(db: DbOrTx, key: InboundDeliveryKey, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('inbound_deliveries')
    .values({ platform: key.platform, kind: key.kind, delivery_id: key.id, received_at: at })
    .onConflict((oc) => oc.columns(['platform', 'kind', 'delivery_id']).doNothing())
    .returning('delivery_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets inbound deliveries received before `before`. */
export async function pruneInboundDeliveries(db: DbOrTx, before: Date): Promise<void> {
  await db.deleteFrom('inbound_deliveries').where('received_at', '<', before).execute();
}
