/**
 * Who can read a Teams channel or group chat, for the core's audience decision
 * (src/core/access/audience.ts): its members through `TeamsInfo.getPagedMembers` (the team's
 * roster for a channel), 500 a page, as emails (the UPN when Teams gives no email; null when it
 * gives neither). Teams lists people only — the bot is not among them, and an account removed
 * from the tenant leaves the roster — so nothing is filtered here. Rosters are cached briefly per
 * conversation (a channel's thread ids share one), and a lookup in flight is shared. The turn that
 * asked has ended when the core asks, so the lookup runs in a context of its own, opened from the
 * conversation reference.
 */
import { TeamsInfo, type TurnContext } from 'botbuilder';
import { createExpiringCache } from '../../delivery/expiring-cache.ts';

export const ROSTER_TTL_MS = 60_000;
/** The most members Teams gives in one page. */
export const MEMBERS_PAGE = 500;
export const MAX_CACHED_ROSTERS = 500;

/** Runs `fn` in a turn context of the conversation (the adapter's continueConversationAsync). */
export type InConversation = <T>(fn: (context: TurnContext) => Promise<T>) => Promise<T>;

export interface ConversationReaders {
  readersOf(conversationId: string, inConversation: InConversation): Promise<(string | null)[]>;
}

/** `19:abc@thread.tacv2;messageid=123` → `19:abc@thread.tacv2`: every thread of a channel has its readers. */
function rosterKey(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

export function createConversationReaders(options: { nowMs?: () => number } = {}): ConversationReaders {
  const rosters = createExpiringCache<(string | null)[]>({
    maxEntries: MAX_CACHED_ROSTERS,
    ttlMs: () => ROSTER_TTL_MS,
    ...(options.nowMs ? { nowMs: options.nowMs } : {}),
  });
  return {
    readersOf(conversationId, inConversation) {
      return rosters.get(rosterKey(conversationId), () =>
        inConversation(async (context) => {
          const out: (string | null)[] = [];
          let token: string | undefined;
          do {
            const page = await TeamsInfo.getPagedMembers(context, MEMBERS_PAGE, token);
            for (const m of page.members ?? []) out.push((m.email ?? m.userPrincipalName ?? '').trim() || null);
            token = page.continuationToken || undefined;
          } while (token);
          return out;
        }),
      );
    },
  };
}
