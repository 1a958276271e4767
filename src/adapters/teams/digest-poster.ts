/**
 * Digests into Teams conversations (docs/design.md §8): an Adaptive Card with its charts inline,
 * posted proactively through the stored conversation reference — which is also the check made
 * before subscribing (a conversation the bot was never added to has none). Teams offers no way to
 * find an earlier post by a key, so a claim taken over after a crash re-posts (digest-runs.ts says
 * what that means). Rate limits: the connector client honours 429 Retry-After (connector-http.ts).
 * A power user is asked about being named in their personal chat, found among the target's readers.
 */
import type { Activity, ConversationReference } from 'botbuilder';
import { reply } from '../../core/reply.ts';
import type { DigestPoster } from '../../delivery/digest-runs.ts';
import { TargetRefusedError, type DeliveryPort } from '../../delivery/port.ts';
import type { ConversationReaders } from './conversation-readers.ts';
import type { ConversationStore } from './index.ts';
import { questionCard, type AdaptiveCard } from './render-card.ts';

export interface TeamsDigestPosterDeps {
  readonly port: DeliveryPort;
  readonly conversations: ConversationStore;
  readonly readers: ConversationReaders;
  /** Sends a card into a person's personal chat, opening one from `opener` when there is none yet. */
  sendToPersonalChat(userId: string, opener: Partial<Activity>, card: AdaptiveCard, text: string): Promise<void>;
}

/** The first activity of a conversation Teams would send from this reference: to open a personal chat from it. */
function openerFrom(reference: Partial<ConversationReference>): Partial<Activity> {
  const tenantId = reference.conversation?.tenantId;
  return {
    channelId: reference.channelId ?? 'msteams',
    ...(reference.serviceUrl ? { serviceUrl: reference.serviceUrl } : {}),
    ...(reference.bot ? { recipient: reference.bot } : {}),
    ...(tenantId ? { channelData: { tenant: { id: tenantId } } } : {}),
  };
}

export function teamsDigestPoster({ port, conversations, readers, sendToPersonalChat }: TeamsDigestPosterDeps): DigestPoster {
  return {
    platform: 'teams',
    async readersOf(target) {
      const stored = await conversations.find(target.conversationId);
      if (!stored) throw new TargetRefusedError('no_reference');
      return readers.readersOf(stored.reference as Partial<ConversationReference>);
    },
    async canPost(target) {
      if (!(await conversations.find(target.conversationId))) throw new TargetRefusedError('no_reference');
    },
    async postToTarget(target, digest, options = {}) {
      await port.postToTarget(target, digest, options.notes ? { notes: options.notes } : {});
    },
    // A reader of the target, asked in their personal chat; the card's buttons send
    // `digest opt-in` / `digest opt-out` as them. Null when they are not among its readers.
    async askToBeNamed(email, question, target) {
      const stored = await conversations.find(target.conversationId);
      if (!stored) return null;
      const reference = stored.reference as Partial<ConversationReference>;
      const userId = await readers.memberByEmail(reference, email);
      if (!userId) return null;
      const text = `${question.text} You can change your mind any time by sending me “${question.no.command}” or “${question.yes.command}”.`;
      await sendToPersonalChat(userId, openerFrom(reference), questionCard(text, [question.yes, question.no]), text);
      return { platform: 'teams', userId };
    },
    async tellPrivately(userId, text) {
      await port.replyPrivately({ userId, conversationId: '' }, reply({ command: 'digest', title: 'Digest switched off', summary: [text] }));
    },
  };
}
