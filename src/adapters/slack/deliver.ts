/**
 * Where an answer goes, and how it survives failures (DESIGN §7, §9; issue 6):
 * - privately by default: a text-only answer as an ephemeral message (the command's
 *   response_url, else chat.postEphemeral); an answer with charts or files in the asker's DM with
 *   the bot (files cannot be ephemeral), with a short ephemeral pointer where they asked;
 * - into the channel on request (`post:channel`): the aggregate form only (aggregate.ts); when
 *   that left something out, the asker also gets the full answer privately and is told which form
 *   went where. Where the bot may not post, it says so and offers the answer privately (a button);
 * - files go up through files.uploadV2 (getUploadURLExternal → upload → completeUploadExternal)
 *   with the answer's blocks as the message they are shared with. When an upload fails the answer
 *   is posted anyway, with each chart's text fallback in place of its image.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import type { Reply } from '../../core/reply.ts';
import { renderCharts, type RenderChart, type RenderedCharts } from '../../delivery/charts.ts';
import { aggregateForm, describeRemoved } from './aggregate.ts';
import {
  noticeMessage,
  offerPrivateMessage,
  replyMessages,
  type SlackMessage,
} from './render-blocks.ts';
import { MAX_RESPONSE_URL_POSTS } from './limits.ts';
import { ResponseUrlRefusedError } from './response-url.ts';
import { callSlack, slackErrorCode, type RetryPolicy } from './slack-call.ts';
import { slackWording } from './wording.ts';
import { deliveryWording } from '../../delivery/wording.ts';


/** Posts to the command's response_url (response-url.ts). */
export type RespondFn = (message: Record<string, unknown>) => Promise<unknown>;

/** Who asked, and where. */
export interface Audience {
  userId: string;
  channelId: string;
  /** The thread the request came from (an app mention in a thread), to answer there. */
  threadTs?: string;
  respond?: RespondFn;
  /** The command text without the destination option, for the "send it privately" button. */
  commandText: string;
}

interface Upload {
  filename: string;
  title: string;
  altText?: string;
  data: Buffer;
}

export type ChannelRefusal = 'not_in_channel' | 'channel_not_found' | 'archived' | 'restricted';

/** Slack errors that mean "the bot may not post there", as opposed to "something broke". */
export function channelRefusal(code: string | undefined): ChannelRefusal | undefined {
  if (!code) return undefined;
  if (code === 'not_in_channel') return 'not_in_channel';
  if (code === 'channel_not_found') return 'channel_not_found';
  if (code === 'is_archived') return 'archived';
  if (code.startsWith('restricted_action') || code === 'ekm_access_denied') return 'restricted';
  return undefined;
}

class ChannelRefusedError extends Error {
  constructor(readonly refusal: ChannelRefusal) {
    super(`channel refused: ${refusal}`);
  }
}

const ALT_TEXT_MAX = 1000;

export interface DeliveryOptions {
  client: webApi.WebClient;
  logger: Logger;
  renderChart?: RenderChart;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

export type Delivered = 'ephemeral' | 'dm' | 'channel' | 'refused';

export class SlackDelivery {
  readonly #o: DeliveryOptions;

  constructor(options: DeliveryOptions) {
    this.#o = options;
  }

  #call<T>(method: string, kind: 'post' | 'idempotent', fn: () => Promise<T>): Promise<T> {
    return callSlack(
      {
        method,
        kind,
        ...(this.#o.retryPolicy ? { policy: this.#o.retryPolicy } : {}),
        ...(this.#o.sleep ? { sleep: this.#o.sleep } : {}),
        onRetry: (info) => this.#o.logger.warn(info, 'slack.api.retry'),
      },
      fn,
    );
  }

  /** The whole answer, where it was asked to go. */
  async deliver(reply: Reply, audience: Audience, destination: 'private' | 'channel'): Promise<Delivered> {
    if (destination === 'channel' && !reply.error) return this.#toChannel(reply, audience);
    return this.#privately(reply, audience, []);
  }

  /** A short notice to the asker only. */
  async notice(audience: Audience, message: SlackMessage): Promise<void> {
    await this.#ephemeral(audience, [message]);
  }

  // -------------------------------------------------------------------------------------------

  async #privately(reply: Reply, audience: Audience, notes: string[]): Promise<Delivered> {
    const charts = await this.#renderCharts(reply);
    const uploads = [...this.#chartUploads(reply, charts), ...this.#fileUploads(reply)];
    if (uploads.length === 0) {
      const messages = replyMessages(reply, { notes, attachFailed: charts.failed, maxMessages: MAX_RESPONSE_URL_POSTS });
      await this.#ephemeral(audience, messages);
      return 'ephemeral';
    }
    let dm: string;
    try {
      dm = await this.#openDm(audience.userId);
    } catch (error) {
      this.#o.logger.warn({ err: error }, 'slack.dm.open_failed');
      const messages = replyMessages(reply, { notes, attachFailed: true, maxMessages: MAX_RESPONSE_URL_POSTS });
      await this.#ephemeral(audience, messages);
      return 'ephemeral';
    }
    await this.#postWithUploads(dm, undefined, reply, notes, charts, uploads);
    if (dm !== audience.channelId) {
      const pointer = reply.charts.length > 0 ? slackWording.sentToDm() : slackWording.sentFilesToDm();
      await this.#ephemeral(audience, [noticeMessage(pointer)]).catch((error: unknown) =>
        this.#o.logger.warn({ err: error }, 'slack.pointer.failed'),
      );
    }
    return 'dm';
  }

