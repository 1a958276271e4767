/** Stub: implementation follows. */
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest, TopUsersOptions, BenchmarkOptions } from './api.ts';

export async function topUsers(db: DbOrTx, req: MetricRequest, opts?: TopUsersOptions): Promise<MetricAnswer> {
  void db; void req; void opts;
  throw new Error('topUsers: not implemented yet');
}

export async function powerUsers(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  void db; void req;
  throw new Error('powerUsers: not implemented yet');
}
