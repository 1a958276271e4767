/**
 * Digests due now, posted once (docs/design.md §8). The scheduler's tick, `wsa digest run-due` and
 * `send-now` all come here; `digest list` asks the same next-slot function.
 *
 * For each active subscription the newest slot at or before now is looked at:
 * - a slot before the subscription existed is never due;
 * - within the catch-up window after it, the slot's period is due unless the ledger settled it or
 *   another process holds an unexpired claim; the post says it is late when it starts more than
 *   LATE_AFTER_MS after the slot;
 * - after the window, an unsettled period is recorded as missed.
 * Whoever claims the (subscription, period) row posts (src/store/digest-ledger.ts). A failed post
 * is retried here with back-off (rate limits are honoured below, by each platform's own calls),
 * the claim renewed between attempts; a post still failing is recorded `failed` and stays due
 * until the window ends. A target that refused the post disables the subscription and its owner
 * is told.
 *
 * What is guaranteed when a process dies after the platform took the post and before the ledger
 * recorded it: the claim expires and another process takes it over. Before re-posting, it asks the
 * platform whether a post carrying this (subscription, period) key is already there (Slack: the
 * message's metadata, read back from the channel history) and, if so, records it as posted. Where
 * the platform cannot be asked (Teams), the period may be posted a second time — only in that
 * window of a few milliseconds between the platform's answer and the ledger's write.
 */
import { hostname } from 'node:os';
import type { Clock } from '../core/clock.ts';
import type { DigestActions, DigestAudience, DigestKind } from '../core/digest.ts';
import { decideAudience } from '../core/access/audience.ts';
import { noCredentials } from '../../digests/support/subscriptions.ts';
import { isWsaError, PlatformError, UsageError } from '../core/errors.ts';
import { formatWeekday } from '../core/periods.ts';
import { coveredPeriod, formatTimeOfDay, latestSlot, localDate } from '../core/schedule.ts';
import type { DateRange } from '../core/periods.ts';
import type { Reply } from '../core/reply.ts';
import type { Logger } from '../log.ts';
import type { DbOrTx } from '../store/schema.ts';
import { askPowerUsers, type NamingQuestion } from './digest-naming.ts';
import { claimDelivery, recordManual, recordMissed, renewClaim, scheduledKey, scheduledStates, settleClaim } from '../store/digest-ledger.ts';
import { disableSubscription, getSubscription, listSubscriptions, type DigestPlatform, type DigestSubscription } from '../store/digest-subscriptions.ts';
import { TargetRefusedError, type DeliveryNotes, type Target } from './port.ts';

/** A digest missed while nothing ran is still posted this long after its slot (configurable). */
export const DEFAULT_CATCH_UP_MS = 24 * 3_600_000;
/** A post that starts this long after its slot says it is late. */
export const LATE_AFTER_MS = 15 * 60_000;
/** Attempts of one post within one run, and the pause before each retry. */
export const POST_ATTEMPTS = 3;
export const RETRY_BACKOFF_MS = [1_000, 4_000] as const;
/** Targets posted to at once in a run. */
export const TARGET_CONCURRENCY = 32;

/** What posting a digest needs from a platform: the delivery port's post, and what a ledger needs beside it. */
export interface DigestPoster {
  readonly platform: DigestPlatform;
  /** Posts one top-level message; returns the platform's id of it when it has one. */
  postToTarget(target: Target, reply: Reply, options?: DeliveryNotes & { key?: string }): Promise<string | void>;
  /** A post carrying this key already in the target since the instant given (null: none, or cannot tell). */
  findPosted?(target: Target, key: string, since: Date): Promise<string | null>;
  /** Throws TargetRefusedError when the bot cannot post into the target (checked before subscribing). */
  canPost?(target: Target): Promise<void>;
  /** The target's readers by email (bots and deactivated accounts left out), for who may be named. */
  readersOf?(target: Target): Promise<(string | null)[]>;
  /**
   * Asks a person privately, once, whether they may be named in shout-outs posted into `target`
   * (Teams finds them among its readers); their answer comes back as the question's commands run
   * by them. Null: the platform does not know them.
   */
  askToBeNamed?(email: string, question: NamingQuestion, target: Target): Promise<{ platform: string; userId: string } | null>;
  /** Tells a person privately (the owner of a subscription whose target is gone). */
  tellPrivately?(userId: string, text: string): Promise<void>;
}