  async #toChannel(reply: Reply, audience: Audience): Promise<Delivered> {
    const form = aggregateForm(reply);
    const notes = form.changed ? [deliveryWording.channelNote()] : [];
    try {
      const charts = await this.#renderCharts(form.reply);
      const uploads = this.#chartUploads(form.reply, charts);
      if (uploads.length === 0) {
        const messages = replyMessages(form.reply, { notes, attachFailed: charts.failed });
        await this.#postMessages(audience.channelId, audience.threadTs, messages);
      } else {
        await this.#postWithUploads(audience.channelId, audience.threadTs, form.reply, notes, charts, uploads);
      }
    } catch (error) {
      if (error instanceof ChannelRefusedError) {
        this.#o.logger.info({ refusal: error.refusal }, 'slack.channel.refused');
        await this.#ephemeral(audience, [offerPrivateMessage(slackWording.cannotPostHere(error.refusal), audience.commandText)]);
        return 'refused';
      }
      throw error;
    }
    if (form.changed) {
      const removed = describeRemoved(form.removed);
      await this.#privately(reply, audience, [deliveryWording.postedAggregateFull(removed)]);
    }
    return 'channel';
  }

  // -------------------------------------------------------------------------------------------

  #renderCharts(reply: Reply): Promise<RenderedCharts> {
    return renderCharts(reply, this.#o.renderChart, ({ error, chart }) =>
      this.#o.logger.warn({ err: error, command: reply.command, chart: chart.kind }, 'slack.chart.render_failed'),
    );
  }

  #chartUploads(reply: Reply, charts: RenderedCharts): Upload[] {
    return charts.rendered.map((c) => ({
      filename: c.filename,
      title: reply.charts.length > 1 ? `${reply.title} (${c.index + 1})` : reply.title,
      altText: c.chart.altText.slice(0, ALT_TEXT_MAX),
      data: Buffer.from(c.png.buffer, c.png.byteOffset, c.png.byteLength),
    }));
  }

  #fileUploads(reply: Reply): Upload[] {
    return reply.files.map((f) => ({
      filename: f.name,
      title: f.name,
      data: typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : Buffer.from(f.content),
    }));
  }

  async #openDm(userId: string): Promise<string> {
    const result = await this.#call('conversations.open', 'idempotent', () => this.#o.client.conversations.open({ users: userId }));
    const id = result.channel?.id;
    if (!id) throw new Error('conversations.open returned no channel');
    return id;
  }

  async #postMessages(channel: string, threadTs: string | undefined, messages: SlackMessage[]): Promise<void> {
    for (const message of messages) {
      try {
        await this.#call('chat.postMessage', 'post', () =>
          this.#o.client.chat.postMessage({
            channel,
            text: message.text,
            blocks: message.blocks,
            ...(threadTs ? { thread_ts: threadTs } : {}),
            unfurl_links: false,
            unfurl_media: false,
          }),
        );
      } catch (error) {
        const refusal = channelRefusal(slackErrorCode(error));
        if (refusal) throw new ChannelRefusedError(refusal);
        throw error;
      }
    }
  }

  /**
   * The first message goes up with the files (its blocks are the message they are shared in), the
   * rest as plain posts. A failed upload falls back to posting the answer with text fallbacks.
   */
  async #postWithUploads(
    channel: string,
    threadTs: string | undefined,
    reply: Reply,
    notes: string[],
    charts: RenderedCharts,
    uploads: Upload[],
  ): Promise<void> {
    const attached = new Set(charts.rendered.map((c) => c.index));
    const messages = replyMessages(reply, { notes, attachedCharts: attached, attachFailed: charts.failed });
    const [first, ...rest] = messages;
    try {
      await this.#call('files.uploadV2', 'post', () =>
        this.#o.client.filesUploadV2({
          channel_id: channel,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...(first ? { blocks: first.blocks } : {}),
          file_uploads: uploads.map((u) => ({
            file: u.data,
            filename: u.filename,
            title: u.title,
            ...(u.altText ? { alt_text: u.altText } : {}),
          })),
        }),
      );
    } catch (error) {
      const refusal = channelRefusal(slackErrorCode(error));
      if (refusal) throw new ChannelRefusedError(refusal);
      this.#o.logger.warn({ err: error, command: reply.command }, 'slack.upload.failed');
      const fileNotes = reply.files.map((f) => deliveryWording.fileUnavailable(f.name));
      await this.#postMessages(channel, threadTs, replyMessages(reply, { notes: [...notes, ...fileNotes], attachFailed: true }));
      return;
    }
    if (rest.length > 0) await this.#postMessages(channel, threadTs, rest);
  }

  /** Ephemeral messages: through response_url when there is one, else chat.postEphemeral. */
  async #ephemeral(audience: Audience, messages: SlackMessage[]): Promise<void> {
    for (const message of messages.slice(0, MAX_RESPONSE_URL_POSTS)) {
      if (audience.respond) {
        try {
          await audience.respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
          continue;
        } catch (error) {
          // Slack refused the response_url (expired, or used five times): the Web API instead.
          // Anything else (a lost connection) may have posted, so it is not sent a second way.
          if (!(error instanceof ResponseUrlRefusedError)) throw error;
          this.#o.logger.warn({ status: error.status }, 'slack.respond.refused');
        }
      }
      await this.#call('chat.postEphemeral', 'post', () =>
        this.#o.client.chat.postEphemeral({
          channel: audience.channelId,
          user: audience.userId,
          text: message.text,
          blocks: message.blocks,
          ...(audience.threadTs ? { thread_ts: audience.threadTs } : {}),
        }),
      );
    }
  }
}
