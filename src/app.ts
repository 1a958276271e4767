/**
 * The composition root: the one place that builds configuration, logger, clock, the command
 * registry and the store opener, and hands them to the two things that use them — the CLI
 * (src/cli/main.ts) and the server (src/server/app-server.ts). The server runs subcommands for
 * other `wsa` processes through a capability given here; it never imports the CLI.
 *
 * What only some runs need — the commands of `/wsa`, the store's drivers, the server and its
 * platform SDKs — is imported when first needed, so `wsa --help` loads none of it.
 */
import type { Readable, Writable } from 'node:stream';
import type { Config } from './config.ts';
import { fixedClock, systemClock, type Clock } from './core/clock.ts';
import { ConfigError } from './core/errors.ts';
import type { Registry } from './core/registry.ts';
import type { Logger } from './log.ts';
import type { HumanConsole } from './log-console.ts';
import type { Store } from './store/open.ts';
import { isHelp, printHelp, runCli, runSubcommand } from './cli/main.ts';
import { EXIT_FAILED, type CliContext, type CliIo } from './cli/context.ts';
import type { RunningApp } from './server/app-server.ts';

export type { RunningApp } from './server/app-server.ts';

/** What the CLI and the server share. */
export interface Root {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly registry: Registry;
  /** Opens (and migrates) the configured store; the caller closes it. */
  openStore(): Promise<Store>;
}

export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  registry?: Registry;
  /** A store already being opened (`openStoreEarly`): the first `openStore()` gets it. */
  opening?: EarlyStore;
}

/** The embedded store opened before the commands load; closed at the end if no one took it. */
export interface EarlyStore {
  take(): Promise<Store>;
  closeIfUntaken(): Promise<void>;
}

/**
 * Subcommands that read an existing embedded store and whose start-up a person waits for: their
 * store starts opening (PGlite starting in its thread, the migrations checked) before the
 * commands of `/wsa` are loaded, so the two overlap.
 */
const EARLY_OPENERS = new Set(['ask', 'export', 'audit']);

async function openStoreEarly(name: string | undefined, config: Config): Promise<EarlyStore | undefined> {
  if (!name || !EARLY_OPENERS.has(name) || config.databaseUrl) return undefined;
  const { openStore, pgliteDataPath } = await import('./store/open.ts');
  // Only a store that exists: a command on a missing one says so without creating it.
  const { existsSync } = await import('node:fs');
  if (!existsSync(pgliteDataPath(config.dataDir))) return undefined;
  const opening = openStore({ dataDir: config.dataDir });
  // A failure (the store in use, …) is the command's to report, when it asks for the store.
  opening.catch(() => undefined);
  let taken = false;
  return {
    take() {
      taken = true;
      return opening;
    },
    async closeIfUntaken() {
      if (taken) return;
      taken = true;
      await opening.then((store) => store.close()).catch(() => undefined);
    },
  };
}

/** The root for a parsed configuration: the clock it pins (or the system's) and its store. */
export async function composeRoot({ config, logger, clock, registry, opening }: AppDeps): Promise<Root> {
  let early = opening;
  return {
    config,
    logger,
    clock,
    registry: registry ?? (await import('../commands/index.ts')).registry,
    openStore: async () => {
      if (early) {
        const store = early.take();
        early = undefined;
        return store;
      }
      return (await import('./store/open.ts')).openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    },
  };
}

/** Starts the server on the root's store, able to run other `wsa` processes' commands. */
export async function startApp(deps: AppDeps): Promise<RunningApp> {
  const root = await composeRoot(deps);
  const { startServer } = await import('./server/app-server.ts');
  return startServer({
    ...root,
    runForwarded: (argv, io, store) => {
      const [name = 'help', ...args] = argv;
      // The server's store stays open: the subcommand's close() leaves it be.
      const borrowed: Store = { ...store, close: async () => {} };
      return runSubcommand(name, args, { ...cliContext(root, io), openStore: async () => borrowed });
    },
  });
}

function cliContext(root: Root, io: CliIo): CliContext {
  return {
    config: root.config,
    logger: root.logger,
    clock: root.clock,
    registry: root.registry,
    stdout: io.stdout,
    stderr: io.stderr,
    stdin: io.stdin,
    openStore: root.openStore,
    async digestPosters(store) {
      const { digestPosters } = await import('./server/digest-posters.ts');
      return digestPosters(root.config, root.logger, { db: store.db, clock: root.clock });
    },
  };
}

/** `wsa ARGV…` in this process: what bin/wsa.mjs runs. Resolves with the exit status. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: { stdout: Writable; stderr: Writable; stdin: Readable } = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  },
): Promise<number> {
  const [name] = argv;
  if (isHelp(argv)) return printHelp(argv, io);
  const { loadEnvironment, parseConfig } = await import('./config.ts');
  let config: Config;
  try {
    config = parseConfig(loadEnvironment(env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return EXIT_FAILED;
  }
  let human: HumanConsole | undefined;
  let early: EarlyStore | undefined;
  try {
    return await runCli(argv, config, io, async () => {
      const serve = name === 'serve';
      const { createLogger, levelNumber } = await import('./log.ts');
      const level = env.LOG_LEVEL ?? (serve ? config.logLevel : 'warn');
      if (!humanLogs(config, serve, io.stderr) || level === 'silent') return context(createLogger(level), io);
      const { humanConsole } = await import('./log-console.ts');
      // Lines at the level asked for (a CLI command says what it did on stdout: warnings and
      // errors); the debug records of progress still reach the console, for its bars.
      human = humanConsole(io.stderr, { lineLevel: levelNumber(level) });
      const stdout = (io.stdout as { isTTY?: boolean }).isTTY ? human.above(io.stdout) : io.stdout;
      const recorded = levelNumber(level) < levelNumber('debug') ? level : 'debug';
      return context(createLogger(recorded, human), { ...io, stdout });
    });
  } finally {
    await early?.closeIfUntaken();
    human?.close();
  }

  async function context(logger: Logger, ctxIo: CliIo): Promise<CliContext> {
    // The subcommand runs here (not in a local server): its store may start opening now.
    early = await openStoreEarly(name, config);
    const root = await composeRoot({ config, logger, clock: config.now ? fixedClock(config.now) : systemClock, ...(early ? { opening: early } : {}) });
    return { ...cliContext(root, ctxIo), startServer: () => startApp(root) };
  }
}

/**
 * Whether logs are written for a person: LOG_FORMAT=pretty, or LOG_FORMAT unset and stderr a
 * terminal — except for a server with chat credentials, whose logs go to a log collector.
 */
function humanLogs(config: Config, serve: boolean, stderr: Writable): boolean {
  if (config.logFormat !== undefined) return config.logFormat === 'pretty';
  return (stderr as { isTTY?: boolean }).isTTY === true && !(serve && !config.localMode);
}
