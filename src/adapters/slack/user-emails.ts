/**
 * Slack user → email (docs/design.md §7: `users.info` with `users:read.email`), cached for a while so a
 * burst of commands from one person costs one call. The email goes to the core as the caller's
 * identity; the directory lookup and the role check happen there. A user without a readable email
 * (a bot, a guest whose profile hides it, a missing scope) is cached too, for a shorter time.
 * Emails are never logged.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import { createExpiringCache } from '../../delivery/expiring-cache.ts';
import { callSlack, slackErrorCode, type RetryPolicy } from './slack-call.ts';

export const EMAIL_TTL_MS = 10 * 60_000;
export const MISSING_EMAIL_TTL_MS = 60_000;
export const MAX_CACHED_USERS = 5000;

export interface EmailResolver {
  /** The user's email, or null when Slack does not give one. Throws a PlatformError when Slack fails. */
  emailOf(userId: string, teamId?: string): Promise<string | null>;
  forget(userId: string): void;
}

export interface EmailResolverOptions {
  client: webApi.WebClient;
  logger: Logger;
  nowMs?: () => number;
  ttlMs?: number;
  missingTtlMs?: number;
  maxEntries?: number;
  retryPolicy?: RetryPolicy;
}

export function createEmailResolver(options: EmailResolverOptions): EmailResolver {
  const ttl = options.ttlMs ?? EMAIL_TTL_MS;
  const missingTtl = options.missingTtlMs ?? MISSING_EMAIL_TTL_MS;
  const cache = createExpiringCache<string | null>({
    maxEntries: options.maxEntries ?? MAX_CACHED_USERS,
    ttlMs: (email) => (email ? ttl : missingTtl),
    ...(options.nowMs ? { nowMs: options.nowMs } : {}),
  });

  async function lookup(userId: string): Promise<string | null> {
    try {
      const result = await callSlack(
        { method: 'users.info', kind: 'idempotent', ...(options.retryPolicy ? { policy: options.retryPolicy } : {}) },
        () => options.client.users.info({ user: userId }),
      );
      const email = result.user?.profile?.email?.trim() || null;
      if (!email) options.logger.warn({ user: userId }, 'slack.identity.no_email');
      return email;
    } catch (error) {
      if (slackErrorCode(error) === 'user_not_found') return null;
      throw error;
    }
  }

  return {
    emailOf(userId, teamId) {
      return cache.get(`${teamId ?? ''}:${userId}`, () => lookup(userId));
    },
    forget(userId) {
      cache.deleteWhere((key) => key.endsWith(`:${userId}`));
    },
  };
}
