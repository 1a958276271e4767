/** Stub: implementation follows. */
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest, TopUsersOptions, BenchmarkOptions } from './api.ts';

export async function skills(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  void db; void req;
  throw new Error('skills: not implemented yet');
}
