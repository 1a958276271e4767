/**
 * The workspace of the channel-audience tests on Slack and Teams: the small workspace of the
 * answers tests (an owner, an admin and a member, worked out by hand in test/answers/support.ts)
 * with one group, Sales EMEA, of two members — under the minimum group size of 10 — and what a
 * channel form must never show: each person's email, directory name and public id, and the group.
 */
import { PEOPLE, seedSmallWorkspace } from '../answers/support.ts';
import type { Db } from '../../src/store/schema.ts';

export const SMALL_GROUP = 'Sales EMEA';

export async function seedAudienceWorkspace(db: Db): Promise<void> {
  await seedSmallWorkspace(db);
  await db.insertInto('scim_groups').values({ group_id: 'g-sales', name: SMALL_GROUP, name_key: 'sales emea', named_as_of: '2026-11-21' }).execute();
  for (const p of [PEOPLE.admin, PEOPLE.member]) {
    await db.updateTable('directory_accounts').set({ group_ids: ['g-sales'] }).where('email_key', '=', p.email.toLowerCase()).execute();
  }
}

/** Emails, names (the directory's: the email's local part) and public ids of the people. */
export const PEOPLE_SECRETS: readonly string[] = Object.values(PEOPLE).flatMap((p) => [p.email, p.email.split('@')[0]!, p.public_id]);