export interface DigestRunDeps {
  readonly db: DbOrTx;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly digests: readonly DigestKind[];
  readonly posters: Partial<Record<DigestPlatform, DigestPoster>>;
  /** This process in claims: unique per run. */
  readonly owner?: string;
  readonly catchUpMs?: number;
  /** Who reads the target (default: a channel audience — names only where people agreed). */
  readonly audienceOf?: (subscription: DigestSubscription) => Promise<DigestAudience>;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RunSummary {
  posted: number;
  failed: number;
  missed: number;
  gone: number;
  /** Due here but held by another process, or not deliverable from this process (no credentials). */
  skipped: number;
}

let sequence = 0;
/** A claim owner unique to this process and run. */
export function claimOwner(): string {
  sequence += 1;
  return `${hostname()}:${process.pid}:${Date.now().toString(36)}:${sequence}`;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface DueSlot {
  readonly slot: Date;
  readonly period: DateRange;
  /** Past the catch-up window: to be recorded as missed, not posted. */
  readonly expired: boolean;
}

/** The slot a subscription may owe now, or null (none yet, or before it existed). */
export function owedSlot(sub: DigestSubscription, now: Date, catchUpMs: number): DueSlot | null {
  const slot = latestSlot(sub.schedule, now);
  if (slot.getTime() < sub.createdAt.getTime()) return null;
  return { slot, period: coveredPeriod(sub.schedule.every, slot), expired: now.getTime() - slot.getTime() > catchUpMs };
}

/** The key a post carries, to be found again after a crash. */
export function deliveryKey(sub: DigestSubscription, period: DateRange): string {
  return `${sub.id}:${period.start}`;
}

function lateNote(sub: DigestSubscription, slot: Date): string {
  const day = localDate(slot, sub.schedule.timeZone);
  return `This digest is late: it was due ${formatWeekday(day)} at ${formatTimeOfDay(sub.schedule.minute)} ${sub.schedule.timeZone}.`;
}

function errorCode(error: unknown): string {
  if (error instanceof TargetRefusedError) return error.refusal;
  if (isWsaError(error)) return error.code;
  return 'internal';
}

function retryable(error: unknown): boolean {
  return error instanceof PlatformError ? error.retryable : !(error instanceof TargetRefusedError) && !isWsaError(error);
}

/** A digest is not waited for by anyone: its readers may take this long to be known. */
const DIGEST_AUDIENCE_DEADLINE_MS = 30_000;

/**
 * Who reads the target: a private audience when every reader may see people (docs/design.md §7),
 * else a channel's — and a channel's when the readers cannot be known.
 */
async function readersAudience(deps: DigestRunDeps, sub: DigestSubscription): Promise<DigestAudience> {
  const poster = deps.posters[sub.platform];
  if (!poster?.readersOf) return 'channel';
  const decision = await decideAudience(deps.db, () => poster.readersOf!({ conversationId: sub.target }), {
    deadlineMs: DIGEST_AUDIENCE_DEADLINE_MS,
    onError: (error) => deps.logger.warn({ err: error, subscription: sub.id }, 'digest.readers_failed'),
  });
  return decision.form === 'full' ? 'private' : 'channel';
}

/** Digests built in one run, by kind, group, period and audience: subscriptions that share them share one build. */
type Builds = Map<string, Promise<Reply>>;

async function audienceOf(deps: DigestRunDeps, sub: DigestSubscription): Promise<DigestAudience> {
  return deps.audienceOf ? deps.audienceOf(sub) : readersAudience(deps, sub);
}

async function build(deps: DigestRunDeps, sub: DigestSubscription, period: DateRange, audience: DigestAudience, builds: Builds = new Map()): Promise<Reply> {
  const kind = deps.digests.find((d) => d.name === sub.kind);
  if (!kind) throw new Error(`unknown digest kind ${sub.kind}`);
  const key = `${kind.name}|${sub.groupId ?? ''}|${period.start}|${period.end}|${audience}`;
  let built = builds.get(key);
  if (!built) {
    built = kind.build({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      period,
      ...(sub.groupId ? { group: sub.groupId } : {}),
      audience,
    });
    builds.set(key, built);
    // A failed build is not kept: the next subscription that needs it tries again.
    built.catch(() => builds.delete(key));
  }
  return built;
}

type Outcome = { state: 'posted'; ref: string | null; attempts: number } | { state: 'failed' | 'gone'; error: unknown; attempts: number };

/** Posts with retries; `renew` keeps a claim alive between attempts (false: the claim was lost). */
async function post(
  deps: DigestRunDeps,
  poster: DigestPoster,
  sub: DigestSubscription,
  reply: Reply,
  options: DeliveryNotes & { key?: string },
  renew: () => Promise<boolean>,
): Promise<Outcome> {
  const sleep = deps.sleep ?? wait;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const ref = await poster.postToTarget({ conversationId: sub.target }, reply, options);
      return { state: 'posted', ref: ref ?? null, attempts: attempt };
    } catch (error) {
      if (error instanceof TargetRefusedError) return { state: 'gone', error, attempts: attempt };
      if (!retryable(error) || attempt >= POST_ATTEMPTS) return { state: 'failed', error, attempts: attempt };
      deps.logger.warn({ subscription: sub.id, attempt, code: errorCode(error) }, 'digest.retry');
      const after = error instanceof PlatformError && error.retryAfterMs ? error.retryAfterMs : (RETRY_BACKOFF_MS[attempt - 1] ?? 4_000);
      await sleep(after);
      if (!(await renew())) return { state: 'failed', error: new Error('claim lost'), attempts: attempt };
    }
  }
}

