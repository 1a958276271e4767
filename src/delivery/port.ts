/**
 * The port every chat adapter implements: what the delivery of answers, exports and digests needs
 * from a platform, and nothing of how the platform does it. The Slack adapter implements it
 * (src/adapters/slack/deliver.ts); the Teams adapter will.
 */
import type { FileAttachment, Reply } from '../core/reply.ts';

/** The chat platforms wsa answers on. */
export type ChatPlatform = 'slack' | 'teams';

/**
 * The person who asked, and the conversation they asked in. An adapter extends it with what it
 * needs to answer them there (Slack: the command's response_url).
 */
export interface Asker {
  /** The platform's user id. */
  readonly userId: string;
  /** The conversation the request came from (a Slack channel, a Teams conversation). */
  readonly conversationId: string;
  /** The thread the request came from, to answer in it. */
  readonly threadId?: string;
}

/** A conversation to post into: a Slack channel, a Teams channel or chat. */
export interface Target {
  readonly conversationId: string;
  /** Post into this thread rather than at the top level. */
  readonly threadId?: string;
}

/** Why a platform would not take a post into a conversation (as opposed to something breaking). */
export type TargetRefusal = 'not_in_channel' | 'channel_not_found' | 'archived' | 'restricted' | 'no_reference';

/** The platform refused the target: the bot is not in it, it is archived, apps may not post. */
export class TargetRefusedError extends Error {
  constructor(readonly refusal: TargetRefusal) {
    super(`the conversation refused the post: ${refusal}`);
    this.name = 'TargetRefusedError';
  }
}

/** How a private answer reached the asker: in place, visible to them alone, or in a 1:1 chat. */
export type PrivateDelivery = 'ephemeral' | 'direct';

export interface DeliveryNotes {
  /** Sentences of the delivery's own (which form went where, what was left out), shown with the answer. */
  readonly notes?: readonly string[];
}

export interface DeliveryPort<A extends Asker = Asker> {
  readonly platform: ChatPlatform;

  /**
   * Answers the asker alone, with the whole Reply: its text, each chart as an image (as its text
   * fallback when the render or the upload fails) and its files. Where the platform cannot show
   * images or files to one person in place, they go to the person's 1:1 chat with the bot, with a
   * pointer where they asked.
   */
  replyPrivately(asker: A, reply: Reply, options?: DeliveryNotes): Promise<PrivateDelivery>;

  /**
   * Posts a Reply into a conversation with no asker waiting (a digest, or the channel form of an
   * answer): text and charts; never files, which go only to a person (`uploadPrivately`).
   * Throws TargetRefusedError when the platform will not take a post there.
   */
  postToTarget(target: Target, reply: Reply, options?: DeliveryNotes): Promise<void>;

  /**
   * Uploads one file to a person privately (their 1:1 chat with the bot), with a short message.
   * A file on disk is read as a stream, never whole into memory.
   */
  uploadPrivately(userId: string, file: FileAttachment, options?: { message?: string }): Promise<void>;
}
