/**
 * The Teams adapter: a teams-ai v1 `Application` on botbuilder's `CloudAdapter`, mounted at
 * `/api/messages` on our one HTTP server. A Teams message becomes (who asked, the command text,
 * where) → the core's answer → an Adaptive Card (render-card.ts).
 *
 * - Who: the Teams user's email or UPN from `TeamsInfo.getMember`, cached (member-email.ts); the
 *   core maps it to a directory account and a role, exactly as for Slack. No email: a member.
 * - Where: Teams has no private replies. Asked in a personal chat, the answer goes there; asked
 *   in a channel or a group chat, the full answer goes to the asker's personal chat and a one-line
 *   note stays where they asked.
 * - When: a typing indicator goes out at once. An answer ready within the turn's budget is sent in
 *   the turn; a slower one is sent afterwards from the stored conversation reference, so Teams'
 *   15-second limit on the HTTP reply is never reached.
 * - Conversation references are stored for every conversation the bot hears from (installs and
 *   messages), for posts with no activity to answer: late answers, private answers, digests.
 * - Authentication: with credentials, botbuilder checks the Bot Framework token of every request
 *   (401 without a valid one). Without credentials the endpoint is for local tools only: the
 *   composition root mounts it that way only in local mode, on loopback.
 */
import {
  CardFactory,
  MemoryStorage,
  TeamsInfo,
  TurnContext,
  type Activity,
  type ConversationReference,
} from 'botbuilder';
import { Application, TeamsAdapter as BotAdapter } from '@microsoft/teams-ai';
import type { Logger } from '../../log.ts';
import type { Reply } from '../../core/reply.ts';
import type { Route } from '../../server/http.ts';
import { sendJson } from '../../server/http.ts';
import type { StoredConversation, TeamsConversationType } from '../../store/teams-conversations.ts';
import { commandTextOf } from './command-text.ts';
import { connectorHttpClient } from './connector-http.ts';
import { BodyTooLargeError, bridgeResponse, readBody } from './http-bridge.ts';
import { chartImages } from './chart-images.ts';
import { createMemberEmails, type MemberEmails } from './member-email.ts';
import { createFileOffers, type FileOffers } from './file-consent.ts';
import { cardSummary, noticeCard, replyCard, type AdaptiveCard } from './render-card.ts';
import { teamsWording } from './wording.ts';

export const TEAMS_MESSAGES_PATH = '/api/messages';
/** Teams wants the HTTP reply to an activity within 15 s; answers slower than this go out after. */
export const IN_TURN_BUDGET_MS = 8_000;
/** The largest activity accepted (Teams' own are a few KB; a file consent invoke a little more). */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/** Who asked, as Teams vouches for them. */
export interface TeamsCaller {
  readonly platform: 'teams';
  readonly userId: string;
  readonly tenantId: string | undefined;
  /** From `TeamsInfo.getMember` (email, else UPN); null when Teams gives neither. */
  readonly email: string | null;
}

/** Where the answer is going. */
export interface TeamsWhere {
  readonly conversationId: string;
  readonly conversationType: TeamsConversationType;
  /** True when the answer is posted into a channel or group chat for everyone there. */
  readonly toChannel: boolean;
}

/** The core, as the adapter sees it. The composition root binds it to `answer()` with the store. */
export type TeamsAnswerFn = (caller: TeamsCaller, text: string, where: TeamsWhere) => Promise<Reply>;

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
  readonly answer: TeamsAnswerFn;
  /** Vega-Lite spec → PNG. Without it, charts are shown as their text fallbacks. */
  readonly renderChart?: (spec: Reply['charts'][number]['spec']) => Promise<Buffer>;
  readonly conversations: ConversationStore;
  readonly logger: Logger;
  /** How long an answer may take and still be sent within its turn (default IN_TURN_BUDGET_MS). */
  readonly inTurnBudgetMs?: number;
  readonly nowMs?: () => number;
  /** First back-off of a retried Bot Connector call (default BASE_DELAY_MS; tests shorten it). */
  readonly retryDelayMs?: number;
}

