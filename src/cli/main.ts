/**
 * `wsa` — the command line. Each subcommand is a module in src/cli/commands/ listed in
 * by file name; this file only parses the configuration, dispatches, and maps errors to exit
 * statuses in one place.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseConfig, loadEnvironment } from '../config.ts';
import { isWsaError, ConfigError } from '../core/errors.ts';
import { fixedClock, systemClock } from '../core/clock.ts';
import { createLogger } from '../log.ts';
import { openStore } from '../store/open.ts';
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

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...args] = argv;
  const known = subcommandNames();
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${help(known)}\n`);
    return name ? EXIT_OK : EXIT_USAGE;
  }
  const command = /^[a-z][a-z-]*$/.test(name) ? await loadSubcommand(name) : undefined;
  if (!command) {
    process.stderr.write(`wsa: unknown command "${name}"\n${help(known)}\n`);
    return EXIT_USAGE;
  }
  let ctx: CliContext;
  try {
    const config = parseConfig(loadEnvironment(env));
    const logger = createLogger(env.LOG_LEVEL ?? (name === 'serve' ? config.logLevel : 'warn'));
    ctx = {
      config,
      logger,
      clock: config.now ? fixedClock(config.now) : systemClock,
      stdout: process.stdout,
      stderr: process.stderr,
      openStore: () =>
        openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }),
    };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_FAILED;
    }
    throw error;
  }
  try {
    return await command.run(args, ctx);
  } catch (error) {
    if (error instanceof CommandLineError) {
      process.stderr.write(`wsa ${name}: ${error.message}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    if (isWsaError(error) && error.userFacing) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_FAILED;
    }
    ctx.logger.error({ err: error, command: name }, 'cli.failed');
    process.stderr.write(`wsa ${name} failed: ${(error as Error).message}\n`);
    return EXIT_FAILED;
  }
}
