/**
 * The Teams adapter: a teams-ai v1 `Application` on botbuilder's `CloudAdapter`, mounted at
 * `/api/messages` on our one HTTP server. A Teams message becomes (who asked, the command text,
 * where) → the core's answer → an Adaptive Card (render-card.ts), delivered through the delivery
 * port (src/delivery/port.ts) that this adapter implements for Teams.
 *
 * - Who: the Teams user's email or UPN from `TeamsInfo.getMember`, cached (member-email.ts); the
 *   core maps it to a directory account and a role, exactly as for Slack. No email: a person the
 *   directory does not know, so a member.
 * - Where: Teams has no private replies. Asked in a personal chat, the answer goes there; asked in
 *   a channel or a group chat, the full answer goes to the asker's personal chat and a one-line
 *   note stays where they asked. With `post:channel` the conversation gets the form the core chose
 *   for its readers (conversation-readers.ts gives them), and the asker the full answer privately
 *   when the channel got less (src/delivery/channel-answer.ts). Files only ever go to the personal
 *   chat, through a file consent card (file-consent.ts).
 * - When: a typing indicator goes out at once. An answer ready within the turn's budget is sent in
 *   the turn; a slower one is sent afterwards from the conversation reference, so Teams' 15-second
 *   limit on the HTTP reply is never reached. Answers run through the delivery layer's queue.
 * - Once: an activity Teams sends again (same id) is acknowledged and not answered twice.
 * - Conversation references are stored for every conversation the bot hears from (installs and
 *   messages), for posts with no activity to answer: late answers, private answers, digests.
 * - Authentication: with credentials, botbuilder checks the Bot Framework token of every request
 *   (401 without a valid one). Without credentials the endpoint is for local tools only: the
 *   composition root mounts it that way only in local mode, on loopback.
 */
