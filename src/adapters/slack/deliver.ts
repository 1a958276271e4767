/**
 * The delivery port (src/delivery/port.ts) on Slack, and the asker's flow built on it:
 * - privately by default (`replyPrivately`): a text-only answer as an ephemeral message (the
 *   command's response_url, else chat.postEphemeral); an answer with charts or files in the
 *   asker's DM with the bot (files cannot be ephemeral), with a short ephemeral pointer where they
 *   asked;
 * - into the channel on request (`post:channel`): the form the core chose for the channel's
 *   readers, through `postToTarget`, and the rest as src/delivery/channel-answer.ts plans it (the
 *   full answer privately when the channel got the aggregate form, files only to the asker). Where
 *   the bot may not post, it says so and offers the answer privately (a button);
 * - files go up through Slack's upload flow (upload.ts), shared with the answer's blocks as their
 *   message. When an upload fails the answer is posted anyway, with each chart's text fallback in
 *   place of its image.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import type { FileAttachment, Reply } from '../../core/reply.ts';
import { renderCharts, type RenderChart, type RenderedCharts } from '../../delivery/charts.ts';
import {
  TargetRefusedError,
  type Asker,
  type DeliveryNotes,
  type DeliveryPort,
  type PrivateDelivery,
  type Target,
  type TargetRefusal,
} from '../../delivery/port.ts';
import { deliveryWording } from '../../delivery/wording.ts';
import { planChannelAnswer } from '../../delivery/channel-answer.ts';
import type { Answered } from '../../core/answer.ts';
import { noticeMessage, offerPrivateMessage, replyMessages, type SlackMessage } from './render-blocks.ts';
import { MAX_RESPONSE_URL_POSTS } from './limits.ts';
import { ResponseUrlRefusedError } from './response-url.ts';
import { slackCaller, slackErrorCode, type CallKind, type RetryPolicy } from './slack-call.ts';
import { createSlackUploader, type SlackUpload, type SlackUploader } from './upload.ts';
import { slackWording } from './wording.ts';

/** Posts to the command's response_url (response-url.ts). */
export type RespondFn = (message: Record<string, unknown>) => Promise<unknown>;

/** Who asked, and where, as Slack knows them. */
export interface SlackAsker extends Asker {
  respond?: RespondFn;
  /** The command text without the destination option, for the "send it privately" button. */
  commandText: string;
}

/** Slack errors that mean "the bot may not post there", as opposed to "something broke". */
export function channelRefusal(code: string | undefined): TargetRefusal | undefined {
  if (!code) return undefined;
  if (code === 'not_in_channel') return 'not_in_channel';
  if (code === 'channel_not_found') return 'channel_not_found';
  if (code === 'is_archived') return 'archived';
  if (code.startsWith('restricted_action') || code === 'ekm_access_denied') return 'restricted';
  return undefined;
}

/** A refusal of the target becomes TargetRefusedError; anything else stays as it was. */
export function asRefusal(error: unknown): unknown {
  const refusal = channelRefusal(slackErrorCode(error));
  return refusal ? new TargetRefusedError(refusal) : error;
}

const ALT_TEXT_MAX = 1000;

export interface SlackDeliveryOptions {
  client: webApi.WebClient;
  logger: Logger;
  renderChart?: RenderChart;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
}

export type Delivered = PrivateDelivery | 'channel' | 'refused';

export class SlackDelivery implements DeliveryPort<SlackAsker> {
  readonly platform = 'slack' as const;
  readonly #o: SlackDeliveryOptions;
  readonly #uploader: SlackUploader;
  readonly #caller: ReturnType<typeof slackCaller>;

  constructor(options: SlackDeliveryOptions) {
    this.#o = options;
    this.#caller = slackCaller(options);
    this.#uploader = createSlackUploader(options.client, (method, kind, fn) => this.#call(method, kind, fn));
  }

