/** Stub: implementation follows. */
import type { DbOrTx } from '../store/schema.ts';
import type { MetricAnswer, MetricRequest, TopUsersOptions, BenchmarkOptions } from './api.ts';

export async function overview(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  void db; void req;
  throw new Error('overview: not implemented yet');
}

export async function activeUsers(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  void db; void req;
  throw new Error('activeUsers: not implemented yet');
}

export async function messages(db: DbOrTx, req: MetricRequest): Promise<MetricAnswer> {
  void db; void req;
  throw new Error('messages: not implemented yet');
}
