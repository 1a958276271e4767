/** Fixtures for the answers tests: directory snapshots written straight into a real store. */
import type { Db } from '../../src/store/schema.ts';

export interface AccountFixture {
  email: string;
  user_role: string;
  user_status?: 'enabled' | 'pending' | 'deleted';
  public_id?: string | null;
  name?: string;
}

/** One directory snapshot as of `asOf` (its period starting `periodStart`) with these accounts. */
export async function addDirectorySnapshot(
  db: Db,
  asOf: string,
  accounts: AccountFixture[],
  periodStart: string = asOf,
): Promise<number> {
  const imported = await db
    .insertInto('import_log')
    .values({ kind: 'directory', source: `directory-${asOf}.csv`, imported_at: new Date(`${asOf}T12:00:00Z`) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const snapshot = await db
    .insertInto('directory_snapshots')
    .values({ report_id: null, source: 'directory', period_start: periodStart, as_of: asOf, import_id: imported.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (accounts.length > 0) {
    await db
      .insertInto('directory_accounts')
      .values(
        accounts.map((a, i) => {
          const publicId = a.public_id === undefined ? `user-${i}-${a.email.split('@')[0]}` : a.public_id;
          return {
            snapshot_id: snapshot.id,
            account_key: publicId ?? `email:${a.email.toLowerCase()}`,
            public_id: publicId,
            name: a.name ?? a.email.split('@')[0] ?? null,
            email: a.email,
            email_key: a.email.toLowerCase(),
            role: null,
            user_role: a.user_role,
            department: null,
            group_ids: [],
            user_status: a.user_status ?? 'enabled',
            created_or_invited_date: null,
            last_day_active: null,
            position: i,
          };
        }),
      )
      .execute();
  }
  return snapshot.id;
}
