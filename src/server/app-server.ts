/**
 * The server (`wsa serve`): one public HTTP server for every inbound path (DESIGN §3), the Slack
 * adapter when configured, the demo workspace in local mode, and — for an embedded store, which
 * no other process may open — a loopback-only listener through which other `wsa` processes run
 * their commands here. It receives everything it needs from the composition root (src/app.ts),
 * including the capability to run a forwarded subcommand.
 */
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import type { Registry } from '../core/registry.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/open.ts';
import type { ForwardIo } from '../local/cli-forwarding.ts';
import { startForwardingListener, type ForwardingListener } from '../local/forwarding-listener.ts';
import { loadDemo } from '../local/load-demo.ts';
import { hasData } from '../ingest/workspace-guard.ts';
import { createHttpServer, type Route } from './http.ts';

export interface RunningApp {
  readonly url: string;
  readonly address: AddressInfo;
  readonly store: Store;
  /** Resolves once the app is ready (store open, demo loaded in local mode). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface ServerDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The commands of `/wsa`. */
  readonly registry: Registry;
  /** Opens (and migrates) the configured store; the server closes it when it stops. */
  openStore(): Promise<Store>;
  /**
   * Runs a `wsa` subcommand for another process, on this server's store (which stays open).
   * Without it, an embedded store's server serves no forwarded commands.
   */
  readonly runForwarded?: (argv: string[], io: ForwardIo, store: Store) => Promise<number>;
}

export async function startServer(deps: ServerDeps): Promise<RunningApp> {
  const { config, logger, clock, registry } = deps;
  const store = await deps.openStore();
  let ready = false;
  const routes: Route[] = [];

  if (config.ingest.token) {
    const { createEventsHandler } = await import('./events-endpoint.ts');
    routes.push({
      path: '/api/v1/events',
      handler: createEventsHandler({
        db: store.db,
        clock,
        logger,
        token: config.ingest.token,
        maxBytes: config.ingest.maxBytes,
      }),
    });
  }

  // Slack (DESIGN §9): its /slack/events route (HTTP) or a Socket Mode connection; it starts
  // (auth.test, or connecting) once the server listens.
  let slack: import('../adapters/slack/index.ts').SlackAdapter | undefined;
  let renderer: import('../render/chart-renderer.ts').ChartRenderer | undefined;
  if (config.slack) {
    const { createSlackAdapter } = await import('../adapters/slack/index.ts');
    const { storeLedger } = await import('../adapters/slack/deliveries.ts');
    const { coreAnswer } = await import('../adapters/slack/core-answer.ts');
    const { createChartRenderer } = await import('../render/chart-renderer.ts');
    const charts = createChartRenderer();
    renderer = charts;
    // The render thread loads vega now, off this thread, rather than on the first chart asked for.
    charts.warm().catch((error: unknown) => logger.warn({ err: error }, 'render.warm_failed'));
    slack = createSlackAdapter({
      botToken: config.slack.botToken,
      ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret } : {}),
      ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
      ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
      logger,
      ledger: storeLedger({ db: store.db, logger }),
      renderChart: (spec) => charts.renderPng(spec),
      // The embedded store runs its queries on this event loop: one answer at a time keeps acks quick.
      maxConcurrentAnswers: store.backend === 'pglite' ? 1 : 2,
      answer: coreAnswer({ db: store.db, clock, logger, registry }),
    });
    if (slack.route) routes.push(slack.route);
  }

  const http = createHttpServer({
    routes,
    logger,
    health: {
      ready: () => ready,
      detail: () => ({ store: store.backend, localMode: config.localMode }),
    },
  });
  let address: AddressInfo;
  try {
    address = await http.listen(config.port, config.host);
  } catch (error) {
    await store.close();
    throw error;
  }
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  // An embedded store is ours alone; other `wsa` commands reach it through us (DESIGN §3), on a
  // listener of its own that only loopback can reach.
  let forwarding: ForwardingListener | undefined;
  const { runForwarded } = deps;
  if (store.lock && runForwarded) {
    try {
      forwarding = await startForwardingListener({
        logger,
        holder: store.lock.info,
        run: (argv, io) => runForwarded(argv, io, store),
      });
    } catch (error) {
      await http.close();
      await store.close();
      throw error;
    }
    store.lock.update({ serverUrl: forwarding.url, serverToken: forwarding.token });
  }

  logger.info({ url, store: store.backend, localMode: config.localMode }, 'server.listening');
  const readyPromise = (async () => {
    if (config.localMode && config.demo && !(await hasData(store.db))) {
      logger.info({ dataDir: config.dataDir }, 'demo.loading');
      const demoDir = join(config.dataDir, 'demo');
      await loadDemo(store.db, { clock, logger, dir: demoDir, generate: { users: config.demoUsers } });
      await rm(demoDir, { recursive: true, force: true });
    }
    await slack?.start();
    ready = true;
    logger.info(
      { url, store: store.backend, localMode: config.localMode, routes: routes.map((r) => r.path) },
      config.localMode
        ? `wsa is ready in local mode at ${url} — in another terminal try: npx wsa ask "overview", npx wsa ask "help"`
        : 'server.ready',
    );
  })();

  return {
    url,
    address,
    store,
    ready: readyPromise,
    async close() {
      await slack?.stop();
      await renderer?.close();
      await http.close();
      await forwarding?.close();
      await store.close();
    },
  };
}
