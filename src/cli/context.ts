/**
 * What every CLI subcommand receives from the composition root: parsed configuration, a logger,
 * the clock, the output streams, and a way to open the store (opened lazily: `wsa help` needs no
 * database) — and, for `wsa serve` in its own process, a way to start the server.
 */
import type { Readable, Writable } from 'node:stream';
import type { Config } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/open.ts';
import type { Registry } from '../core/registry.ts';
import type { RunningApp } from '../server/app-server.ts';
import type { DigestPosters } from '../server/digest-posters.ts';

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable;
}

export interface CliContext extends CliIo {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The commands of `/wsa`, for `wsa ask`. */
  readonly registry: Registry;
  /** Opens (and migrates) the configured store; the caller closes it. */
  openStore(): Promise<Store>;
  /**
   * Starts the server on this store (`wsa serve`). Absent where a server cannot be started: in a
   * command a running server executes for another process.
   */
  startServer?(): Promise<RunningApp>;
  /**
   * The platforms this configuration can post digests to (Slack with a bot token, Teams with its
   * app credentials); absent, or no posters: none configured. The caller closes them.
   */
  digestPosters?(store: Store): Promise<DigestPosters>;
}

/** Exit status (docs/design.md §6): 0 success, 1 request cannot be done, 2 malformed command line. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A module in ./commands/ exports one; its one-line summary is in ../subcommands.ts. */
export interface CliCommand {
  readonly name: string;
  readonly usage: string;
  /** What `wsa NAME --help` prints after the usage and summary: what it does, its options. */
  readonly help?: readonly string[];
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** A loaded subcommand with its one line for `wsa --help`. */
export type Subcommand = CliCommand & { readonly summary: string };

/** A malformed command line (unknown flag, missing argument): exit status 2. */
export class CommandLineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandLineError';
  }
}
