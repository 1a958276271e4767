/**
 * Who can read a Teams channel or group chat, for the core's audience decision
 * (src/core/access/audience.ts): its members through `TeamsInfo.getPagedMembers` (the team's
 * roster for a channel), 500 a page, as emails (the UPN when Teams gives no email; null when it
 * gives neither). Teams lists people only — the bot is not among them, and an account removed
 * from the tenant leaves the roster — so nothing is filtered here. Rosters are cached briefly per
 * conversation (a channel's thread ids share one), and a lookup in flight is shared. The turn that
 * asked has ended when the core asks, so the lookup runs in a context of its own, opened from the
 * conversation reference with the channel's id (not the thread's).
 */
import { TeamsInfo, type ConversationReference, type TurnContext } from 'botbuilder';
import { createExpiringCache } from '../../delivery/expiring-cache.ts';
import { emailKey } from '../../store/directory-accounts.ts';

export const ROSTER_TTL_MS = 60_000;
/** The most members Teams gives in one page. */
export const MEMBERS_PAGE = 500;
export const MAX_CACHED_ROSTERS = 500;

/** Runs `logic` in a turn context of a conversation (the adapter's continueConversationAsync). */
export type ContinueConversation = (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

export interface ConversationReaders {
  /** The readers of the conversation a reference points to (a channel's thread: the channel's). */
  readersOf(reference: Partial<ConversationReference>): Promise<(string | null)[]>;
  /** The Teams user id of the reader with this email (compared as the directory does), or null. */
  memberByEmail(reference: Partial<ConversationReference>, email: string): Promise<string | null>;
}

interface Member {
  readonly id: string;
  /** The email, else the UPN; null when Teams gives neither. */
  readonly email: string | null;
}

/** `19:abc@thread.tacv2;messageid=123` → `19:abc@thread.tacv2`: every thread of a channel has its readers. */
export function rosterKey(conversationId: string): string {
  return conversationId.split(';')[0] ?? conversationId;
}

export function createConversationReaders(options: { continueConversation: ContinueConversation; nowMs?: () => number }): ConversationReaders {
  const rosters = createExpiringCache<Member[]>({
    maxEntries: MAX_CACHED_ROSTERS,
    ttlMs: () => ROSTER_TTL_MS,
    ...(options.nowMs ? { nowMs: options.nowMs } : {}),
  });
  function rosterOf(reference: Partial<ConversationReference>): Promise<Member[]> {
    const key = rosterKey(reference.conversation?.id ?? '');
    const channel = { ...reference, conversation: { ...reference.conversation, id: key } } as Partial<ConversationReference>;
    return rosters.get(key, async () => {
      const out: Member[] = [];
      await options.continueConversation(channel, async (context) => {
        let token: string | undefined;
        do {
          const page = await TeamsInfo.getPagedMembers(context, MEMBERS_PAGE, token);
          for (const m of page.members ?? []) out.push({ id: m.id, email: (m.email ?? m.userPrincipalName ?? '').trim() || null });
          token = page.continuationToken || undefined;
        } while (token);
      });
      return out;
    });
  }
  return {
    async readersOf(reference) {
      return (await rosterOf(reference)).map((m) => m.email);
    },
    async memberByEmail(reference, email) {
      const wanted = emailKey(email);
      return (await rosterOf(reference)).find((m) => m.email !== null && emailKey(m.email) === wanted)?.id ?? null;
    },
  };
}