async function targetGone(deps: DigestRunDeps, poster: DigestPoster, sub: DigestSubscription, error: unknown): Promise<void> {
  const now = deps.clock.now();
  await disableSubscription(deps.db, sub.id, `target refused posts: ${errorCode(error)}`, now);
  deps.logger.warn({ subscription: sub.id, platform: sub.platform, code: errorCode(error) }, 'digest.target_gone');
  const ownerId = sub.ownerUserId;
  if (ownerId && poster.tellPrivately) {
    await poster
      .tellPrivately(
        ownerId,
        `The ${sub.kind} digest ${sub.id} could not be posted (${errorCode(error).replace(/_/g, ' ')}), so it is switched off. ` +
          'Subscribe again once the bot can post there.',
      )
      .catch((err: unknown) => deps.logger.warn({ err, subscription: sub.id }, 'digest.owner_not_told'));
  }
}

/** Posts one subscription's owed slot if this process wins its claim. */
async function runOne(deps: DigestRunDeps, sub: DigestSubscription, due: DueSlot, owner: string, builds: Builds): Promise<keyof RunSummary> {
  const now = deps.clock.now();
  const poster = deps.posters[sub.platform];
  if (due.expired) {
    await recordMissed(deps.db, { subscriptionId: sub.id, period: due.period, slot: due.slot, now });
    return 'missed';
  }
  if (!poster) return 'skipped';
  const claim = await claimDelivery(deps.db, { subscriptionId: sub.id, period: due.period, slot: due.slot, owner, now });
  if (!claim) return 'skipped';
  const key = deliveryKey(sub, due.period);
  const late = now.getTime() - due.slot.getTime() > LATE_AFTER_MS;
  const settle = (s: Parameters<typeof settleClaim>[3]) => settleClaim(deps.db, claim.id, owner, s);

  if (claim.takenOver && poster.findPosted) {
    const ref = await poster.findPosted({ conversationId: sub.target }, key, due.slot);
    if (ref) {
      await settle({ state: 'posted', now: deps.clock.now(), platformRef: ref, attempts: claim.attempts });
      deps.logger.info({ subscription: sub.id, period: due.period.start }, 'digest.found_posted');
      return 'posted';
    }
  }
  let outcome: Outcome;
  let audience: DigestAudience = 'channel';
  try {
    audience = await audienceOf(deps, sub);
    const reply = await build(deps, sub, due.period, audience, builds);
    outcome = await post(deps, poster, sub, reply, { key, ...(late ? { notes: [lateNote(sub, due.slot)] } : {}) }, () =>
      renewClaim(deps.db, claim.id, owner, deps.clock.now()),
    );
  } catch (error) {
    outcome = { state: 'failed', error, attempts: 1 };
  }
  const attempts = claim.attempts + outcome.attempts;
  if (outcome.state === 'posted') {
    await settle({ state: 'posted', now: deps.clock.now(), platformRef: outcome.ref, attempts, late });
    if (audience === 'channel') await askPowerUsers(deps, poster, sub, due.period).catch((err: unknown) => deps.logger.warn({ err, subscription: sub.id }, 'digest.ask_failed'));
    deps.logger.info({ subscription: sub.id, kind: sub.kind, period: due.period.start, late, attempts }, 'digest.posted');
    return 'posted';
  }
  await settle({ state: outcome.state, now: deps.clock.now(), attempts, error: errorCode(outcome.error) });
  if (outcome.state === 'gone') {
    await targetGone(deps, poster, sub, outcome.error);
    return 'gone';
  }
  deps.logger.error({ err: outcome.error, subscription: sub.id, kind: sub.kind, attempts }, 'digest.failed');
  return 'failed';
}

