/**
 * Power users asked, once each, whether a channel's shout-out may name them (docs/design.md §8):
 * the question, and the asking a digest run does after posting into a channel.
 */
import type { DateRange } from '../core/periods.ts';
import { markAsked, settleAsked } from '../store/digest-opt-ins.ts';
import type { DigestSubscription } from '../store/digest-subscriptions.ts';
import type { DigestPoster, DigestRunDeps } from './digest-runs.ts';

/** The question a power user is asked once: words, and the command each answer runs as them. */
export interface NamingQuestion {
  readonly text: string;
  readonly yes: { readonly label: string; readonly command: string };
  readonly no: { readonly label: string; readonly command: string };
}

export const NAMING_QUESTION: NamingQuestion = {
  text:
    "You're one of this workspace's power users of the AI assistant. The weekly shout-out in a channel names power users who agree to it. " +
    'May it name you?',
  yes: { label: 'Yes, name me', command: 'digest opt-in' },
  no: { label: 'No, thanks', command: 'digest opt-out' },
};

/**
 * Asks, once each, the people a channel's shout-out would name if they agreed: the first time
 * they would be named. Someone asked before (on any subscription, by any process) is not asked
 * again; their answer is theirs to give with `digest opt-in` / `digest opt-out`.
 */
export async function askPowerUsers(deps: DigestRunDeps, poster: DigestPoster, sub: DigestSubscription, period: DateRange): Promise<void> {
  const kind = deps.digests.find((d) => d.name === sub.kind);
  if (!kind?.wouldName || !poster.askToBeNamed) return;
  const input = { db: deps.db, clock: deps.clock, logger: deps.logger, period, ...(sub.groupId ? { group: sub.groupId } : {}), audience: 'channel' as const };
  for (const person of await kind.wouldName(input)) {
    // Claimed first, so two processes never both ask; settled once the platform has been tried:
    // withdrawn when it does not know them here or the post failed, so a later run can ask.
    if (!(await markAsked(deps.db, person.email, { platform: sub.platform, userId: '' }, deps.clock.now()))) continue;
    let asked: { platform: string; userId: string } | null = null;
    try {
      asked = await poster.askToBeNamed(person.email, NAMING_QUESTION, { conversationId: sub.target });
    } catch (error) {
      deps.logger.warn({ err: error, subscription: sub.id }, 'digest.ask_failed');
    }
    await settleAsked(deps.db, person.email, asked);
    deps.logger.info({ subscription: sub.id, asked: asked !== null }, 'digest.asked_to_be_named');
  }
}
