/**
 * Digests into Slack channels (docs/design.md §8): one top-level message per digest carrying its
 * (subscription, period) key in Slack message metadata, its charts uploaded into that message's
 * thread; the key read back from the channel's history after a crash, so a post Slack took is not
 * made twice; a channel checked before a subscription is saved (a public channel the bot is not in
 * is joined); its owner told by DM when it is gone. Rate limits and retries: slack-call.ts.
 */
import { webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import type { Reply } from '../../core/reply.ts';
import { renderCharts, type RenderChart } from '../../delivery/charts.ts';
import type { DigestPoster } from '../../delivery/digest-runs.ts';
import type { NamingQuestion } from '../../delivery/digest-naming.ts';
import { TargetRefusedError, type DeliveryNotes, type Target } from '../../delivery/port.ts';
import { deliveryWording } from '../../delivery/wording.ts';
import { asRefusal } from './deliver.ts';
import { commandButtonsMessage, noticeMessage, replyMessages, type SlackMessage } from './render-blocks.ts';
import { slackCaller, slackErrorCode, WEB_CLIENT_RETRY_OPTIONS, type RetryPolicy } from './slack-call.ts';
import { createSlackUploader } from './upload.ts';
import { createChannelReaders } from './channel-readers.ts';

/** The metadata event type of a digest post; its payload holds the delivery key. */
export const DIGEST_EVENT_TYPE = 'wsa_digest';
/** History pages read when looking for a key (200 messages each). */
const HISTORY_PAGES = 5;
const ALT_TEXT_MAX = 1000;
/**
 * Slack takes about one message a second into a channel: posts into one channel are spaced so,
 * with a tenth more for the network (two posts sent exactly a second apart may arrive closer).
 */
export const CHANNEL_POST_GAP_MS = 1_100;
/** Channels remembered by the pacer before the ones it no longer holds up are forgotten. */
const PACED_CHANNELS = 1_000;

export interface SlackDigestPosterOptions {
  client: webApi.WebClient;
  logger: Logger;
  renderChart?: RenderChart;
  retryPolicy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  /** The least time between two posts into one channel (default CHANNEL_POST_GAP_MS). */
  postGapMs?: number;
}

/**
 * Spaces posts into each channel `gapMs` apart, so a run posting many digests into one channel
 * meets Slack's rate limit instead of answering its 429s; other channels are not held up.
 */
function channelPacer(gapMs: number): (channel: string) => Promise<void> {
  const nextAt = new Map<string, number>();
  return async (channel) => {
    if (gapMs <= 0) return;
    const now = Date.now();
    if (nextAt.size > PACED_CHANNELS) for (const [c, at] of nextAt) if (at <= now) nextAt.delete(c);
    const at = Math.max(now, nextAt.get(channel) ?? 0);
    nextAt.set(channel, at + gapMs);
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  };
}

export function slackDigestPoster(o: SlackDigestPosterOptions): DigestPoster & { close(): void } {
  const call = slackCaller(o);
  const uploader = createSlackUploader(o.client, call);
  const readers = createChannelReaders({ client: o.client, logger: o.logger, ...(o.retryPolicy ? { retryPolicy: o.retryPolicy } : {}) });
  const paced = channelPacer(o.postGapMs ?? CHANNEL_POST_GAP_MS);

  async function post(channel: string, message: SlackMessage, extra: Record<string, unknown> = {}): Promise<string> {
    await paced(channel);
    try {
      const result = await call('chat.postMessage', 'post', () =>
        o.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, unfurl_links: false, unfurl_media: false, ...extra }),
      );
      return String(result.ts ?? '');
    } catch (error) {
      throw asRefusal(error);
    }
  }

  return {
    platform: 'slack',

    async postToTarget(target: Target, reply: Reply, options: DeliveryNotes & { key?: string } = {}) {
      const charts = await renderCharts(reply, o.renderChart, ({ error, chart }) =>
        o.logger.warn({ err: error, command: reply.command, chart: chart.kind }, 'slack.chart.render_failed'),
      );
      const attached = new Set(charts.rendered.map((c) => c.index));
      const [first, ...rest] = replyMessages({ ...reply, files: [] }, { notes: options.notes ?? [], attachedCharts: attached, attachFailed: charts.failed });
      if (!first) throw new Error('a digest with no message');
      const ts = await post(target.conversationId, first, {
        ...(options.key ? { metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { key: options.key } } } : {}),
      });
      for (const message of rest) await post(target.conversationId, message, { thread_ts: ts });
      if (charts.rendered.length > 0) {
        try {
          await uploader.share({
            channelId: target.conversationId,
            threadTs: ts,
            files: charts.rendered.map((c) => ({
              file: { kind: 'png' as const, name: c.filename, content: c.png },
              title: reply.charts.length > 1 ? `${reply.title} (${c.index + 1})` : reply.title,
              altText: c.chart.altText.slice(0, ALT_TEXT_MAX),
            })),
          });
        } catch (error) {
          // The digest is out; its charts stand as their text in the thread.
          o.logger.warn({ err: error, command: reply.command }, 'slack.upload.failed');
          const fallbacks = charts.rendered.map((c) => c.chart.fallbackText).join('\n\n');
          await post(target.conversationId, noticeMessage(`${deliveryWording.chartUnavailable()}\n\n${fallbacks}`), { thread_ts: ts });
        }
      }
      return ts;
    },

    async findPosted(target: Target, key: string, since: Date) {
      let cursor: string | undefined;
      for (let page = 0; page < HISTORY_PAGES; page += 1) {
        const result = await call('conversations.history', 'idempotent', () =>
          o.client.conversations.history({
            channel: target.conversationId,
            oldest: String(Math.floor(since.getTime() / 1000)),
            include_all_metadata: true,
            limit: 200,
            ...(cursor ? { cursor } : {}),
          }),
        );
        const hit = (result.messages ?? []).find(
          (m) => m.metadata?.event_type === DIGEST_EVENT_TYPE && (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
        );
        if (hit?.ts) return hit.ts;
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) return null;
      }
      return null;
    },

    async canPost(target: Target) {
      let channel;
      try {
        channel = (await call('conversations.info', 'idempotent', () => o.client.conversations.info({ channel: target.conversationId }))).channel;
      } catch (error) {
        throw asRefusal(error);
      }
      if (!channel) throw new TargetRefusedError('channel_not_found');
      if (channel.is_archived) throw new TargetRefusedError('archived');
      if (channel.is_member || channel.is_im || channel.is_mpim) return;
      if (channel.is_private) throw new TargetRefusedError('not_in_channel');
      try {
        await call('conversations.join', 'idempotent', () => o.client.conversations.join({ channel: target.conversationId }));
      } catch (error) {
        throw asRefusal(error) instanceof TargetRefusedError ? asRefusal(error) : new TargetRefusedError('not_in_channel');
      }
    },

    readersOf: (target: Target) => readers.readersOf(target.conversationId),

    async askToBeNamed(email: string, question: NamingQuestion) {
      let userId: string | undefined;
      try {
        userId = (await call('users.lookupByEmail', 'idempotent', () => o.client.users.lookupByEmail({ email }))).user?.id;
      } catch (error) {
        if (slackErrorCode(error) === 'users_not_found') return null;
        throw error;
      }
      if (!userId) return null;
      const dm = await call('conversations.open', 'idempotent', () => o.client.conversations.open({ users: userId as string }));
      if (!dm.channel?.id) return null;
      const text = `${question.text} You can change your mind any time with \`/wsa ${question.no.command}\` or \`/wsa ${question.yes.command}\`.`;
      await post(dm.channel.id, commandButtonsMessage(text, [
        { label: question.yes.label, command: question.yes.command, style: 'primary' },
        { label: question.no.label, command: question.no.command },
      ]));
      return { platform: 'slack', userId };
    },

    async tellPrivately(userId: string, text: string) {
      const dm = await call('conversations.open', 'idempotent', () => o.client.conversations.open({ users: userId }));
      if (!dm.channel?.id) throw new Error('conversations.open returned no channel');
      await post(dm.channel.id, noticeMessage(text));
    },

    close: () => uploader.close(),
  };
}

/** A poster with a Web API client of its own, for a process that runs no Slack receiver. */
export function createSlackDigestPoster(o: { botToken: string; apiUrl?: string | undefined } & Omit<SlackDigestPosterOptions, 'client'>) {
  const client = new webApi.WebClient(o.botToken, {
    ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
    ...WEB_CLIENT_RETRY_OPTIONS,
    retryConfig: { ...WEB_CLIENT_RETRY_OPTIONS.retryConfig },
  });
  const { botToken: _token, apiUrl: _url, ...rest } = o;
  return slackDigestPoster({ ...rest, client });
}