  #call<T>(method: string, kind: CallKind, fn: () => Promise<T>): Promise<T> {
    return this.#caller(method, kind, fn);
  }

  /** The whole answer, where the asker asked it to go. */
  async deliver(answered: Answered, asker: SlackAsker, destination: 'private' | 'channel'): Promise<Delivered> {
    if (destination === 'channel' && answered.channel) return this.#toChannel(answered, asker);
    return this.replyPrivately(asker, answered.reply);
  }

  /** A short notice to the asker only. */
  async notice(asker: SlackAsker, message: SlackMessage): Promise<void> {
    await this.#ephemeral(asker, [message]);
  }

  close(): void {
    this.#uploader.close();
  }

  // -------------------------------------------------------------------------------------------
  // The port

  async replyPrivately(asker: SlackAsker, reply: Reply, options: DeliveryNotes = {}): Promise<PrivateDelivery> {
    const notes = options.notes ?? [];
    const charts = await this.#renderCharts(reply);
    const uploads = [...this.#chartUploads(reply, charts), ...reply.files.map((file) => ({ file, title: file.name }))];
    if (uploads.length === 0) {
      const messages = replyMessages(reply, { notes, attachFailed: charts.failed, maxMessages: MAX_RESPONSE_URL_POSTS });
      await this.#ephemeral(asker, messages);
      return 'ephemeral';
    }
    let dm: string;
    try {
      dm = await this.#openDm(asker.userId);
    } catch (error) {
      this.#o.logger.warn({ err: error }, 'slack.dm.open_failed');
      const messages = replyMessages(reply, { notes, attachFailed: true, maxMessages: MAX_RESPONSE_URL_POSTS });
      await this.#ephemeral(asker, messages);
      return 'ephemeral';
    }
    await this.#postWithUploads({ conversationId: dm }, reply, notes, charts, uploads);
    if (dm !== asker.conversationId) {
      const pointer = reply.charts.length > 0 ? slackWording.sentToDm() : slackWording.sentFilesToDm();
      await this.#ephemeral(asker, [noticeMessage(pointer)]).catch((error: unknown) =>
        this.#o.logger.warn({ err: error }, 'slack.pointer.failed'),
      );
    }
    return 'direct';
  }

  async postToTarget(target: Target, reply: Reply, options: DeliveryNotes = {}): Promise<void> {
    const notes = options.notes ?? [];
    const charts = await this.#renderCharts(reply);
    const uploads = this.#chartUploads(reply, charts);
    if (uploads.length === 0) {
      await this.#postMessages(target, replyMessages(reply, { notes, attachFailed: charts.failed }));
      return;
    }
    await this.#postWithUploads(target, reply, notes, charts, uploads);
  }

  async uploadPrivately(userId: string, file: FileAttachment, options: { message?: string } = {}): Promise<void> {
    const dm = await this.#openDm(userId);
    try {
      await this.#uploader.share({
        channelId: dm,
        ...(options.message ? { blocks: noticeMessage(options.message).blocks } : {}),
        files: [{ file, title: file.name }],
      });
    } catch (error) {
      throw asRefusal(error);
    }
  }

  // -------------------------------------------------------------------------------------------

  async #toChannel(answered: Answered, asker: SlackAsker): Promise<Delivered> {
    const plan = planChannelAnswer(answered);
    const target: Target = { conversationId: asker.conversationId, ...(asker.threadId ? { threadId: asker.threadId } : {}) };
    if (plan.channel) {
      try {
        await this.postToTarget(target, plan.channel.reply, { notes: plan.channel.notes });
      } catch (error) {
        if (error instanceof TargetRefusedError) {
          this.#o.logger.info({ refusal: error.refusal }, 'slack.channel.refused');
          await this.#ephemeral(asker, [offerPrivateMessage(slackWording.cannotPostHere(error.refusal), asker.commandText)]);
          return 'refused';
        }
        throw error;
      }
    }
    if (plan.asker) await this.replyPrivately(asker, plan.asker.reply, { notes: plan.asker.notes });
    return plan.channel ? 'channel' : 'direct';
  }

  #renderCharts(reply: Reply): Promise<RenderedCharts> {
    return renderCharts(reply, this.#o.renderChart, ({ error, chart }) =>
      this.#o.logger.warn({ err: error, command: reply.command, chart: chart.kind }, 'slack.chart.render_failed'),
    );
  }

  #chartUploads(reply: Reply, charts: RenderedCharts): SlackUpload[] {
    return charts.rendered.map((c) => ({
      file: { kind: 'png', name: c.filename, content: c.png },
      title: reply.charts.length > 1 ? `${reply.title} (${c.index + 1})` : reply.title,
      altText: c.chart.altText.slice(0, ALT_TEXT_MAX),
    }));
  }

  async #openDm(userId: string): Promise<string> {
    const result = await this.#call('conversations.open', 'idempotent', () => this.#o.client.conversations.open({ users: userId }));
    const id = result.channel?.id;
    if (!id) throw new Error('conversations.open returned no channel');
    return id;
  }

  async #postMessages(target: Target, messages: SlackMessage[]): Promise<void> {
    for (const message of messages) {
      try {
        await this.#call('chat.postMessage', 'post', () =>
          this.#o.client.chat.postMessage({
            channel: target.conversationId,
            text: message.text,
            blocks: message.blocks,
            ...(target.threadId ? { thread_ts: target.threadId } : {}),
            unfurl_links: false,
            unfurl_media: false,
          }),
        );
      } catch (error) {
        throw asRefusal(error);
      }
    }
  }

  /**
   * The first message goes up with the files (its blocks are the message they are shared in), the
   * rest as plain posts. A failed upload falls back to posting the answer with text fallbacks.
   */
  async #postWithUploads(target: Target, reply: Reply, notes: readonly string[], charts: RenderedCharts, uploads: SlackUpload[]): Promise<void> {
    const attached = new Set(charts.rendered.map((c) => c.index));
    const messages = replyMessages(reply, { notes, attachedCharts: attached, attachFailed: charts.failed });
    const [first, ...rest] = messages;
    try {
      await this.#uploader.share({
        channelId: target.conversationId,
        ...(target.threadId ? { threadTs: target.threadId } : {}),
        ...(first ? { blocks: first.blocks } : {}),
        files: uploads,
      });
    } catch (error) {
      const refused = asRefusal(error);
      if (refused instanceof TargetRefusedError) throw refused;
      this.#o.logger.warn({ err: error, command: reply.command }, 'slack.upload.failed');
      const fileNotes = reply.files.map((f) => deliveryWording.fileUnavailable(f.name));
      await this.#postMessages(target, replyMessages(reply, { notes: [...notes, ...fileNotes], attachFailed: true }));
      return;
    }
    if (rest.length > 0) await this.#postMessages(target, rest);
  }

  /** Ephemeral messages: through response_url when there is one, else chat.postEphemeral. */
  async #ephemeral(asker: SlackAsker, messages: SlackMessage[]): Promise<void> {
    for (const message of messages.slice(0, MAX_RESPONSE_URL_POSTS)) {
      if (asker.respond) {
        try {
          await asker.respond({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks });
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
          channel: asker.conversationId,
          user: asker.userId,
          text: message.text,
          blocks: message.blocks,
          ...(asker.threadId ? { thread_ts: asker.threadId } : {}),
        }),
      );
    }
  }
}
