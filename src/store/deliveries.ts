/**
 * Delivery bookkeeping for chat adapters (migration 0002): a delivery key is claimed once across
 * every replica — the insert that wins answers. Not analytics; pruned after a retention period.
 */
import type { Kysely } from 'kysely';
import type { DbOrTx } from './schema.ts';

interface DeliveriesTable {
  delivery_key: string;
  received_at: Date;
}

function deliveries(db: DbOrTx) {
  return (db as Kysely<unknown>).withTables<{ slack_deliveries: DeliveriesTable }>();
}

/** True when this call claimed `key` first; false when it was claimed before. */
export async function claimDelivery(db: DbOrTx, key: string, at: Date): Promise<boolean> {
  const row = await deliveries(db)
    .insertInto('slack_deliveries')
    .values({ delivery_key: key, received_at: at })
    .onConflict((oc) => oc.column('delivery_key').doNothing())
    .returning('delivery_key')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets deliveries received before `before`. */
export async function pruneDeliveries(db: DbOrTx, before: Date): Promise<void> {
  await deliveries(db).deleteFrom('slack_deliveries').where('received_at', '<', before).execute();
}
