/**
 * The composition root: the one place that wires configuration, store, clock, logger, HTTP
 * routes and platform adapters together. Everything else receives what it needs as arguments.
 */
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './config.ts';
import type { Clock } from './core/clock.ts';
import type { Logger } from './log.ts';
import { openStore, type Store } from './store/open.ts';
import { createHttpServer, type Route } from './server/http.ts';
import { createCliRoute, newServerToken } from './local/cli-forwarding.ts';
import { runSubcommand } from './cli/main.ts';
import { loadDemo } from './local/load-demo.ts';
import { hasData } from './ingest/workspace-guard.ts';
import { registry } from '../commands/index.ts';

export interface RunningApp {
  readonly url: string;
  readonly address: AddressInfo;
  readonly store: Store;
  /** Resolves once the app is ready (store open, demo loaded in local mode). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
}

export async function startApp({ config, logger, clock }: AppDeps): Promise<RunningApp> {
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let ready = false;
  // Routes are looked up per request, so routes added after listen() are served too.
  const routes: Route[] = [];

  if (config.ingest.token) {
    const { createEventsHandler } = await import('./server/events-endpoint.ts');
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

  // Slack (docs/design.md §9): its /slack/events route (HTTP) or a Socket Mode connection; it starts
  // (auth.test, or connecting) once the server listens.
  let slack: import('./adapters/slack/index.ts').SlackAdapter | undefined;
  let renderer: import('./render/chart-renderer.ts').ChartRenderer | undefined;
  // Teams with its credentials, or unauthenticated for local tools in local mode (loopback only).
  const loopback = config.host === '127.0.0.1' || config.host === '::1' || config.host === 'localhost';
  const teamsOn = config.teams !== undefined || (config.localMode && loopback);
  if (config.slack || teamsOn) {
    const { createChartRenderer } = await import('./render/chart-renderer.ts');
    renderer = createChartRenderer();
    // The render thread loads vega now, off this thread, rather than on the first chart asked for.
    renderer.warm().catch((error: unknown) => logger.warn({ err: error }, 'render.warm_failed'));
  }
  if (config.slack) {
    const { createSlackAdapter } = await import('./adapters/slack/index.ts');
    const { storeLedger } = await import('./delivery/inbound-ledger.ts');
    const { coreAnswer } = await import('./adapters/slack/core-answer.ts');
    const charts = renderer!;
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

  // Teams (docs/design.md §9): its /api/messages route.
  let teams: import('./adapters/teams/index.ts').TeamsAdapter | undefined;
  if (teamsOn) {
    const { createTeamsAdapter } = await import('./adapters/teams/index.ts');
    const { coreAnswer } = await import('./adapters/teams/core-answer.ts');
    const { storeConversations } = await import('./adapters/teams/conversations.ts');
    const charts = renderer!;
    teams = createTeamsAdapter({
      ...(config.teams ? { credentials: config.teams } : {}),
      answer: coreAnswer({ db: store.db, clock, logger, registry }),
      renderChart: (spec) => charts.renderPng(spec),
      conversations: storeConversations(store.db, clock),
      logger,
    });
    routes.push(teams.route);
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

  // An embedded store is ours alone; other `wsa` commands reach it through us (docs/design.md §3).
  if (store.lock) {
    const token = newServerToken();
    const loopback = `http://127.0.0.1:${address.port}`;
    routes.push(
      createCliRoute({
        token,
        run: (argv, io) => {
          const [name = 'help', ...args] = argv;
          const shared: Store = { ...store, close: async () => {} };
          return runSubcommand(name, args, {
            config,
            logger,
            clock,
            registry,
            ...io,
            openStore: async () => shared,
          });
        },
      }),
    );
    store.lock.update({ serverUrl: loopback, serverToken: token });
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
      await teams?.close();
      await renderer?.close();
      await http.close();
      await store.close();
    },
  };
}
