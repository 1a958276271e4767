/** Stub: implementation follows. */
import type { DbOrTx } from '../store/schema.ts';
import type { Freshness } from './api.ts';

export async function freshness(db: DbOrTx): Promise<Freshness> {
  void db;
  throw new Error('freshness: not implemented yet');
}
