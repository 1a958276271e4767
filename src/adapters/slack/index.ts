/**
 * The Slack adapter (docs/design.md §9): a thin Bolt app. A Slack request becomes (who asked, the command
 * text, where) → the core's answer → Block Kit, delivered as deliver.ts describes.
 *
 * Transport: over HTTP the adapter contributes one route, `/slack/events`, to our one server
 * (receiver.ts verifies signatures and hands payloads to Bolt); with an app token it uses Socket
 * Mode and contributes no route. Every request is acknowledged first — the HTTP response (or the
 * Socket Mode envelope ack) goes out before the database or a render is touched — and answered
 * after (src/delivery/answer-queue.ts), once per delivery (src/delivery/inbound-ledger.ts).
 *
 * Listens to: the `/wsa` slash command; `app_mention` events (`@wsa overview` in a channel the
 * bot is in); the "send it to me privately" button offered when the bot may not post somewhere.
 */
import { App, SocketModeReceiver, type Logger as BoltLogger, type types } from '@slack/bolt';
import { webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import type { Answered } from '../../core/answer.ts';
import type { ReaderSource } from '../../core/access/audience.ts';
import type { Route } from '../../server/http.ts';
import { AnswerQueue, DEFAULT_MAX_CONCURRENT_ANSWERS } from '../../delivery/answer-queue.ts';
import { memoryLedger, type InboundLedger } from '../../delivery/inbound-ledger.ts';
import { boltLogger } from './bolt-logger.ts';
import { mentionsToEmails, readCommandText } from './command-text.ts';
import { SlackDelivery, type RespondFn, type SlackAsker } from './deliver.ts';
import { releaseFiles } from '../../delivery/files.ts';
import type { DeliveryPort } from '../../delivery/port.ts';
import type { RenderChart } from '../../delivery/charts.ts';
import { createEmailResolver, type EmailResolver } from './user-emails.ts';
import { createChannelReaders, type ChannelReaders } from './channel-readers.ts';
import { SLACK_EVENTS_PATH } from './manifest.ts';
import { SlackHttpReceiver } from './receiver.ts';
import { createResponseUrlPoster } from './response-url.ts';
import { noticeMessage, SEND_PRIVATELY_ACTION } from './render-blocks.ts';
import { callSlack, WEB_CLIENT_RETRY_OPTIONS, type RetryPolicy } from './slack-call.ts';
import { SLASH_COMMAND, slackWording } from './wording.ts';
import { deliveryWording } from '../../delivery/wording.ts';

export { SLASH_COMMAND } from './wording.ts';
export { SLACK_EVENTS_PATH } from './manifest.ts';

/** Who asked, as Slack vouches for them. */
export interface SlackCaller {
  readonly platform: 'slack';
  readonly userId: string;
  readonly teamId: string | undefined;
  /** From users.info (`users:read.email`); the core maps it to a directory account and a role. */
  readonly email: string;
}

/** Where the answer is going. */
export interface SlackWhere {
  readonly channelId: string;
  /** True when the asker asked for it to be posted into the channel (`post:channel`). */
  readonly toChannel: boolean;
  /** With `toChannel`: the channel's readers (channel-readers.ts), for the core's audience decision. */
  readonly readers?: ReaderSource;
}

/**
 * The core, as the adapter sees it: the full answer and, into a channel, the form the core chose
 * for its readers. The composition root binds it to `answerFor()` with the store.
 */
export type AnswerFn = (caller: SlackCaller, text: string, where: SlackWhere) => Promise<Answered>;

export interface SlackAdapterOptions {
  botToken: string;
  /** HTTP mode: requests are verified with it. */
  signingSecret?: string;
  /** Socket Mode, used when set. */
  appToken?: string;
  /** Web API base (`SLACK_API_URL`): GovSlack, or a local fake in tests. */
  apiUrl?: string;
  /** The bot's ids. When both are given no auth.test is made at start. */
  botId?: string;
  botUserId?: string;
  answer: AnswerFn;
  /** Vega-Lite spec → PNG. Without it, charts are sent as their text fallbacks. */
  renderChart?: RenderChart;
  /** Defaults to an in-memory ledger (one process); pass `storeLedger` for several replicas. */
  ledger?: InboundLedger;
  logger: Logger;
  retryPolicy?: RetryPolicy;
  /** Wall clock for signature checks and caches (default Date.now). */
  nowMs?: () => number;
  /**
   * Answers computed at once (default 2). With the embedded store, whose queries run on this
   * process's event loop, 1 keeps acknowledgements of a burst from waiting behind many answers.
   */
  maxConcurrentAnswers?: number;
  /** Socket Mode heartbeat timeouts (tests shorten them). */
  socket?: { clientPingTimeoutMs?: number; serverPingTimeoutMs?: number };
}

export interface SlackAdapter {
  readonly mode: 'http' | 'socket';
  /** The `/slack/events` route for our HTTP server (HTTP mode only). */
  readonly route: Route | undefined;
  /** Checks the token (auth.test, unless the ids were given), then listens (Socket Mode connects). */
  start(): Promise<void>;
  /** Stops listening and waits for answers in flight. */
  stop(): Promise<void>;
  /** Resolves when no answer is in flight (tests, shutdown). */
  idle(): Promise<void>;
  /** The delivery port, for deliveries no Slack request waits for (exports, digests); after start(). */
  port(): DeliveryPort<SlackAsker>;
}

/** What Slack sent: a slash command (`trigger_id`), an Events API event (`event_id`), a button (`trigger_id`). */
type SlackDeliveryKind = 'event' | 'command' | 'action';

interface Incoming {
  kind: SlackDeliveryKind;
  id: string;
  retryNum: number | undefined;
  userId: string;
  teamId: string | undefined;
  channelId: string;
  threadTs?: string;
  text: string;
  respond?: RespondFn;
  /** From a mention: strip `<@BOT>` from the text. */
  mention?: boolean;
  /** The "send it to me privately" button: never to the channel. */
  forcePrivate?: boolean;
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const mode: 'http' | 'socket' = options.appToken ? 'socket' : 'http';
  if (mode === 'http' && !options.signingSecret) {
    throw new Error('The Slack adapter needs SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)');
  }
  const logger = options.logger;
  const bolt: BoltLogger = boltLogger(logger);
  const clientOptions: webApi.WebClientOptions = {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    ...WEB_CLIENT_RETRY_OPTIONS,
    retryConfig: { ...WEB_CLIENT_RETRY_OPTIONS.retryConfig },
    logger: bolt,
  };
  const receiver =
    mode === 'http'
      ? new SlackHttpReceiver({
          signingSecret: options.signingSecret as string,
          logger,
          ...(options.nowMs ? { nowMs: options.nowMs } : {}),
        })
      : undefined;
  const ledger = options.ledger ?? memoryLedger(options.nowMs ? { nowMs: options.nowMs } : {});
  const inFlight = new AnswerQueue(options.maxConcurrentAnswers ?? DEFAULT_MAX_CONCURRENT_ANSWERS);
  const postToResponseUrl = createResponseUrlPoster();
  const responder = (url: string | undefined): RespondFn | undefined =>
    url ? (message) => postToResponseUrl(url, message) : undefined;
  let app: App | undefined;
  let delivery: SlackDelivery | undefined;
  let emails: EmailResolver | undefined;
  let channels: ChannelReaders | undefined;

  async function botIdentity(): Promise<{ botId: string; botUserId: string }> {
    if (options.botId && options.botUserId) return { botId: options.botId, botUserId: options.botUserId };
    const client = new webApi.WebClient(options.botToken, clientOptions);
    const result = await callSlack({ method: 'auth.test', kind: 'idempotent', ...(options.retryPolicy ? { policy: options.retryPolicy } : {}) }, () =>
      client.auth.test(),
    );
    if (!result.bot_id || !result.user_id) throw new Error('auth.test did not return the bot ids: is SLACK_BOT_TOKEN a bot token (xoxb-)?');
    return { botId: result.bot_id, botUserId: result.user_id };
  }

  async function handle(req: Incoming): Promise<void> {
    const started = Date.now();
    let first = true;
    try {
      first = await ledger.claim({ platform: 'slack', kind: req.kind, id: req.id });
    } catch (error) {
      // A ledger that cannot tell: answering (perhaps twice) beats never answering.
      logger.warn({ err: error, kind: req.kind }, 'slack.delivery.ledger_failed');
    }
    if (!first) {
      logger.info({ kind: req.kind, retryNum: req.retryNum }, 'slack.delivery.duplicate');
      return;
    }
    const d = delivery as SlackDelivery;
    const audience: SlackAsker = {
      userId: req.userId,
      conversationId: req.channelId,
      ...(req.threadTs ? { threadId: req.threadTs } : {}),
      ...(req.respond ? { respond: req.respond } : {}),
      commandText: '',
    };
    try {
      const parsed = readCommandText(req.text, { stripMentions: req.mention ?? false });
      if (parsed.problem) {
        await d.notice(audience, noticeMessage(parsed.problem));
        return;
      }
      audience.commandText = parsed.text;
      const destination = req.forcePrivate ? 'private' : parsed.destination;
      const email = await (emails as EmailResolver).emailOf(req.userId, req.teamId);
      if (!email) {
        await d.notice(audience, noticeMessage(slackWording.noEmail()));
        return;
      }
      const resolver = emails as EmailResolver;
      const text = await mentionsToEmails(parsed.text, (id) => resolver.emailOf(id, req.teamId));
      const toChannel = destination === 'channel';
      const readers = channels as ChannelReaders;
      const answered = await options.answer(
        { platform: 'slack', userId: req.userId, teamId: req.teamId, email },
        text,
        {
          channelId: req.channelId,
          toChannel,
          ...(toChannel ? { readers: () => readers.readersOf(req.channelId, req.teamId) } : {}),
        },
      );
      const reply = answered.reply;
      try {
        const answeredAt = Date.now();
        const where = await d.deliver(answered, audience, destination);
        logger.debug({ kind: req.kind, step: 'deliver', ms: Date.now() - answeredAt }, 'slack.answer.step');
        // A Reply names only a registered command (answer() gives an unknown one a fixed marker).
        logger.info(
          { kind: req.kind, command: reply.command, destination: where, ms: Date.now() - started },
          'slack.answer.delivered',
        );
      } finally {
        await releaseFiles(reply).catch((error: unknown) => logger.warn({ err: error }, 'slack.answer.release_failed'));
      }
    } catch (error) {
      logger.error({ err: error, kind: req.kind }, 'slack.answer.failed');
      await d.notice(audience, noticeMessage(deliveryWording.answerFailed())).catch((e: unknown) =>
        logger.error({ err: e }, 'slack.answer.failure_notice_failed'),
      );
    }
  }

  function register(a: App): void {
    a.command(SLASH_COMMAND, async ({ command, ack, context }) => {
      await ack();
      inFlight.run(() =>
        handle({
          kind: 'command',
          id: command.trigger_id,
          retryNum: context.retryNum,
          userId: command.user_id,
          teamId: command.team_id,
          channelId: command.channel_id,
          text: command.text ?? '',
          respond: responder(command.response_url),
        }),
      );
    });

    // Events are acknowledged by Bolt before listeners run.
    a.event('app_mention', async ({ event, body, context }) => {
      const mention = event as types.AppMentionEvent;
      if (!mention.user) return;
      inFlight.run(() =>
        handle({
          kind: 'event',
          id: (body as { event_id: string }).event_id,
          retryNum: context.retryNum,
          userId: mention.user as string,
          teamId: (body as { team_id?: string }).team_id,
          channelId: mention.channel,
          ...(mention.thread_ts ? { threadTs: mention.thread_ts } : {}),
          text: mention.text,
          mention: true,
        }),
      );
    });

    // The button under a refusal to post here, and the buttons of a question (`…:N`, render-blocks.ts).
    a.action({ action_id: new RegExp(`^${SEND_PRIVATELY_ACTION}(:\\d+)?$`) }, async ({ ack, body, action, context }) => {
      await ack();
      const b = body as {
        trigger_id?: string;
        response_url?: string;
        user: { id: string; team_id?: string };
        channel?: { id: string };
        team?: { id: string } | null;
      };
      const value = (action as { value?: string }).value ?? '';
      if (!b.trigger_id || !b.channel) return;
      inFlight.run(() =>
        handle({
          kind: 'action',
          id: b.trigger_id as string,
          retryNum: context.retryNum,
          userId: b.user.id,
          teamId: b.team?.id ?? b.user.team_id,
          channelId: (b.channel as { id: string }).id,
          text: value,
          respond: responder(b.response_url),
          forcePrivate: true,
        }),
      );
    });

    a.error(async (error) => {
      logger.error({ err: error }, 'slack.bolt.error');
    });
  }

  return {
    mode,
    route: receiver ? { path: SLACK_EVENTS_PATH, handler: receiver.handle } : undefined,

    async start() {
      const ids = await botIdentity();
      const socketReceiver =
        mode === 'socket'
          ? new SocketModeReceiver({
              appToken: options.appToken as string,
              logger: bolt,
              ...(options.socket?.clientPingTimeoutMs ? { clientPingTimeout: options.socket.clientPingTimeoutMs } : {}),
              ...(options.socket?.serverPingTimeoutMs ? { serverPingTimeout: options.socket.serverPingTimeoutMs } : {}),
              // apps.connections.open posts nothing, so it may be retried freely while connecting.
              installerOptions: {
                clientOptions: {
                  ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
                  retryConfig: { retries: 5, factor: 1.6, minTimeout: 500 },
                },
              },
            })
          : undefined;
      const a = new App({
        token: options.botToken,
        botId: ids.botId,
        botUserId: ids.botUserId,
        tokenVerificationEnabled: false,
        receiver: (receiver ?? socketReceiver) as SlackHttpReceiver | SocketModeReceiver,
        socketMode: mode === 'socket',
        processBeforeResponse: false,
        convoStore: false,
        clientOptions,
        logger: bolt,
      });
      emails = createEmailResolver({
        client: a.client,
        logger,
        ...(options.nowMs ? { nowMs: options.nowMs } : {}),
        ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
      });
      channels = createChannelReaders({
        client: a.client,
        logger,
        ...(options.nowMs ? { nowMs: options.nowMs } : {}),
        ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
      });
      delivery = new SlackDelivery({
        client: a.client,
        logger,
        ...(options.renderChart ? { renderChart: options.renderChart } : {}),
        ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
      });
      register(a);
      await a.start();
      app = a;
      logger.info({ mode, botUserId: ids.botUserId }, 'slack.started');
    },

    async stop() {
      if (app) await app.stop();
      await inFlight.idle();
      postToResponseUrl.close();
      delivery?.close();
    },

    idle: () => inFlight.idle(),

    port() {
      if (!delivery) throw new Error('The Slack adapter has not started');
      return delivery;
    },
  };
}
