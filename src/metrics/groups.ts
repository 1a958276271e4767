/** Stub: implementation follows. */
import type { DbOrTx } from '../store/schema.ts';

/** The closest known group names to `name` (best first, at most 5). */
export async function suggestGroups(db: DbOrTx, name: string): Promise<string[]> {
  void db; void name;
  throw new Error('suggestGroups: not implemented yet');
}

/** A group name → its SCIM group ids (several groups may share a name); NotFoundError if none. */
export async function resolveGroup(db: DbOrTx, name: string): Promise<{ name: string; ids: string[] }> {
  void db; void name;
  throw new Error('resolveGroup: not implemented yet');
}
