/**
 * Digests due now, posted once: the ledger and the due-logic of src/delivery/digest-runs.ts on both
 * backends, with a pinned clock and a poster that records what it was given. (The platforms' own
 * posting, with their rate limits, is tested through the Slack and Teams stacks.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { PlatformError } from '../../src/core/errors.ts';
import type { Reply } from '../../src/core/reply.ts';
import { silentLogger } from '../../src/log.ts';
import { claimDelivery, CLAIM_TTL_MS, recentDeliveries } from '../../src/store/digest-ledger.ts';
import { createSubscription, getSubscription, listSubscriptions } from '../../src/store/digest-subscriptions.ts';
import { owedSlot, runDue, sendNow, type DigestPoster, type DigestRunDeps } from '../../src/delivery/digest-runs.ts';
import { TargetRefusedError, type Target } from '../../src/delivery/port.ts';
import { DIGESTS } from '../../digests/index.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { StoreFixture } from '../metrics/fixtures.ts';

// Monday 7 Dec 2026 09:00 Europe/Paris = 08:00Z; it covers Sun 29 Nov – Sat 5 Dec.
const SLOT = new Date('2026-12-07T08:00:00Z');
const WEEK = { start: '2026-11-29', end: '2026-12-05' };
const paris = { day: 1, minute: 540, timeZone: 'Europe/Paris', every: 'week' } as const;

interface Posted {
  target: Target;
  title: string;
  notes: readonly string[];
  key: string | undefined;
}

function recorder(platform: 'slack' | 'teams', script: Array<Error | null> = []) {
  const posts: Posted[] = [];
  const told: string[] = [];
  const poster: DigestPoster = {
    platform,
    async postToTarget(target: Target, reply: Reply, options = {}) {
      const next = script.shift();
      if (next) throw next;
      posts.push({ target, title: reply.title, notes: options.notes ?? [], key: options.key });
      return `ref-${posts.length}`;
    },
    async findPosted(_target, key) {
      const hit = posts.find((p) => p.key === key);
      return hit ? 'found' : null;
    },
    async tellPrivately(userId, text) {
      told.push(`${userId}: ${text}`);
    },
  };
  return { poster, posts, told };
}

describe.each(backends())('digest runs on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await clearStore(store.db);
    const f = new StoreFixture(store.db);
    await f.workspace('events');
    await f.directory('2026-11-01', [{ id: 'user-ann', email: 'ann@example.com', status: 'enabled' }]);
    await f.events([{ u: 'user-ann', d: '2026-12-01', n: 3, conv: 'c1' }]);
  });

  const deps = (at: Date, poster: DigestPoster, extra: Partial<DigestRunDeps> = {}): DigestRunDeps => ({
    db: store.db,
    clock: fixedClock(at),
    logger: silentLogger(),
    digests: DIGESTS,
    posters: { [poster.platform]: poster },
    sleep: async () => {},
    ...extra,
  });
  const subscribe = (kind = 'weekly-adoption', createdAt = new Date('2026-12-01T00:00:00Z'), target = 'C1') =>
    createSubscription(store.db, { kind, platform: 'slack', target, schedule: paris, groupId: null, createdBy: 'operator', ownerUserId: 'U-OWNER' }, createdAt);

  it('three runners at the same instant post each subscription once', async () => {
    await subscribe('weekly-adoption');
    await subscribe('weekly-impact');
    const { poster, posts } = recorder('slack');
    const at = new Date(SLOT.getTime() + 30_000);
    const results = await Promise.all([1, 2, 3].map((n) => runDue(deps(at, poster, { owner: `runner-${n}` }))));
    expect(posts.map((p) => p.title).sort()).toEqual(['Weekly adoption', 'Weekly impact']);
    expect(results.reduce((s, r) => s + r.posted, 0)).toBe(2);
    // Again, later the same day: nothing more.
    await runDue(deps(new Date(SLOT.getTime() + 3_600_000), poster));
    expect(posts).toHaveLength(2);
    expect(posts[0]?.key).toMatch(/^dg-[a-z2-9]{8}:2026-11-29$/);
  });

  it('is not due before its slot, nor for a slot before the subscription existed', async () => {
    await subscribe('weekly-adoption', new Date('2026-12-07T08:30:00Z'));
    const { poster, posts } = recorder('slack');
    await runDue(deps(new Date('2026-12-07T07:59:00Z'), poster));
    await runDue(deps(new Date('2026-12-07T09:00:00Z'), poster));
    expect(posts).toEqual([]);
    const [sub] = await listSubscriptions(store.db);
    expect(owedSlot(sub!, new Date('2026-12-14T08:00:00Z'), 86_400_000)?.period).toEqual({ start: '2026-12-06', end: '2026-12-12' });
  });

  it('a claim left by a process that died is taken over once it expires, and posted once', async () => {
    const sub = await subscribe();
    const dead = await claimDelivery(store.db, { subscriptionId: sub.id, period: WEEK, slot: SLOT, owner: 'dead', now: SLOT });
    expect(dead).toEqual({ id: expect.any(String), takenOver: false, attempts: 0 });
    const { poster, posts } = recorder('slack');
    const before = await runDue(deps(new Date(SLOT.getTime() + CLAIM_TTL_MS - 1_000), poster));
    expect(before.skipped).toBe(1);
    expect(posts).toEqual([]);
    await runDue(deps(new Date(SLOT.getTime() + CLAIM_TTL_MS + 1_000), poster));
    await runDue(deps(new Date(SLOT.getTime() + CLAIM_TTL_MS + 60_000), poster));
    expect(posts).toHaveLength(1);
  });

  it('a post the dead process made is found by its key and not posted again', async () => {
    const sub = await subscribe();
    const { poster, posts } = recorder('slack');
    await poster.postToTarget({ conversationId: 'C1' }, { title: 'Weekly adoption' } as Reply, { key: `${sub.id}:${WEEK.start}` });
    await claimDelivery(store.db, { subscriptionId: sub.id, period: WEEK, slot: SLOT, owner: 'dead', now: SLOT });
    await runDue(deps(new Date(SLOT.getTime() + CLAIM_TTL_MS + 1_000), poster));
    expect(posts).toHaveLength(1);
    expect((await recentDeliveries(store.db, sub.id))[0]).toMatchObject({ state: 'posted', scheduled: true });
  });

  it('posts late within the catch-up window, saying so, and records it missed after', async () => {
    const a = await subscribe('weekly-adoption', new Date('2026-12-01T00:00:00Z'), 'C1');
    await subscribe('weekly-adoption', new Date('2026-12-01T00:00:00Z'), 'C2');
    const { poster, posts } = recorder('slack');
    // Down from before the slot until 23 h after it: C1 and C2 are both owed.
    await runDue(deps(new Date(SLOT.getTime() + 23 * 3_600_000), poster));
    expect(posts.map((p) => p.target.conversationId).sort()).toEqual(['C1', 'C2']);
    expect(posts[0]?.notes).toEqual(['This digest is late: it was due Mon 7 Dec 2026 at 09:00 Europe/Paris.']);
    expect((await recentDeliveries(store.db, a.id))[0]).toMatchObject({ state: 'posted', late: true });

    // Another subscription whose slot passed 25 h ago while nothing ran: missed, never posted.
    await clearStore(store.db);
    const c = await subscribe('weekly-adoption', new Date('2026-12-01T00:00:00Z'), 'C3');
    const { poster: p2, posts: posts2 } = recorder('slack');
    const r = await runDue(deps(new Date(SLOT.getTime() + 25 * 3_600_000), p2));
    expect(r.missed).toBe(1);
    expect(posts2).toEqual([]);
    expect((await recentDeliveries(store.db, c.id))[0]).toMatchObject({ state: 'missed' });
    await runDue(deps(new Date(SLOT.getTime() + 26 * 3_600_000), p2));
    expect(posts2).toEqual([]);
  });

  it('retries a failed post (500, then 200) and posts once', async () => {
    const sub = await subscribe();
    const { poster, posts } = recorder('slack', [new PlatformError('HTTP 500', { retryable: true }), null]);
    const slept: number[] = [];
    const r = await runDue(deps(SLOT, poster, { sleep: async (ms) => void slept.push(ms) }));
    expect(r.posted).toBe(1);
    expect(posts).toHaveLength(1);
    expect(slept).toEqual([1_000]);
    expect((await recentDeliveries(store.db, sub.id))[0]).toMatchObject({ state: 'posted', attempts: 2 });
  });

  it('a post still failing stays due and is posted by a later run', async () => {
    const sub = await subscribe();
    const fail = () => new PlatformError('HTTP 503', { retryable: true, retryAfterMs: 2_500 });
    const { poster, posts } = recorder('slack', [fail(), fail(), fail(), null]);
    const slept: number[] = [];
    const first = await runDue(deps(SLOT, poster, { sleep: async (ms) => void slept.push(ms) }));
    expect(first.failed).toBe(1);
    expect(slept).toEqual([2_500, 2_500]);
    expect((await recentDeliveries(store.db, sub.id))[0]).toMatchObject({ state: 'failed', attempts: 3 });
    const second = await runDue(deps(new Date(SLOT.getTime() + 60_000), poster));
    expect(second.posted).toBe(1);
    expect(posts).toHaveLength(1);
    expect((await recentDeliveries(store.db, sub.id))[0]).toMatchObject({ state: 'posted', attempts: 4 });
  });

  it('a target that is gone disables the subscription and tells its owner', async () => {
    const sub = await subscribe();
    const { poster, told } = recorder('slack', [new TargetRefusedError('archived')]);
    const r = await runDue(deps(SLOT, poster));
    expect(r.gone).toBe(1);
    expect((await getSubscription(store.db, sub.id)).disabledAt).not.toBeNull();
    expect(told).toEqual([`U-OWNER: The weekly-adoption digest ${sub.id} could not be posted (archived), so it is switched off. Subscribe again once the bot can post there.`]);
    expect(await listSubscriptions(store.db)).toEqual([]);
  });

  it('send-now posts at once and does not stand in for the scheduled post', async () => {
    const sub = await subscribe();
    const { poster, posts } = recorder('slack');
    const sent = await sendNow(deps(new Date('2026-12-07T07:00:00Z'), poster), sub.id);
    expect(sent).toEqual({ period: WEEK, state: 'posted' });
    await runDue(deps(SLOT, poster));
    expect(posts).toHaveLength(2);
    expect((await recentDeliveries(store.db, sub.id)).map((d) => d.scheduled)).toEqual([true, false]);
  });

  it('refuses a second identical subscription, naming the first', async () => {
    const first = await subscribe();
    await expect(subscribe()).rejects.toThrow(`That digest is already subscribed there with the same schedule: ${first.id}.`);
    // Another group, another target or another time is another subscription.
    await expect(subscribe('weekly-adoption', new Date(), 'C9')).resolves.toMatchObject({ target: 'C9' });
  });
});
