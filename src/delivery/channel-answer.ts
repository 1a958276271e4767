/**
 * Where each part of an answer asked into a channel goes, whatever the platform. The core chose the
 * channel's form for its readers (core/access/audience.ts); this decides the messages:
 * - the full answer, for readers who may all see people → into the channel;
 * - the aggregate form → into the channel, and the full answer to the asker privately, told why;
 * - a channel form that is a refusal (a `team:` too small, an answer about a person) → nothing into
 *   the channel, the full answer to the asker privately with the reason;
 * - files → only ever to the asker: a channel never gets one, whatever its readers.
 */
import type { Answered } from '../core/answer.ts';
import type { Reply } from '../core/reply.ts';
import { deliveryWording } from './wording.ts';

export interface Part {
  readonly reply: Reply;
  readonly notes: readonly string[];
}

export interface ChannelPlan {
  /** What goes into the channel; null when nothing does. */
  readonly channel: Part | null;
  /** What goes to the asker alone; null when the channel got everything. */
  readonly asker: Part | null;
}

export function planChannelAnswer(answered: Answered): ChannelPlan {
  const full = answered.reply;
  const form = answered.channel;
  if (form === null) return { channel: null, asker: { reply: full, notes: [] } };
  const files = full.files.length > 0 ? [deliveryWording.filesNotInChannel()] : [];
  if (form.reply.error) {
    return { channel: null, asker: { reply: full, notes: [deliveryWording.notPostedToChannel(form.reply.error.message)] } };
  }
  const channelReply: Reply = { ...form.reply, files: [] };
  if (form.form === 'full') {
    return { channel: { reply: channelReply, notes: [] }, asker: files.length > 0 ? { reply: full, notes: files } : null };
  }
  return {
    channel: { reply: channelReply, notes: [deliveryWording.channelNote()] },
    asker: { reply: full, notes: [deliveryWording.postedAggregateFull(form.reason), ...files] },
  };
}
