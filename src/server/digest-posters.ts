/**
 * The platforms a process can post digests to, from its configuration: Slack with a bot token (its
 * Web API only — no receiver), Teams with its app credentials. Used by the server's digest tick and
 * by `wsa digest` (subscribe, send-now, run-due), so both post the same way.
 */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { RenderChart } from '../delivery/charts.ts';
import type { DigestPoster } from '../delivery/digest-runs.ts';
import type { DigestPlatform } from '../store/digest-subscriptions.ts';

export interface DigestPosters {
  readonly posters: Partial<Record<DigestPlatform, DigestPoster>>;
  close(): Promise<void>;
}

export async function digestPosters(
  config: Config,
  logger: Logger,
  options: { renderChart?: RenderChart; teams?: DigestPoster } = {},
): Promise<DigestPosters> {
  const posters: Partial<Record<DigestPlatform, DigestPoster>> = {};
  const closers: Array<() => Promise<void> | void> = [];
  let renderChart = options.renderChart;
  if (!renderChart && (config.slack || options.teams)) {
    const { createChartRenderer } = await import('../render/chart-renderer.ts');
    const renderer = createChartRenderer({ workers: 0 });
    renderChart = (spec) => renderer.renderPng(spec);
    closers.push(() => renderer.close());
  }
  if (config.slack) {
    const { webApi } = await import('@slack/bolt');
    const { WEB_CLIENT_RETRY_OPTIONS } = await import('../adapters/slack/slack-call.ts');
    const { slackDigestPoster } = await import('../adapters/slack/digest-poster.ts');
    const client = new webApi.WebClient(config.slack.botToken, {
      ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
      ...WEB_CLIENT_RETRY_OPTIONS,
      retryConfig: { ...WEB_CLIENT_RETRY_OPTIONS.retryConfig },
    });
    const slack = slackDigestPoster({ client, logger, ...(renderChart ? { renderChart } : {}) });
    posters.slack = slack;
    closers.push(() => slack.close());
  }
  if (options.teams) posters.teams = options.teams;
  return {
    posters,
    async close() {
      for (const close of closers) await close();
    },
  };
}
