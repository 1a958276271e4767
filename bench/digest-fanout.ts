/**
 * Digest fan-out: 500 subscriptions due at one slot — half to Slack channels, half to Teams
 * conversations — delivered by one `run-due` pass (the server's tick does the same) through the
 * real Slack WebClient and the real Teams adapter, into the loopback fakes with the platforms' rate
 * limits: Slack about one message per second per channel, Teams 7 activities per second per
 * conversation (429 with Retry-After beyond). Ten subscriptions share each target.
 *
 *   node --import tsx bench/digest-fanout.ts [--backend postgres|pglite] [--subscriptions 500]
 *                                            [--per-target 10] [--users 2000] [--json FILE]
 *
 * The floor: what the limits allow with every target worked on at once — (posts per target − 1)
 * seconds on Slack, (posts per target − 1) / 7 seconds on Teams; the larger of the two.
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fixedClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/log.ts';
import { loadDemo } from '../src/local/load-demo.ts';
import { rememberingRender } from '../src/delivery/charts.ts';
import { runDue } from '../src/delivery/digest-runs.ts';
import { createSlackDigestPoster } from '../src/adapters/slack/digest-poster.ts';
import { createTeamsAdapter } from '../src/adapters/teams/index.ts';
import { storeConversations } from '../src/adapters/teams/conversations.ts';
import { createChartRenderer } from '../src/render/chart-renderer.ts';
import { createSubscription } from '../src/store/digest-subscriptions.ts';
import { saveTeamsConversation } from '../src/store/teams-conversations.ts';
import { DIGESTS } from '../digests/index.ts';
import { startFakeConnector } from '../test/support/fake-connector.ts';
import { startFakeSlack } from '../test/support/fake-slack.ts';
import { throwawayStore } from './lib/throwaway-store.ts';
import { usageOnHelp } from './lib/usage.ts';

usageOnHelp(import.meta.url);
const { values: opts } = parseArgs({
  options: {
    backend: { type: 'string' },
    subscriptions: { type: 'string', default: '500' },
    'per-target': { type: 'string', default: '10' },
    users: { type: 'string', default: '2000' },
    json: { type: 'string' },
  },
});
const PG_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
const backend = (opts.backend ?? (PG_URL ? 'postgres' : 'pglite')) as 'postgres' | 'pglite';
const TOTAL = Number(opts.subscriptions);
const PER_TARGET = Number(opts['per-target']);
const SLACK_PER_SECOND = 1;
const TEAMS_PER_SECOND = 7;

export interface DigestFanoutFigures {
  backend: 'postgres' | 'pglite';
  subscriptions: number;
  perTarget: number;
  wallMs: number;
  floorMs: number;
  posted: number;
  failed: number;
  retried429: { slack: number; teams: number };
}

// The slot: Monday 7 Dec 2026 09:00 UTC, the run a few seconds after it.
const SLOT = new Date('2026-12-07T09:00:00Z');
let now = new Date(SLOT.getTime() + 5_000);
const clock = { now: () => now };
const logger = silentLogger();

const { store, drop } = await throwawayStore(backend, PG_URL, 'wsa_bench_digests');
const dir = await mkdtemp(join(tmpdir(), 'wsa-bench-digests-'));
const slack = await startFakeSlack({ postsPerSecondPerChannel: SLACK_PER_SECOND, nowSeconds: () => Date.now() / 1000 });
const connector = await startFakeConnector({ activitiesPerSecondPerConversation: TEAMS_PER_SECOND });
const renderer = createChartRenderer({ workers: 0 });
try {
  await loadDemo(store.db, { clock: fixedClock(SLOT), logger, dir, demo: false, generate: { users: Number(opts.users), weeks: 12, source: 'events' } });
  const groups = (await store.db.selectFrom('scim_groups').select('group_id').orderBy('group_id').execute()).map((g) => g.group_id);
  const teams = createTeamsAdapter({
    answer: async () => {
      throw new Error('not asked');
    },
    conversations: storeConversations(store.db, clock),
    logger,
  });
  const renderChart = rememberingRender((spec) => renderer.renderPng(spec));
  const slackPoster = createSlackDigestPoster({ botToken: slack.options.botToken, apiUrl: slack.apiUrl, logger, renderChart });

  // Subscriptions: each target gets PER_TARGET of them (kinds × groups × times, so none repeats).
  const created = new Date(SLOT.getTime() - 7 * 86_400_000);
  for (let i = 0; i < TOTAL; i += 1) {
    const platform = i % 2 === 0 ? 'slack' : 'teams';
    const targetNo = Math.floor(i / 2 / PER_TARGET);
    const target = platform === 'slack' ? `C${String(targetNo).padStart(5, '0')}` : `19:bench-${targetNo}@thread.tacv2`;
    if (platform === 'teams') {
      await saveTeamsConversation(
        store.db,
        { conversationId: target, conversationType: 'channel', tenantId: 't', userId: null, reference: { channelId: 'msteams', serviceUrl: connector.url, bot: { id: '28:wsa', name: 'wsa' }, conversation: { id: target, conversationType: 'channel', isGroup: true } } },
        created,
      );
    }
    const n = Math.floor(i / 2) % PER_TARGET;
    await createSubscription(
      store.db,
      {
        kind: DIGESTS[n % DIGESTS.length]!.name,
        platform,
        target,
        schedule: { day: 1, minute: 9 * 60, timeZone: 'UTC', every: 'week' },
        groupId: n < DIGESTS.length ? null : (groups[n % groups.length] ?? null),
        createdBy: 'operator',
      },
      created,
    ).catch(() => undefined);
  }
  const subscriptions = Number((await store.db.selectFrom('digest_subscriptions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  now = new Date(SLOT.getTime() + 5_000);
  const started = performance.now();
  const summary = await runDue({ db: store.db, clock, logger, digests: DIGESTS, posters: { slack: slackPoster, teams: teams.digestPoster() } });
  const wallMs = performance.now() - started;
  const perTarget = subscriptions / Math.ceil(TOTAL / PER_TARGET);
  const floorMs = Math.max(((perTarget - 1) / SLACK_PER_SECOND) * 1000, ((perTarget - 1) / TEAMS_PER_SECOND) * 1000);
  const figures: DigestFanoutFigures = {
    backend,
    subscriptions,
    perTarget,
    wallMs,
    floorMs,
    posted: summary.posted,
    failed: summary.failed + summary.gone,
    retried429: {
      slack: slack.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 429).length,
      teams: connector.calls.filter((c) => c.status === 429).length,
    },
  };
  slackPoster.close();
  await teams.close();
  if (opts.json) writeFileSync(opts.json, JSON.stringify(figures));
  else console.log(JSON.stringify(figures, null, 2));
} finally {
  await renderer.close();
  await slack.close();
  await connector.close();
  await drop();
  await rm(dir, { recursive: true, force: true });
}
