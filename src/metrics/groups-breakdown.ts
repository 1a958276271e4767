/** Stub: implementation follows. */
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest, TopUsersOptions, BenchmarkOptions } from './api.ts';

export async function groups(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  void db; void req;
  throw new Error('groups: not implemented yet');
}
