/**
 * Power users' answers about being named in shout-outs (migration 0011), by email key. A person is
 * asked once: `asked` until they answer, then `in` or `out`; `/wsa digest opt-out` sets `out`.
 */
import type { DbOrTx } from './schema.ts';
import { emailKey } from './directory-accounts.ts';

export type OptInChoice = 'asked' | 'in' | 'out';

/** The answers known for these emails (email key → choice); people never asked are absent. */
export async function optInChoices(db: DbOrTx, emails: readonly string[]): Promise<Map<string, OptInChoice>> {
  const keys = [...new Set(emails.map(emailKey))];
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('digest_opt_ins').select(['email_key', 'choice']).where('email_key', 'in', keys).execute();
  return new Map(rows.map((r) => [r.email_key, r.choice]));
}

/** Records that a person was asked; false when they had been asked (or answered) before. */
export async function markAsked(db: DbOrTx, email: string, where: { platform: string; userId: string }, at: Date): Promise<boolean> {
  const row = await db
    .insertInto('digest_opt_ins')
    .values({ email_key: emailKey(email), choice: 'asked', platform: where.platform, user_id: where.userId, asked_at: at, answered_at: null })
    .onConflict((oc) => oc.column('email_key').doNothing())
    .returning('email_key')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Settles a claim made by `markAsked` once the platform has been tried: the person's id where the
 * question went out; the claim withdrawn where it did not (not found there, or the post failed),
 * so a later run or another channel can ask them. An answer given meanwhile is left alone.
 */
export async function settleAsked(db: DbOrTx, email: string, asked: { platform: string; userId: string } | null): Promise<void> {
  if (asked) {
    await db
      .updateTable('digest_opt_ins')
      .set({ platform: asked.platform, user_id: asked.userId })
      .where('email_key', '=', emailKey(email))
      .where('choice', '=', 'asked')
      .where('user_id', '=', '')
      .execute();
    return;
  }
  await db.deleteFrom('digest_opt_ins').where('email_key', '=', emailKey(email)).where('choice', '=', 'asked').where('user_id', '=', '').execute();
}

/** A person's answer (a button in the DM, or `digest opt-out`). */
export async function recordChoice(db: DbOrTx, email: string, choice: 'in' | 'out', at: Date): Promise<void> {
  await db
    .insertInto('digest_opt_ins')
    .values({ email_key: emailKey(email), choice, platform: null, user_id: null, asked_at: null, answered_at: at })
    .onConflict((oc) => oc.column('email_key').doUpdateSet({ choice, answered_at: at }))
    .execute();
}
