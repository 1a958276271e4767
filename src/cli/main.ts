/**
 * `wsa` — the command line. Each subcommand is a module in src/cli/commands/ listed in
 * by file name; this file only parses the configuration, dispatches, and maps errors to exit
 * statuses in one place.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseConfig, loadEnvironment } from '../config.ts';
import { isWsaError, ConfigError, StoreInUseError } from '../core/errors.ts';
import { fixedClock, systemClock } from '../core/clock.ts';
import { createLogger } from '../log.ts';
import type { Readable, Writable } from 'node:stream';
import { openStore } from '../store/open.ts';
import { registry } from '../../commands/index.ts';
import { readLock } from '../store/lock.ts';
import { ForwardToServer, forwardToServer } from '../local/cli-forwarding.ts';
import {
  CommandLineError,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  type CliCommand,
  type CliContext,
} from './context.ts';

const COMMANDS_DIR = fileURLToPath(new URL('./commands/', import.meta.url));

/** One module per subcommand in src/cli/commands/, named after it. */
function subcommandNames(): string[] {
  return readdirSync(COMMANDS_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function loadSubcommand(name: string): Promise<CliCommand | undefined> {
  if (!subcommandNames().includes(name)) return undefined;
  const mod = (await import(pathToFileURL(`${COMMANDS_DIR}${name}.ts`).href)) as { command: CliCommand };
  return mod.command;
}

function help(names: string[]): string {
  return [
    'wsa — AI-assistant workspace analytics',
    '',
    'Usage: wsa <command> [arguments]',
    '',
    `Commands: ${names.join(', ')}`,
    'Run `wsa <command> --help` for a command\'s arguments.',
  ].join('\n');
}

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
}

/**
 * Runs one subcommand with a ready context and maps its errors to exit statuses — the single
 * place where CLI errors become messages. Used by the `wsa` process and, for a store held by a
 * local server, by that server on behalf of another `wsa` process (src/local/cli-forwarding.ts).
 */
export async function runSubcommand(name: string, args: string[], ctx: CliContext): Promise<number> {
  const command = /^[a-z][a-z-]*$/.test(name) ? await loadSubcommand(name) : undefined;
  if (!command) {
    ctx.stderr.write(`wsa: unknown command "${name}"\n${help(subcommandNames())}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(args, ctx);
  } catch (error) {
    if (error instanceof ForwardToServer) throw error;
    if (error instanceof CommandLineError) {
      ctx.stderr.write(`wsa ${name}: ${error.message}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    if (isWsaError(error) && error.userFacing) {
      ctx.stderr.write(`${error.message}\n`);
      return EXIT_FAILED;
    }
    ctx.logger.error({ err: error, command: name }, 'cli.failed');
    ctx.stderr.write(`wsa ${name} failed: ${(error as Error).message}\n`);
    return EXIT_FAILED;
  }
}

export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(`${help(subcommandNames())}\n`);
    return name ? EXIT_OK : EXIT_USAGE;
  }
  let ctx: CliContext;
  try {
    const config = parseConfig(loadEnvironment(env));
    const logger = createLogger(env.LOG_LEVEL ?? (name === 'serve' ? config.logLevel : 'warn'));
    ctx = {
      config,
      logger,
      clock: config.now ? fixedClock(config.now) : systemClock,
      registry,
      stdout: io.stdout,
      stderr: io.stderr,
      stdin: io.stdin,
      async openStore() {
        try {
          return await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        } catch (error) {
          // The embedded store is held by a running local server: ask it instead.
          const lock = error instanceof StoreInUseError ? readLock(config.dataDir) : undefined;
          if (name !== 'serve' && lock?.serverUrl && lock.serverToken) throw new ForwardToServer(lock);
          throw error;
        }
      },
    };
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT_FAILED;
    }
    throw error;
  }
  try {
    return await runSubcommand(name, args, ctx);
  } catch (error) {
    if (!(error instanceof ForwardToServer)) throw error;
    return forwardToServer(error.lock, argv, io);
  }
}
