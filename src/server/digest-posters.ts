/**
 * The platforms a process can post digests to, from its configuration: Slack with a bot token (its
 * Web API only — no receiver), Teams with its app credentials. Used by the server's digest tick and
 * by `wsa digest` (subscribe, send-now, run-due), so both post the same way.
 */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { rememberingRender, type RenderChart } from '../delivery/charts.ts';
import type { DigestPoster } from '../delivery/digest-runs.ts';
import type { DigestPlatform } from '../store/digest-subscriptions.ts';
import type { DbOrTx } from '../store/schema.ts';
import type { Clock } from '../core/clock.ts';

export interface DigestPosters {
  readonly posters: Partial<Record<DigestPlatform, DigestPoster>>;
  close(): Promise<void>;
}

/**
 * `teams`: the running server's Teams adapter's poster. Without it, a process with Teams
 * credentials and a store (`db`, `clock`) builds a Teams adapter of its own that only posts.
 */
export async function digestPosters(
  config: Config,
  logger: Logger,
  options: { renderChart?: RenderChart; teams?: DigestPoster; db?: DbOrTx; clock?: Clock } = {},
): Promise<DigestPosters> {
  const posters: Partial<Record<DigestPlatform, DigestPoster>> = {};
  const closers: Array<() => Promise<void> | void> = [];
  let renderChart = options.renderChart;
  if (!renderChart && (config.slack || config.teams)) {
    const { createChartRenderer } = await import('../render/chart-renderer.ts');
    const renderer = createChartRenderer({ workers: 0 });
    renderChart = (spec) => renderer.renderPng(spec);
    closers.push(() => renderer.close());
  }
  // Digests of one run share their charts: each distinct chart is drawn once.
  if (renderChart) renderChart = rememberingRender(renderChart);
  if (config.slack) {
    const { createSlackDigestPoster } = await import('../adapters/slack/digest-poster.ts');
    const slack = createSlackDigestPoster({
      botToken: config.slack.botToken,
      apiUrl: config.slack.apiUrl,
      logger,
      ...(renderChart ? { renderChart } : {}),
    });
    posters.slack = slack;
    closers.push(() => slack.close());
  }
  if (options.teams) posters.teams = options.teams;
  else if (config.teams && options.db && options.clock) {
    const { createTeamsAdapter } = await import('../adapters/teams/index.ts');
    const { storeConversations } = await import('../adapters/teams/conversations.ts');
    const teams = createTeamsAdapter({
      credentials: config.teams,
      answer: async () => {
        throw new Error('this Teams adapter only posts digests');
      },
      ...(renderChart ? { renderChart } : {}),
      conversations: storeConversations(options.db, options.clock),
      logger,
    });
    posters.teams = teams.digestPoster();
    closers.push(() => teams.close());
  }
  return {
    posters,
    async close() {
      for (const close of closers) await close();
    },
  };
}
