/**
 * `wsa` — the command line. It receives configuration, logger, clock, registry and the store
 * opener from the composition root (src/app.ts), decides where a subcommand runs — here on the
 * store, or in the local server that holds the embedded store — and dispatches. Errors become
 * messages and exit statuses here, in one place.
 */
import { isWsaError } from '../core/errors.ts';
import { forwardToServer, isForwardable, notForwarded, runningServer } from '../local/cli-forwarding.ts';
import type { LockInfo } from '../store/lock.ts';
import { isSubcommand, loadSubcommand, subcommandSummaries } from './subcommands.ts';
import { CommandLineError, EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliContext, type CliIo, type Subcommand } from './context.ts';

/** The top-level help: every subcommand with its one-line summary. */
export function helpText(): string {
  const commands = subcommandSummaries();
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'wsa — AI-assistant workspace analytics',
    '',
    'Usage: wsa <command> [arguments]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run `wsa <command> --help` for a command's arguments.",
  ].join('\n');
}

/** A subcommand's help: its usage, what it does and its options. */
export function commandHelp(command: Subcommand): string {
  return [
    `Usage: ${command.usage}`,
    '',
    `${command.summary}.`,
    ...(command.help && command.help.length > 0 ? ['', ...command.help] : []),
    '',
    '  -h, --help  print this help and do nothing else',
  ].join('\n');
}

/** `wsa`, `wsa help`, `wsa --help`: the top-level help, which needs no configuration. */
export function isTopLevelHelp(name: string | undefined): boolean {
  return !name || name === 'help' || name === '--help' || name === '-h';
}

/**
 * Whether a subcommand's arguments ask for its help: `--help` or `-h` as an argument of its own
 * before `--` (so `wsa ask help` and `wsa ask -- -h` are command text, not a request for help).
 */
export function asksForHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Whether `wsa ARGV…` only asks for help, answered before configuration, store or server. */
export function isHelp(argv: readonly string[]): boolean {
  const [name, ...args] = argv;
  return isTopLevelHelp(name) || (name !== undefined && isSubcommand(name) && asksForHelp(args));
}

/** Prints the help `wsa ARGV…` asks for; exit 0, or 2 for a bare `wsa` (no command given). */
export async function printHelp(argv: readonly string[], io: Pick<CliIo, 'stdout'>): Promise<number> {
  const [name, ...args] = argv;
  // `wsa NAME --help`, and `wsa help NAME` too
  const of = name === 'help' ? args[0] : asksForHelp(args) ? name : undefined;
  const command = of !== undefined ? await loadSubcommand(of) : undefined;
  io.stdout.write(`${command ? commandHelp(command) : helpText()}\n`);
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
  if (asksForHelp(args)) {
    ctx.stdout.write(`${commandHelp(command)}\n`);
    return EXIT_OK;
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
  if (ctx.config.databaseUrl || !isSubcommand(name) || asksForHelp(args)) {
    return { where: 'here' };
  }
  const server = runningServer(ctx.config.dataDir);
  return server ? { where: 'server', server } : { where: 'here' };
}

/**
 * The whole `wsa NAME ARGS…` run in the `wsa` process. The context is built only for a subcommand
 * that runs here: one the local server runs needs nothing but the configuration and the streams
 * (the commands of `/wsa` are not even loaded).
 */
export async function runCli(
  argv: string[],
  config: CliContext['config'],
  io: CliIo,
  context: () => Promise<CliContext>,
): Promise<number> {
  const [name = 'help', ...args] = argv;
  const placement = placeSubcommand(name, args, { config });
  if (placement.where === 'here') return runSubcommand(name, args, await context());
  if (!isForwardable(name)) {
    io.stderr.write(`${notForwarded(name, placement.server, config.dataDir)}\n`);
    return EXIT_FAILED;
  }
  return forwardToServer(placement.server, argv, io);
}
