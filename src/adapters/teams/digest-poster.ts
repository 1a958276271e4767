/**
 * Digests into Teams conversations (docs/design.md §8): an Adaptive Card with its charts inline,
 * posted proactively through the stored conversation reference — which is also the check made
 * before subscribing (a conversation the bot was never added to has none). Teams offers no way to
 * find an earlier post by a key, so a claim taken over after a crash re-posts (digest-runs.ts says
 * what that means). Rate limits: the connector client honours 429 Retry-After (connector-http.ts).
 * A power user is asked about being named in their personal chat, found among the target's readers.
 */
import { reply } from '../../core/reply.ts';
import type { DigestPoster } from '../../delivery/digest-runs.ts';
import type { NamingQuestion } from '../../delivery/digest-naming.ts';
import { TargetRefusedError, type DeliveryPort } from '../../delivery/port.ts';
import type { ConversationStore } from './index.ts';

export function teamsDigestPoster(
  port: DeliveryPort,
  conversations: ConversationStore,
  readersOf: (reference: Record<string, unknown>) => Promise<(string | null)[]>,
  ask: (reference: Record<string, unknown>, email: string, question: NamingQuestion) => Promise<string | null>,
): DigestPoster {
  return {
    platform: 'teams',
    async readersOf(target) {
      const stored = await conversations.find(target.conversationId);
      if (!stored) throw new TargetRefusedError('no_reference');
      return readersOf(stored.reference);
    },
    async canPost(target) {
      if (!(await conversations.find(target.conversationId))) throw new TargetRefusedError('no_reference');
    },
    async postToTarget(target, digest, options = {}) {
      await port.postToTarget(target, digest, options.notes ? { notes: options.notes } : {});
    },
    async askToBeNamed(email, question, target) {
      const stored = await conversations.find(target.conversationId);
      if (!stored) return null;
      const userId = await ask(stored.reference, email, question);
      return userId ? { platform: 'teams', userId } : null;
    },
    async tellPrivately(userId, text) {
      await port.replyPrivately({ userId, conversationId: '' }, reply({ command: 'digest', title: 'Digest switched off', summary: [text] }));
    },
  };
}
