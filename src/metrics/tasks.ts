/** Stub: implementation follows. */
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest, TopUsersOptions, BenchmarkOptions } from './api.ts';

export async function tasks(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  void db; void req;
  throw new Error('tasks: not implemented yet');
}

export async function heatmap(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  void db; void req;
  throw new Error('heatmap: not implemented yet');
}
