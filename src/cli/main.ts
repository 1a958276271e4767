/**
 * `wsa` — the command line. It receives configuration, logger, clock, registry and the store
 * opener from the composition root (src/app.ts), decides where a subcommand runs — here on the
 * store, or in the local server that holds the embedded store — and dispatches. Errors become
 * messages and exit statuses here, in one place.
 */
import { isWsaError } from '../core/errors.ts';
import { forwardToServer, isForwardable, notForwarded, runningServer } from '../local/cli-forwarding.ts';
import type { LockInfo } from '../store/lock.ts';
import { isSubcommand, loadSubcommand, subcommandNames } from './subcommands.ts';
import { CommandLineError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliContext, type CliIo } from './context.ts';

export function helpText(): string {
  return [
    'wsa — AI-assistant workspace analytics',
    '',
    'Usage: wsa <command> [arguments]',
    '',
    `Commands: ${subcommandNames().join(', ')}`,
    'Run `wsa <command> --help` for a command\'s arguments.',
  ].join('\n');
}

/** `wsa`, `wsa help`, `wsa --help`: the top-level help, which needs no configuration. */
export function isTopLevelHelp(name: string | undefined): boolean {
  return !name || name === 'help' || name === '--help' || name === '-h';
}

export function printTopLevelHelp(name: string | undefined, io: CliIo): number {
  io.stdout.write(`${helpText()}\n`);
  return name ? EXIT_OK : EXIT_USAGE;
}

/**
 * Runs one subcommand with a ready context and maps its errors to exit statuses. Used by the
 * `wsa` process and, on behalf of another `wsa` process, by a local server holding the store.
 */
export async function runSubcommand(name: string, args: string[], ctx: CliContext): Promise<number> {
  const command = await loadSubcommand(name);
  if (!command) {
    ctx.stderr.write(`wsa: unknown command "${name}"\n${helpText()}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(args, ctx);
  } catch (error) {
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

/** Where a subcommand runs: in this process on the configured store, or in the server holding it. */
export type Placement = { readonly where: 'here' } | { readonly where: 'server'; readonly server: LockInfo };

/**
 * Chosen before the subcommand runs. A known subcommand goes to the server when the embedded
 * store's lock names a live local server; help for a subcommand is answered here.
 */
export function placeSubcommand(name: string, args: string[], ctx: Pick<CliContext, 'config'>): Placement {
  if (ctx.config.databaseUrl || !isSubcommand(name) || args.includes('--help') || args.includes('-h')) {
    return { where: 'here' };
  }
  const server = runningServer(ctx.config.dataDir);
  return server ? { where: 'server', server } : { where: 'here' };
}

/** The whole `wsa NAME ARGS…` run in the `wsa` process. */
export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [name = 'help', ...args] = argv;
  const placement = placeSubcommand(name, args, ctx);
  if (placement.where === 'here') return runSubcommand(name, args, ctx);
  if (!isForwardable(name)) {
    ctx.stderr.write(`${notForwarded(name, placement.server, ctx.config.dataDir)}\n`);
    return EXIT_FAILED;
  }
  return forwardToServer(placement.server, argv, ctx);
}
