/** What the export tests share: a CLI context on a test store, its output captured. */
import { PassThrough } from 'node:stream';
import type { CliContext } from '../../src/cli/context.ts';
import { parseConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { registry } from '../../commands/index.ts';
import type { TestStore } from '../support/store.ts';

/** Two weeks after the weekly fixtures: every fixture period is complete. */
export const EXPORT_NOW = '2025-11-20T10:00:00Z';

export function cliContext(store: TestStore, now = EXPORT_NOW): { ctx: CliContext; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ctx: CliContext = {
    config: parseConfig({}),
    logger: silentLogger(),
    registry,
    clock: fixedClock(new Date(now)),
    stdin: new PassThrough(),
    stdout,
    stderr,
    openStore: async () => ({ ...store, close: async () => {} }),
  };
  return { ctx, stdout: () => out, stderr: () => err };
}
