/** Fixtures for the answers tests: directory snapshots and a small workspace in a real store. */
import { Readable } from 'node:stream';
import { fixedClock } from '../../src/core/clock.ts';
import { ingestEvents } from '../../src/ingest/events.ts';
import { silentLogger } from '../../src/log.ts';
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
  // In chunks: a statement takes at most 65,535 parameters.
  for (let from = 0; from < accounts.length; from += 1000) {
    await db
      .insertInto('directory_accounts')
      .values(
        accounts.slice(from, from + 1000).map((a, j) => {
          const i = from + j;
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

// ---------------------------------------------------------------------------------------------
// A small event-sourced workspace, worked out by hand
//
// Today is Thursday 2026-11-26 (WSA_NOW). Last week is Sunday 2026-11-15 … Saturday 2026-11-21,
// the week before 2026-11-08 … 2026-11-14. Every message is its own conversation.
//
//   week 15–21 Nov: owner 3 messages (two on the 16th, one of them with a tool; one on the 18th,
//                   a writing task), admin 2 (17th, both coding tasks), member 2 (20th, 21st)
//                   → active_users 3, messages 7, tool_messages 1, conversations 7,
//                     task types: coding 2 (2/3 of typed ones), writing 1 (1/3)
//   week 8–14 Nov:  owner 2 (8th, 10th), admin 1 (12th)
//                   → active_users 2, messages 3, conversations 3
//
// Data runs 2026-11-08 … 2026-11-21, so both weeks are wholly covered. Last week against the week
// before: active users 3 vs 2 = +50%; messages 7 vs 3 = +133.3%; conversations 7 vs 3 = +133.3%.

export const TODAY_NOW = new Date('2026-11-26T10:00:00Z');

export const PEOPLE = {
  owner: { email: 'Olive.Owner@example.com', public_id: 'user-owner0000000000000000000', user_role: 'account-owner' },
  admin: { email: 'adam.admin@example.com', public_id: 'user-admin0000000000000000000', user_role: 'account-admin' },
  member: { email: 'mia.member@example.com', public_id: 'user-member000000000000000000', user_role: 'standard-user' },
} as const;

function event(id: string, ts: string, who: keyof typeof PEOPLE, extra: Record<string, string> = {}): string {
  return JSON.stringify({ id, ts, user: PEOPLE[who].public_id, conversation_id: `c-${id}`, ...extra });
}

export const SMALL_EVENTS = [
  event('e0', '2026-11-08T09:00:00Z', 'owner'),
  event('e1', '2026-11-10T09:00:00Z', 'owner'),
  event('e2', '2026-11-12T09:00:00Z', 'admin'),
  event('e3', '2026-11-16T09:00:00Z', 'owner'),
  event('e4', '2026-11-16T10:00:00Z', 'owner', { tool: 'python' }),
  event('e5', '2026-11-18T09:00:00Z', 'owner', { task_type: 'writing' }),
  event('e6', '2026-11-17T09:00:00Z', 'admin', { task_type: 'coding' }),
  event('e7', '2026-11-17T11:00:00Z', 'admin', { task_type: 'coding' }),
  event('e8', '2026-11-20T09:00:00Z', 'member'),
  event('e9', '2026-11-21T23:59:00Z', 'member'),
].join('\n');

/** The directory (as of 2026-11-21) and the events above, through the real ingest. */
export async function seedSmallWorkspace(db: Db): Promise<void> {
  await addDirectorySnapshot(db, '2026-11-21', [
    { email: PEOPLE.owner.email, user_role: PEOPLE.owner.user_role, public_id: PEOPLE.owner.public_id },
    { email: PEOPLE.admin.email, user_role: PEOPLE.admin.user_role, public_id: PEOPLE.admin.public_id },
    { email: PEOPLE.member.email, user_role: PEOPLE.member.user_role, public_id: PEOPLE.member.public_id },
  ]);
  await ingestEvents(db, Readable.from([SMALL_EVENTS]), {
    clock: fixedClock(TODAY_NOW),
    logger: silentLogger(),
    sourceName: 'small.ndjson',
  });
}
