/**
 * The server (`wsa serve`): one public HTTP server for every inbound path (docs/design.md §3), the Slack
 * and Teams adapters when configured (Teams unauthenticated and the try-it page in local mode only), the demo workspace in local mode, and — for an embedded store, which
 * no other process may open — a loopback-only listener through which other `wsa` processes run
 * their commands here. It receives everything it needs from the composition root (src/app.ts),
 * including the capability to run a forwarded subcommand.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import type { Registry } from '../core/registry.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/open.ts';
import { tryCommands, type ForwardIo } from '../local/cli-forwarding.ts';
import { startForwardingListener, type ForwardingListener } from '../local/forwarding-listener.ts';
import { generateDemoFiles, loadDemo } from '../local/load-demo.ts';
import { pgliteDataPath } from '../store/open.ts';
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
  logger.info(config.databaseUrl ? { store: 'postgres' } : { store: 'pglite', dataDir: config.dataDir }, 'server.starting');
  const loopback = config.host === '127.0.0.1' || config.host === '::1' || config.host === 'localhost';
  // Teams with its credentials, or unauthenticated for local tools in local mode on loopback only.
  const teamsOn = config.teams !== undefined || (config.localMode && loopback);
  const tryPageOn = config.localMode && loopback;
  // The embedded store opens in its own thread (on a first start: PGlite's initdb, then the
  // migrations, several seconds); meanwhile this thread loads the modules of what will serve.
  // A first start (no embedded database yet) loads the demo for sure: its files are written while
  // the store is being created, rather than after — before this process holds the store's lock, so
  // into a directory of its own: a second first start on the same data directory (which will find
  // the store locked and stop) must not empty the files the first one is loading.
  const pregenerate = config.localMode && config.demo && !config.databaseUrl && !existsSync(pgliteDataPath(config.dataDir));
  const demoDir = join(config.dataDir, pregenerate ? `${PREGENERATED_DEMO}${process.pid}` : 'demo');
  const pregenerated = pregenerate ? generateDemoFiles(demoDir, clock.now(), { users: config.demoUsers }) : undefined;
  pregenerated?.catch(() => undefined);
  const dropDemoFiles = async () => {
    await pregenerated?.catch(() => undefined);
    await rm(demoDir, { recursive: true, force: true });
  };
  const opening = deps.openStore();
  const [store] = await Promise.all([opening, preloadModules(config, teamsOn, tryPageOn)]).catch(async (error: unknown) => {
    // A module that failed to load leaves an opened store to close; a store that failed, nothing.
    await opening.then((s) => s.close()).catch(() => undefined);
    if (pregenerated) await dropDemoFiles();
    throw error;
  });
  // The store's lock is held now: files left by first starts that died before loading them go.
  if (!config.databaseUrl) await dropStaleDemoFiles(config.dataDir, demoDir);
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

  // Charts render in a thread of their own, shared by every chat surface.
  let renderer: import('../render/chart-renderer.ts').ChartRenderer | undefined;
  if (config.slack || teamsOn || tryPageOn) {
    const { createChartRenderer } = await import('../render/chart-renderer.ts');
    renderer = createChartRenderer();
    // The render thread loads vega now, off this thread, rather than on the first chart asked for.
    renderer.warm().catch((error: unknown) => logger.warn({ err: error }, 'render.warm_failed'));
  }
  const renderChart = (spec: Parameters<NonNullable<typeof renderer>['renderPng']>[0]) => renderer!.renderPng(spec);
  const { storeLedger } = await import('../delivery/inbound-ledger.ts');
  // The embedded store is one connection (in its own thread): answers wait for it one after another
  // anyway, and one at a time leaves this thread free for acks between them.
  const maxConcurrentAnswers = store.backend === 'pglite' ? 1 : 2;

  // Slack (docs/design.md §9): its /slack/events route (HTTP) or a Socket Mode connection; it starts
  // (auth.test, or connecting) once the server listens.
  let slack: import('../adapters/slack/index.ts').SlackAdapter | undefined;
  if (config.slack) {
    const { createSlackAdapter } = await import('../adapters/slack/index.ts');
    const { coreAnswer } = await import('../adapters/slack/core-answer.ts');
    slack = createSlackAdapter({
      botToken: config.slack.botToken,
      ...(config.slack.signingSecret ? { signingSecret: config.slack.signingSecret } : {}),
      ...(config.slack.appToken ? { appToken: config.slack.appToken } : {}),
      ...(config.slack.apiUrl ? { apiUrl: config.slack.apiUrl } : {}),
      logger,
      ledger: storeLedger({ db: store.db, logger }),
      renderChart,
      maxConcurrentAnswers,
      answer: coreAnswer({ db: store.db, clock, logger, registry }),
    });
    if (slack.route) routes.push(slack.route);
  }

  // Teams (docs/design.md §9): its /api/messages route.
  let teams: import('../adapters/teams/index.ts').TeamsAdapter | undefined;
  if (teamsOn) {
    const { createTeamsAdapter } = await import('../adapters/teams/index.ts');
    const { coreAnswer } = await import('../adapters/teams/core-answer.ts');
    const { storeConversations } = await import('../adapters/teams/conversations.ts');
    teams = createTeamsAdapter({
      ...(config.teams ? { credentials: config.teams } : {}),
      answer: coreAnswer({ db: store.db, clock, logger, registry }),
      renderChart,
      conversations: storeConversations(store.db, clock),
      ledger: storeLedger({ db: store.db, logger }),
      maxConcurrentAnswers,
      logger,
    });
    routes.push(teams.route);
  }

  // The try-it page (local mode, loopback only): `/wsa …` drawn as Teams and Slack would show it.
  if (tryPageOn) {
    const { tryPageRoutes } = await import('../local/try-page.ts');
    const { answer } = await import('../core/answer.ts');
    const { storeGrants } = await import('../core/access/grants.ts');
    const { storeAudit } = await import('../core/access/audit.ts');
    routes.push(
      ...tryPageRoutes({
        answer: (text, as) =>
          answer({
            db: store.db,
            clock,
            logger,
            registry,
            caller: as ? { kind: 'person', email: as } : { kind: 'operator' },
            text,
            where: 'direct',
            rowLimit: 10,
            grants: storeGrants,
            onDecision: storeAudit(store.db),
          }),
        renderChart,
        logger,
      }),
    );
  }

  const http = createHttpServer({
    routes,
    logger,
    health: {
      ready: () => ready,
      detail: () => ({ store: store.backend, localMode: config.localMode, ...(config.localMode && store.lock ? { dataDir: config.dataDir } : {}) }),
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

  // An embedded store is ours alone; other `wsa` commands reach it through us (docs/design.md §3), on a
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
  let posting: import('./digest-posters.ts').DigestPosters | undefined;
  let scheduler: import('../delivery/digest-scheduler.ts').DigestScheduler | undefined;
  const readyPromise = (async () => {
    if (config.localMode && config.demo && !(await hasData(store.db))) {
      logger.info({ dataDir: config.dataDir, users: config.demoUsers }, 'demo.loading');
      await loadDemo(store.db, { clock, logger, dir: demoDir, generate: { users: config.demoUsers }, ...(pregenerated ? { pregenerated } : {}) });
      await dropDemoFiles();
    } else if (pregenerated) {
      // Written for nothing: another first start filled the store before this one could open it.
      await dropDemoFiles();
    }
    await slack?.start();
    // Digests (docs/design.md §8): a tick every minute, wherever a platform can be posted to.
    if (config.slack || config.teams) {
      const { digestPosters } = await import('./digest-posters.ts');
      const { startDigestScheduler } = await import('../delivery/digest-scheduler.ts');
      const { DIGESTS } = await import('../../digests/index.ts');
      posting = await digestPosters(config, logger, {
        ...(renderer ? { renderChart } : {}),
        ...(teams && config.teams ? { teams: teams.digestPoster() } : {}),
      });
      scheduler = startDigestScheduler({ db: store.db, clock, logger, digests: DIGESTS, posters: posting.posters, catchUpMs: config.digestCatchUpMs });
    }
    ready = true;
    logger.info(
      {
        url,
        store: store.backend,
        localMode: config.localMode,
        routes: routes.map((r) => r.path),
        ...(store.lock ? { dataDir: config.dataDir } : {}),
        ...(config.localMode ? { tryCommands: tryCommands(config.dataDir) } : {}),
      },
      'server.ready',
    );
  })();

  return {
    url,
    address,
    store,
    ready: readyPromise,
    async close() {
      await scheduler?.stop();
      await posting?.close();
      await slack?.stop();
      await teams?.close();
      await renderer?.close();
      await http.close();
      await forwarding?.close();
      await store.close();
    },
  };
}

/**
 * Loads the modules the server is about to use (each `import()` below then finds it loaded), so
 * their loading overlaps the store opening in its thread. Failures surface here, as they would there.
 */
