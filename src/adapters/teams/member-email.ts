/**
 * Teams user → email (or UPN when Teams gives no email) through `TeamsInfo.getMember`, cached
 * for a while so a burst of commands from one person costs one call. The core maps it to a
 * directory account and a role. A user Teams gives neither for is cached too, for a shorter time.
 * Emails are never logged.
 */
import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { Logger } from '../../log.ts';
import { createExpiringCache } from '../../delivery/expiring-cache.ts';

export const EMAIL_TTL_MS = 10 * 60_000;
export const MISSING_EMAIL_TTL_MS = 60_000;
export const MAX_CACHED_MEMBERS = 5000;

export interface MemberEmails {
  /** The member's email or UPN, or null when Teams gives neither. */
  emailOf(context: TurnContext, userId: string): Promise<string | null>;
}

export function createMemberEmails(options: { logger: Logger; nowMs?: () => number }): MemberEmails {
  const cache = createExpiringCache<string | null>({
    maxEntries: MAX_CACHED_MEMBERS,
    ttlMs: (email) => (email ? EMAIL_TTL_MS : MISSING_EMAIL_TTL_MS),
    ...(options.nowMs ? { nowMs: options.nowMs } : {}),
  });
  return {
    emailOf(context, userId) {
      const tenant = (context.activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? '';
      return cache.get(`${tenant}:${userId}`, async () => {
        const member = await TeamsInfo.getMember(context, userId);
        const email = (member.email ?? member.userPrincipalName ?? '').trim() || null;
        if (!email) options.logger.warn({ user: userId }, 'teams.identity.no_email');
        return email;
      });
    },
  };
}
