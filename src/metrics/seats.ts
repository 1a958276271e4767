/** Stub: implementation follows. */
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest, TopUsersOptions, BenchmarkOptions } from './api.ts';

export async function users(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  void db; void req;
  throw new Error('users: not implemented yet');
}

export async function benchmarks(db: DbOrTx, req: MetricRequest, opts?: BenchmarkOptions): Promise<MetricAnswer> {
  void db; void req; void opts;
  throw new Error('benchmarks: not implemented yet');
}
