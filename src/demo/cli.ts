/**
 * Runs the generator from a shell and reports how long it took:
 *
 *   node --import tsx src/demo/cli.ts --out .scratch/demo [--users 600] [--weeks 26]
 *     [--groups 12] [--gpts N] [--projects N] [--source events|exports] [--seed S]
 *     [--end-date YYYY-MM-DD | --today YYYY-MM-DD]
 *
 * This is an entry point (a composition root): without --end-date or --today it passes today's
 * date in; the generator itself never reads the clock. `wsa demo` is meant to reuse
 * `parseDemoArgs` and `generateWorkspace`.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../core/errors.ts';
import { generateWorkspace } from './generate.ts';
import type { DemoSource, GenerateOptions } from './options.ts';

export interface DemoArgs {
  options: GenerateOptions;
  out: string;
}

function int(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number, not ${text}`);
  return Number(text);
}

export function parseDemoArgs(argv: string[], today: Date): DemoArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      out: { type: 'string' },
      seed: { type: 'string' },
      users: { type: 'string' },
      weeks: { type: 'string' },
      groups: { type: 'string' },
      gpts: { type: 'string' },
      projects: { type: 'string' },
      source: { type: 'string' },
      'end-date': { type: 'string' },
      today: { type: 'string' },
    },
  });
  if (!values.out) throw new UsageError('--out DIR is required');
  const options: GenerateOptions = {
    seed: values.seed === undefined ? undefined : /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed,
    users: int('users', values.users),
    weeks: int('weeks', values.weeks),
    groups: int('groups', values.groups),
    gpts: int('gpts', values.gpts),
    projects: int('projects', values.projects),
    source: values.source as DemoSource | undefined,
    endDate: values['end-date'],
    today: values['end-date'] ? undefined : (values.today ?? today),
  };
  return { options, out: values.out };
}

async function main(): Promise<void> {
  const { options, out } = parseDemoArgs(process.argv.slice(2), new Date());
  const began = performance.now();
  const manifest = await generateWorkspace(options, resolve(out));
  const seconds = (performance.now() - began) / 1000;
  const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
  const rows = manifest.files.reduce((sum, f) => sum + f.rows, 0);
  const { options: o, summary } = manifest;
  process.stdout.write(
    JSON.stringify(
      {
        out: resolve(out),
        options: o,
        seconds: Number(seconds.toFixed(2)),
        files: manifest.files.length,
        megabytes: Number((bytes / 1e6).toFixed(1)),
        rows,
        events_per_second: summary.events > 0 ? Math.round(summary.events / seconds) : undefined,
        peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
        summary: { ...summary, groups: `${summary.groups.length} groups` },
        digest: manifest.digest,
      },
      null,
      2,
    ) + '\n',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof UsageError ? 2 : 1);
  });
}