export interface TeamsAdapter {
  readonly route: Route;
  /** Posts a Reply into a stored conversation, with no activity to answer (digests). */
  postToConversation(conversationId: string, reply: Reply): Promise<void>;
  /** Resolves when every answer still being sent after its turn has gone out. */
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

export function createTeamsAdapter(options: TeamsAdapterOptions): TeamsAdapter {
  const { logger } = options;
  const budget = options.inTurnBudgetMs ?? IN_TURN_BUDGET_MS;
  const appId = options.credentials?.appId ?? '';
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
  const late = new Set<Promise<void>>();
  const files: FileOffers = createFileOffers({ logger });

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

  /**
   * The activities of an answer: its card (charts drawn and checked against Teams' limits, else as
   * text), then a consent card for each file. Only for a personal chat: files never go elsewhere.
   */
  async function answerActivities(reply: Reply, withFiles: boolean): Promise<Partial<Activity>[]> {
    const { images, failed } = await chartImages(reply, options.renderChart, logger);
    const out = [cardActivity(replyCard(reply, { chartImages: images, chartsFailed: failed }), cardSummary(reply))];
    if (withFiles) for (const file of reply.files) out.push(await files.offer(file));
    return out;
  }

  /** Sends into a conversation from its stored (or given) reference, outside any turn. */
  async function sendProactive(reference: Partial<ConversationReference>, activities: Partial<Activity>[]): Promise<void> {
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      for (const activity of activities) await context.sendActivity(activity);
    });
  }

  /** The asker's personal chat: the stored one, else a new one Teams opens for the bot. */
  async function personalReference(context: TurnContext): Promise<Partial<ConversationReference>> {
    const activity = context.activity;
    const stored = await options.conversations.findPersonal(activity.from.id);
    if (stored) return stored.reference as Partial<ConversationReference>;
    let created: Partial<ConversationReference> | undefined;
    const tenantId = tenantOf(activity);
    await adapter.createConversationAsync(
      appId,
      activity.channelId,
      activity.serviceUrl,
      '',
      {
        isGroup: false,
        bot: activity.recipient,
        members: [activity.from],
        tenantId: tenantId ?? '',
        channelData: tenantId ? { tenant: { id: tenantId } } : {},
      } as never,
      async (turn) => {
        created = TurnContext.getConversationReference(turn.activity);
        await remember({ ...turn.activity, from: activity.from, conversation: { ...turn.activity.conversation, conversationType: 'personal' } as never });
      },
    );
    if (!created) throw new Error('Teams opened no personal chat');
    return created;
  }

  async function handleMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    await remember(activity);
    const type = conversationTypeOf(activity);
    const reference = TurnContext.getConversationReference(activity);
    await context.sendActivity({ type: 'typing' });

    const text = commandTextOf(activity.text);
    const work = (async () => {
      const email = await emails.emailOf(context, activity.from.id);
      const caller: TeamsCaller = { platform: 'teams', userId: activity.from.id, tenantId: tenantOf(activity), email };
      const where: TeamsWhere = { conversationId: activity.conversation.id, conversationType: type, toChannel: false };
      const reply = await options.answer(caller, text, where);
      // Every answer below goes to a personal chat: the one asked in, or the asker's own.
      return answerActivities(reply, true);
    })();

    if (type === 'personal') {
      const inTime = await Promise.race([work.then((a) => ({ a })), delay(budget).then(() => undefined)]);
      if (inTime) {
        await context.sendActivities(inTime.a);
        return;
      }
      logger.info({ budgetMs: budget }, 'teams.answer.after_turn');
      track(work.then((a) => sendProactive(reference, a)));
      return;
    }

    // Asked in a channel or group chat: the full answer goes to the asker's personal chat.
    const personal = await personalReference(context);
    await context.sendActivity(cardActivity(noticeCard(teamsWording.sentToPersonalChat()), teamsWording.sentToPersonalChat()));
    track(work.then((a) => sendProactive(personal, a)));
  }

  function track(promise: Promise<void>): void {
    const tracked = promise
      .catch((error: unknown) => logger.error({ err: error }, 'teams.answer.failed'))
      .finally(() => late.delete(tracked));
    late.add(tracked);
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

  const route: Route = {
    path: TEAMS_MESSAGES_PATH,
    async handler(req, res) {
      if (req.method !== 'POST') {
        sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'POST activities here' } }, { allow: 'POST' });
        return;
      }
      // A request without a bearer token cannot be from Teams: refused here, before botbuilder
      // (which would also refuse it, and print a stack trace for each one).
      if (options.credentials && !/^Bearer \S+$/i.test(String(req.headers.authorization ?? ''))) {
        logger.warn({ reason: 'no bearer token' }, 'teams.request.unauthorized');
        sendJson(res, 401, { error: { code: 'unauthorized', message: 'A Bot Framework token is required' } });
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(await readBody(req, MAX_ACTIVITY_BYTES)) as Record<string, unknown>;
      } catch (error) {
        const status = error instanceof BodyTooLargeError ? 413 : 400;
        sendJson(res, status, { error: { code: status === 413 ? 'too_large' : 'bad_request', message: status === 413 ? 'Activity too large' : 'Not a JSON activity' } });
        return;
      }
      await adapter.process({ body, headers: req.headers, method: req.method }, bridgeResponse(res), (context) => app.run(context).then(() => undefined));
    },
  };

  return {
    route,
    async postToConversation(conversationId, reply) {
      const stored = await options.conversations.find(conversationId);
      if (!stored) throw new Error(`no stored Teams conversation ${conversationId}`);
      const withFiles = stored.conversationType === 'personal';
      await sendProactive(stored.reference as Partial<ConversationReference>, await answerActivities(reply, withFiles));
    },
    async settled() {
      while (late.size > 0) await Promise.all([...late]);
    },
    async close() {
      while (late.size > 0) await Promise.all([...late]);
      await files.close();
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