import type { DigestPoster } from '../../delivery/digest-runs.ts';
import { teamsDigestPoster } from './digest-poster.ts';
import { CardFactory, MemoryStorage, TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import { Application, TeamsAdapter as BotAdapter } from '@microsoft/teams-ai';
import type { Logger } from '../../log.ts';
import type { FileAttachment, Reply } from '../../core/reply.ts';
import type { Route } from '../../server/http.ts';
import type { Answered } from '../../core/answer.ts';
import { planChannelAnswer } from '../../delivery/channel-answer.ts';
import { AnswerQueue } from '../../delivery/answer-queue.ts';
import type { RenderChart } from '../../delivery/charts.ts';
import type { ChatAnswerFn } from '../../delivery/core-answer.ts';
import { releaseFiles } from '../../delivery/files.ts';
import { memoryLedger, type InboundLedger } from '../../delivery/inbound-ledger.ts';
import { TargetRefusedError, type Asker, type DeliveryNotes, type DeliveryPort, type Target } from '../../delivery/port.ts';
import type { StoredConversation, TeamsConversationType } from '../../store/teams-conversations.ts';
import { chartImages } from './chart-images.ts';
import { readTeamsText } from './command-text.ts';
import { connectorHttpClient } from './connector-http.ts';
import { createConversationReaders, type ConversationReaders } from './conversation-readers.ts';
import { createFileOffers, type FileOffers } from './file-consent.ts';
import { activityRoute } from './http-bridge.ts';
import { createMemberEmails, type MemberEmails } from './member-email.ts';
import { cardSummary, noticeCard, replyCard, type AdaptiveCard } from './render-card.ts';
import { teamsWording } from './wording.ts';

export const TEAMS_MESSAGES_PATH = '/api/messages';
/** Teams wants the HTTP reply to an activity within 15 s; answers slower than this go out after. */
export const IN_TURN_BUDGET_MS = 8_000;
/** The largest activity accepted (Teams' own are a few KB; a file consent invoke a little more). */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** Where conversation references are kept (src/store/teams-conversations.ts, bound to the store). */
export interface ConversationStore {
  save(conversation: StoredConversation): Promise<void>;
  find(conversationId: string): Promise<StoredConversation | undefined>;
  findPersonal(userId: string): Promise<StoredConversation | undefined>;
}

export interface TeamsAdapterOptions {
  /** The bot's registration; without it inbound requests are not authenticated (local tools only). */
  readonly credentials?: { readonly appId: string; readonly appPassword: string; readonly tenantId: string };
  /** Where botbuilder reads the token signing keys' metadata (a loopback server in tests). */
  readonly openIdMetadataUrl?: string;
  readonly answer: ChatAnswerFn;
  /** Vega-Lite spec → PNG. Without it, charts are shown as their text fallbacks. */
  readonly renderChart?: RenderChart;
  readonly conversations: ConversationStore;
  /** Defaults to an in-memory ledger (one process); pass the store's for several replicas. */
  readonly ledger?: InboundLedger;
  readonly logger: Logger;
  /** How long an answer may take and still be sent within its turn (default IN_TURN_BUDGET_MS). */
  readonly inTurnBudgetMs?: number;
  /** Answers computed at once (the delivery layer's default when absent). */
  readonly maxConcurrentAnswers?: number;
  readonly nowMs?: () => number;
  /** First back-off of a retried Bot Connector call (tests shorten it). */
  readonly retryDelayMs?: number;
}

export interface TeamsAdapter {
  readonly route: Route;
  /** The delivery port on Teams: answers, exports and digests go through it. */
  port(): DeliveryPort;
  /** Digests into conversations the bot was added to (digest-poster.ts). */
  digestPoster(): DigestPoster;
  /** Resolves when every answer still being worked on or sent has gone out. */
  settled(): Promise<void>;
  /** Waits for answers still going out, then deletes files still waiting for consent. */
  close(): Promise<void>;
}

function conversationTypeOf(activity: Partial<Activity>): TeamsConversationType {
  const type = activity.conversation?.conversationType;
  return type === 'channel' || type === 'groupChat' ? type : 'personal';
}

function tenantOf(activity: Partial<Activity>): string | undefined {
  const data = activity.channelData as { tenant?: { id?: string } } | undefined;
  return data?.tenant?.id ?? activity.conversation?.tenantId;
}

function cardActivity(card: AdaptiveCard, text: string): Partial<Activity> {
  return { type: 'message', text, attachments: [CardFactory.adaptiveCard(card)] };
}

function noticeActivity(text: string): Partial<Activity> {
  return cardActivity(noticeCard(text), text);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { logger } = options;
  const budget = options.inTurnBudgetMs ?? IN_TURN_BUDGET_MS;
  const appId = options.credentials?.appId ?? '';
  const ledger = options.ledger ?? memoryLedger(options.nowMs ? { nowMs: options.nowMs } : {});
  const queue = new AnswerQueue(options.maxConcurrentAnswers);
  const adapter = new BotAdapter(
    options.credentials
      ? {
          MicrosoftAppId: options.credentials.appId,
          MicrosoftAppPassword: options.credentials.appPassword,
          MicrosoftAppTenantId: options.credentials.tenantId,
          MicrosoftAppType: 'SingleTenant',
          ...(options.openIdMetadataUrl ? { ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl } : {}),
        }
      : {},
    undefined,
    undefined,
    { httpClient: connectorHttpClient({ logger, ...(options.retryDelayMs !== undefined ? { baseDelayMs: options.retryDelayMs } : {}) }) } as never,
  );
  adapter.onTurnError = async (_context, error) => {
    logger.error({ err: error }, 'teams.turn.failed');
  };
  const app = new Application({
    adapter,
    botAppId: appId,
    storage: new MemoryStorage(),
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  const emails: MemberEmails = createMemberEmails({ logger, ...(options.nowMs ? { nowMs: options.nowMs } : {}) });
  const readers: ConversationReaders = createConversationReaders({
    continueConversation: (reference, logic) => adapter.continueConversationAsync(appId, reference, logic),
    ...(options.nowMs ? { nowMs: options.nowMs } : {}),
  });
  const files: FileOffers = createFileOffers({ logger, ...(options.nowMs ? { nowMs: options.nowMs } : {}) });
  const late = new Set<Promise<void>>();

  async function remember(activity: Partial<Activity>): Promise<void> {
    const reference = TurnContext.getConversationReference(activity);
    const conversationId = reference.conversation?.id;
    if (!conversationId) return;
    const type = conversationTypeOf(activity);
    try {
      await options.conversations.save({
        conversationId,
        conversationType: type,
        tenantId: tenantOf(activity) ?? null,
        userId: type === 'personal' ? (activity.from?.id ?? null) : null,
        reference: reference as unknown as Record<string, unknown>,
      });
    } catch (error) {
      logger.warn({ err: error }, 'teams.reference.save_failed');
    }
  }

  /** The card of an answer (charts drawn and checked against Teams' limits, else as text). */
  async function answerCard(reply: Reply, notes: readonly string[] = []): Promise<Partial<Activity>> {
    const { images, failed } = await chartImages(reply, options.renderChart, logger);
    return cardActivity(replyCard(reply, { chartImages: images, chartsFailed: failed, notes }), cardSummary(reply));
  }

  /** A personal chat's activities for an answer: its card, then a consent card for each file. */
  async function privateActivities(reply: Reply, notes: readonly string[] = []): Promise<Partial<Activity>[]> {
    const out = [await answerCard(reply, notes)];
    for (const file of reply.files) out.push(await files.offer(file));
    return out;
  }

  /** Sends into a conversation from its reference, outside any turn. */
  async function sendProactive(reference: Partial<ConversationReference>, activities: Partial<Activity>[]): Promise<void> {
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      await context.sendActivities(activities);
    });
  }

  /** A user's personal chat: the stored one, else one Teams opens for the bot from `from`'s activity. */
  async function personalReference(userId: string, opener?: Partial<Activity>): Promise<Partial<ConversationReference>> {
    const stored = await options.conversations.findPersonal(userId);
    if (stored) return stored.reference as Partial<ConversationReference>;
    if (!opener?.serviceUrl || !opener.recipient) throw new TargetRefusedError('channel_not_found');
    let created: Partial<ConversationReference> | undefined;
    const tenantId = tenantOf(opener);
    await adapter.createConversationAsync(
      appId,
      opener.channelId ?? 'msteams',
      opener.serviceUrl,
      '',
      {
        isGroup: false,
        bot: opener.recipient,
        members: [{ id: userId, name: '' }],
        tenantId: tenantId ?? '',
        channelData: tenantId ? { tenant: { id: tenantId } } : {},
      } as never,
      async (turn) => {
        created = TurnContext.getConversationReference(turn.activity);
        await remember({
          ...turn.activity,
          from: { id: userId, name: '' },
          conversation: { ...turn.activity.conversation, conversationType: 'personal' },
        } as Partial<Activity>);
      },
    );
    if (!created) throw new Error('Teams opened no personal chat');
    return created;
  }

  async function storedReference(conversationId: string): Promise<Partial<ConversationReference>> {
    const stored = await options.conversations.find(conversationId);
    if (!stored) throw new TargetRefusedError('channel_not_found');
    return stored.reference as Partial<ConversationReference>;
  }

  // -------------------------------------------------------------------------------------------
  // The port

  interface TeamsAsker extends Asker {
    /** The activity asked with: to open a personal chat with someone the bot has none with yet. */
    readonly activity?: Partial<Activity>;
  }

  /** The whole answer, files included, into the asker's personal chat; its conversation id. */
  async function toPersonal(asker: TeamsAsker, reply: Reply, notes: readonly string[]): Promise<string | undefined> {
    const personal = await personalReference(asker.userId, asker.activity);
    await sendProactive(personal, await privateActivities(reply, notes));
    return personal.conversation?.id;
  }

  const port: DeliveryPort<TeamsAsker> = {
    platform: 'teams',
    async replyPrivately(asker, reply, notes?: DeliveryNotes) {
      const personal = await toPersonal(asker, reply, notes?.notes ?? []);
      if (personal !== asker.conversationId) {
        const asked = asker.activity ? TurnContext.getConversationReference(asker.activity) : await storedReference(asker.conversationId).catch(() => undefined);
        if (asked) await sendProactive(asked, [noticeActivity(teamsWording.sentToPersonalChat())]);
      }
      return 'direct';
    },
    async postToTarget(target: Target, reply, notes?: DeliveryNotes) {
      const reference = await storedReference(target.conversationId);
      // Never files into a conversation: they go only to a person.
      await sendProactive(reference, [await answerCard({ ...reply, files: [] }, notes?.notes ?? [])]);
    },
    async uploadPrivately(userId, file: FileAttachment, upload) {
      const personal = await personalReference(userId);
      const activities: Partial<Activity>[] = [];
      if (upload?.message) activities.push(noticeActivity(upload.message));
      activities.push(await files.offer(file));
      await sendProactive(personal, activities);
    },
  };

  // -------------------------------------------------------------------------------------------
  // Messages

  /** The answer to a message asked in a channel or group chat, and where each part of it goes. */
  async function deliver(activity: Activity, answered: Answered, toChannel: boolean): Promise<void> {
    const asker: TeamsAsker = { userId: activity.from.id, conversationId: activity.conversation.id, activity };
    if (!toChannel || !answered.channel) {
      // The note where they asked went out within the turn.
      await toPersonal(asker, answered.reply, []);
      return;
    }
    const plan = planChannelAnswer(answered);
    if (plan.channel) {
      await sendProactive(TurnContext.getConversationReference(activity), [await answerCard(plan.channel.reply, plan.channel.notes)]);
    }
    if (plan.asker) await toPersonal(asker, plan.asker.reply, plan.asker.notes);
  }

  function track(promise: Promise<void>): void {
    const tracked = promise
      .catch((error: unknown) => logger.error({ err: error }, 'teams.answer.failed'))
      .finally(() => late.delete(tracked));
    late.add(tracked);
  }

  /** Runs `task` through the answer queue and gives its result. */
  function queued<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => queue.run(() => task().then(resolve, reject)));
  }

  async function handleMessage(context: TurnContext): Promise<void> {
    // Kept apart from the context, which is revoked when the turn ends (late answers read it after).
    const activity = context.activity;
    const started = Date.now();
    let first = true;
    try {
      first = await ledger.claim({ platform: 'teams', kind: 'message', id: activity.id ?? '' });
    } catch (error) {
      // A ledger that cannot tell: answering (perhaps twice) beats never answering.
      logger.warn({ err: error }, 'teams.delivery.ledger_failed');
    }
    if (!first) {
      logger.info({ kind: 'message' }, 'teams.delivery.duplicate');
      return;
    }
    // Stored on the side: the turn does not wait for the store (busy answering, on PGlite).
    track(remember(activity));
    await context.sendActivity({ type: 'typing' });
    const request = readTeamsText(activity.text);
    if (request.problem) {
      await context.sendActivity(noticeActivity(request.problem));
      return;
    }
    const personal = conversationTypeOf(activity) === 'personal';
    const toChannel = !personal && request.destination === 'channel';
    // Teams is asked who this is within the turn: the turn's context is revoked once it ends.
    const email = await emails.emailOf(context, activity.from.id);
    const reference = TurnContext.getConversationReference(activity);
    const work = queued(() =>
      options.answer({ email: email ?? '', platform: 'teams', userId: activity.from.id }, request.text, {
        toChannel,
        channelId: activity.conversation.id,
        ...(toChannel ? { readers: () => readers.readersOf(reference) } : {}),
      }),
    );

    const finish = (reply: Reply, how: Promise<unknown>) =>
      how
        .then(() => logger.info({ command: reply.command, toChannel, ms: Date.now() - started }, 'teams.answer.delivered'))
        .finally(() => releaseFiles(reply).catch((error: unknown) => logger.warn({ err: error }, 'teams.answer.release_failed')));

    if (personal) {
      // The budget covers the answer and its charts: both must be ready to go out in the turn.
      const prepared = work.then(async ({ reply }) => ({ reply, activities: await privateActivities(reply) }));
      const inTime = await Promise.race([prepared, delay(budget).then(() => undefined)]);
      if (inTime) {
        await finish(inTime.reply, context.sendActivities(inTime.activities));
        return;
      }
      logger.info({ budgetMs: budget }, 'teams.answer.after_turn');
      track(prepared.then(({ reply, activities }) => finish(reply, sendProactive(reference, activities))));
      return;
    }
    if (!toChannel) {
      await context.sendActivity(noticeActivity(teamsWording.sentToPersonalChat()));
    }
    track(work.then((answered) => finish(answered.reply, deliver(activity, answered, toChannel))));
  }

  app.conversationUpdate('membersAdded', async (context) => {
    await remember(context.activity);
  });
  app.message(/[\s\S]*/, async (context) => {
    await handleMessage(context);
  });
  app.fileConsentAccept(async (context, _state, response) => {
    await context.sendActivity(await files.accept(response));
  });
  app.fileConsentDecline(async (context, _state, response) => {
    await context.sendActivity(await files.decline(response));
  });

  const route = activityRoute({
    path: TEAMS_MESSAGES_PATH,
    maxBytes: MAX_ACTIVITY_BYTES,
    requireToken: options.credentials !== undefined,
    logger,
    process: (activity, req, res) => adapter.process({ body: activity, headers: req.headers, method: req.method }, res, (context) => app.run(context).then(() => undefined)),
  });

  const settle = async () => {
    while (late.size > 0) await Promise.all([...late]);
    await queue.idle();
    while (late.size > 0) await Promise.all([...late]);
  };

  return {
    route,
    port: () => port as DeliveryPort,
    digestPoster: () =>
      teamsDigestPoster({
        port: port as DeliveryPort,
        conversations: options.conversations,
        readers,
        sendToPersonalChat: async (userId, opener, card, text) =>
          sendProactive(await personalReference(userId, opener), [cardActivity(card, text)]),
      }),
    settled: settle,
    async close() {
      await settle();
      await files.close();
    },
  };
}
