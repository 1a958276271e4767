/**
 * Directory lookups shared by tests and the benchmark's Slack figures (no vitest here, so a bench
 * script can import it).
 */
import type { DbOrTx } from '../../src/store/schema.ts';

/** The email of an enabled account owner: a caller every command answers. */
export async function enabledOwnerEmail(db: DbOrTx): Promise<string> {
  const row = await db
    .selectFrom('directory_accounts')
    .select('email')
    .where('user_role', '=', 'account-owner')
    .where('user_status', '=', 'enabled')
    .where('email', 'is not', null)
    .executeTakeFirstOrThrow();
  return row.email as string;
}
