/**
 * Who can read a Slack channel, for the core's audience decision (src/core/access/audience.ts):
 * the channel's members (`conversations.members`, paged with its cursor) as emails, bots and
 * deactivated accounts left out.
 *
 * Members are people only through the workspace's user list (`users.list`, paged): one list
 * gives every member's email, `is_bot` and `deleted` in a few calls (1,000 a page), where
 * `users.info` would cost one call per member — 5,000 for a large channel, far past Slack's
 * rate limits. Both are cached briefly: the user list for everyone (USERS_TTL_MS), each
 * channel's roster on its own (ROSTER_TTL_MS); a lookup in flight is shared. A member missing
 * from the list (someone from another workspace in a shared channel) has no email here: the core
 * counts them as a member.
 * Scopes: `channels:read`, `groups:read`, `im:read`, `mpim:read` (members), `users:read` and
 * `users:read.email` (the list).
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log.ts';
import { createExpiringCache } from '../../delivery/expiring-cache.ts';
import { callSlack, type RetryPolicy } from './slack-call.ts';

export const ROSTER_TTL_MS = 60_000;
export const USERS_TTL_MS = 5 * 60_000;
/** Page sizes: Slack serves at most 1,000 of either per call. */
export const MEMBERS_PAGE = 1_000;
export const USERS_PAGE = 1_000;
export const MAX_CACHED_ROSTERS = 500;

interface SlackPerson {
  readonly email: string | null;
  /** A bot, an app or a deactivated account: not a reader. */
  readonly ignored: boolean;
}

export interface ChannelReaders {
  /** The channel's readers by email (null: Slack gives none), bots and deactivated accounts left out. */
  readersOf(channelId: string, teamId?: string): Promise<(string | null)[]>;
}

export interface ChannelReadersOptions {
  client: webApi.WebClient;
  logger: Logger;
  nowMs?: () => number;
  retryPolicy?: RetryPolicy;
}

/** Slack's own bot user, listed as a member of every channel in some workspaces. */
const SLACKBOT = 'USLACKBOT';

export function createChannelReaders(options: ChannelReadersOptions): ChannelReaders {
  const clock = options.nowMs ? { nowMs: options.nowMs } : {};
  const users = createExpiringCache<Map<string, SlackPerson>>({ maxEntries: 4, ttlMs: () => USERS_TTL_MS, ...clock });
  const rosters = createExpiringCache<string[]>({ maxEntries: MAX_CACHED_ROSTERS, ttlMs: () => ROSTER_TTL_MS, ...clock });
  const call = <T>(method: string, fn: () => Promise<T>) =>
    callSlack({ method, kind: 'idempotent', ...(options.retryPolicy ? { policy: options.retryPolicy } : {}) }, fn);

  async function listUsers(): Promise<Map<string, SlackPerson>> {
    const out = new Map<string, SlackPerson>();
    let cursor: string | undefined;
    do {
      const page = await call('users.list', () =>
        // The bot's own workspace (an org-wide install would pass team_id; wsa is not one).
        options.client.users.list({ limit: USERS_PAGE, ...(cursor ? { cursor } : {}) }),
      );
      for (const m of page.members ?? []) {
        if (!m.id) continue;
        out.set(m.id, {
          email: m.profile?.email?.trim() || null,
          ignored: Boolean(m.is_bot || m.deleted || m.is_app_user || m.id === SLACKBOT),
        });
      }
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return out;
  }

  async function listMembers(channelId: string): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('conversations.members', () =>
        options.client.conversations.members({ channel: channelId, limit: MEMBERS_PAGE, ...(cursor ? { cursor } : {}) }),
      );
      out.push(...(page.members ?? []));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return out;
  }

  return {
    async readersOf(channelId, teamId) {
      const [members, people] = await Promise.all([
        rosters.get(`${teamId ?? ''}:${channelId}`, () => listMembers(channelId)),
        users.get(teamId ?? '', () => listUsers()),
      ]);
      const readers: (string | null)[] = [];
      for (const id of members) {
        const person = people.get(id);
        if (id === SLACKBOT || person?.ignored) continue;
        readers.push(person?.email ?? null);
      }
      return readers;
    },
  };
}