/**
 * Delivers every digest that is due now, once across processes. Targets are worked on
 * TARGET_CONCURRENCY at a time, each target's digests one after another, so one channel's rate
 * limit holds up only that channel.
 */
export async function runDue(deps: DigestRunDeps): Promise<RunSummary> {
  const summary: RunSummary = { posted: 0, failed: 0, missed: 0, gone: 0, skipped: 0 };
  const owner = deps.owner ?? claimOwner();
  const catchUp = deps.catchUpMs ?? DEFAULT_CATCH_UP_MS;
  const now = deps.clock.now();
  const byTarget = new Map<string, Array<{ sub: DigestSubscription; due: DueSlot }>>();
  const owed = (await listSubscriptions(deps.db)).flatMap((sub) => {
    const due = owedSlot(sub, now, catchUp);
    return due ? [{ sub, due }] : [];
  });
  const states = await scheduledStates(
    deps.db,
    owed.map(({ sub, due }) => ({ subscriptionId: sub.id, periodStart: due.period.start })),
  );
  for (const { sub, due } of owed) {
    const known = states.get(scheduledKey(sub.id, due.period.start));
    if (known && (known.state === 'posted' || known.state === 'missed' || known.state === 'gone')) continue;
    if (known?.state === 'claimed' && known.claimExpiresAt && known.claimExpiresAt.getTime() >= now.getTime()) {
      summary.skipped += 1;
      continue;
    }
    const key = `${sub.platform}:${sub.target}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), { sub, due }]);
  }
  const queue = [...byTarget.values()];
  const builds: Builds = new Map();
  const worker = async () => {
    for (let work = queue.shift(); work; work = queue.shift()) {
      for (const { sub, due } of work) summary[await runOne(deps, sub, due, owner, builds)] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(TARGET_CONCURRENCY, queue.length) }, worker));
  return summary;
}

const REFUSAL_WORDS: Readonly<Record<string, string>> = {
  not_in_channel: 'the bot is not in that channel: invite it there first',
  channel_not_found: 'there is no such channel, or the bot cannot see it',
  archived: 'the channel is archived',
  restricted: 'apps may not post there',
  no_reference: 'the bot has not been added to that conversation yet: add it there (or mention it once) first',
};

/** The `digest` command's platform actions over these posters (AnswerInput.digests). */
export function digestActions(deps: DigestRunDeps): DigestActions {
  return {
    async canPost(target) {
      const poster = deps.posters[target.platform];
      if (!poster) throw noCredentials(target);
      try {
        await poster.canPost?.({ conversationId: target.conversationId });
      } catch (error) {
        if (error instanceof TargetRefusedError) {
          throw new UsageError(`The bot cannot post into ${target.conversationId}: ${REFUSAL_WORDS[error.refusal] ?? error.refusal}.`);
        }
        throw error;
      }
    },
    sendNow: (id) => sendNow(deps, id),
  };
}

/**
 * Posts a subscription's digest of the newest period its schedule covers, now. Recorded beside the
 * schedule (`scheduled = false`): the scheduled post of that period still goes out.
 */
export async function sendNow(deps: DigestRunDeps, id: string): Promise<{ period: DateRange; state: 'posted' | 'failed' | 'gone' }> {
  const sub = await getSubscription(deps.db, id);
  const poster = deps.posters[sub.platform];
  if (!poster) throw noCredentials({ platform: sub.platform, conversationId: sub.target });
  const now = deps.clock.now();
  const period = coveredPeriod(sub.schedule.every, now);
  const reply = await build(deps, sub, period, await audienceOf(deps, sub));
  const outcome = await post(deps, poster, sub, reply, {}, async () => true);
  await recordManual(deps.db, {
    subscriptionId: sub.id,
    period,
    now: deps.clock.now(),
    state: outcome.state,
    ...(outcome.state === 'posted' ? { platformRef: outcome.ref } : { error: errorCode(outcome.error) }),
  });
  if (outcome.state === 'gone') await targetGone(deps, poster, sub, outcome.error);
  return { period, state: outcome.state };
}