async function preloadModules(config: Config, teamsOn: boolean, tryPageOn: boolean): Promise<void> {
  const loads: Promise<unknown>[] = [import('../delivery/inbound-ledger.ts')];
  if (config.ingest.token) loads.push(import('./events-endpoint.ts'));
  if (config.slack || teamsOn || tryPageOn) loads.push(import('../render/chart-renderer.ts'));
  if (config.slack) loads.push(import('../adapters/slack/index.ts'), import('../adapters/slack/core-answer.ts'));
  if (teamsOn) {
    loads.push(import('../adapters/teams/index.ts'), import('../adapters/teams/core-answer.ts'), import('../adapters/teams/conversations.ts'));
  }
  if (tryPageOn) {
    loads.push(import('../local/try-page.ts'), import('../core/answer.ts'), import('../core/access/grants.ts'), import('../core/access/audit.ts'));
  }
  await Promise.all(loads);
}

/** Prefix of the directory a first start writes the demo's files into (its process id follows). */
const PREGENERATED_DEMO = 'demo-';
const PREGENERATED_DEMO_NAME = new RegExp(`^${PREGENERATED_DEMO}\\d+$`);

/** Removes demo files written by earlier first starts that stopped before loading them. */
async function dropStaleDemoFiles(dataDir: string, own: string): Promise<void> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  for (const name of names) {
    if (!PREGENERATED_DEMO_NAME.test(name)) continue;
    const path = join(dataDir, name);
    if (path !== own) await rm(path, { recursive: true, force: true });
  }
}
