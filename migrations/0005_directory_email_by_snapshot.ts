/**
 * The directory's email index leads with the snapshot: every lookup by email names its snapshot
 * (the newest one, or the one as of a period's end), and an import writes one snapshot's rows, so
 * its index entries now go into one narrow part of the index instead of all over it. On the
 * 100k-user benchmark store (64 snapshots, 5.8M accounts) the old `(email_key, snapshot_id)`
 * index made every Users report import touch pages spread over ~300 MB.
 * Frozen in time: this file never imports application code.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists directory_accounts_email`.execute(db);
  await sql`create index directory_accounts_email on directory_accounts (snapshot_id, email_key)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists directory_accounts_email`.execute(db);
  await sql`create index directory_accounts_email on directory_accounts (email_key, snapshot_id)`.execute(db);
}
