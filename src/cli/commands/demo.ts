/**
 * `wsa demo [--users N] [--weeks N] [--groups N] [--gpts N] [--projects N]
 *           [--source events|exports] [--seed S] [--out DIR] [--files-only]`
 * generates the synthetic workspace as real-world export files and loads it into the store
 * through the real import paths (as demo: the first real import replaces it).
 */
import { join, resolve } from 'node:path';
import { parseDemoArgs } from '../../demo/index.ts';
import { generateWorkspace } from '../../demo/generate.ts';
import { loadDemo } from '../../local/load-demo.ts';
import { CommandLineError, EXIT_OK, type CliCommand } from '../context.ts';

const USAGE =
  'wsa demo [--users 600] [--weeks 26] [--groups 12] [--gpts N] [--projects N] [--source events|exports] [--seed S] [--out DIR] [--files-only]';

export const command: CliCommand = {
  name: 'demo',
  usage: USAGE,
  help: [
    'Writes the export files of a synthetic ChatGPT Enterprise workspace and imports them through',
    'the real import paths. The store marks them as the demo: the first real import or ingest',
    'empties it first. A later `wsa demo` replaces the earlier demo.',
    '',
    '  --users N                accounts (default 600)',
    '  --weeks N                weeks of usage, up to the last complete week (default 26)',
    '  --groups N               groups (default 12)',
    '  --gpts N                 custom GPTs (default one per 50 accounts)',
    '  --projects N             projects (default one per 20 accounts)',
    '  --source events|exports  usage as usage events (default) or as weekly Users reports',
    '  --seed S                 the same seed gives the same workspace (default 1)',
    '  --out DIR                where the files go (default: demo/ in the data directory)',
    '  --files-only             write the files to --out DIR and load nothing',
  ],
  async run(args, ctx) {
    const filesOnly = args.includes('--files-only');
    const rest = args.filter((a) => a !== '--files-only');
    const hasOut = rest.some((a) => a === '--out' || a.startsWith('--out='));
    let parsed;
    try {
      parsed = parseDemoArgs(hasOut ? rest : [...rest, '--out', join(ctx.config.dataDir, 'demo')], ctx.clock.now());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
        throw new CommandLineError((error as Error).message);
      }
      throw error;
    }
    const out = resolve(parsed.out);
    if (filesOnly) {
      if (!hasOut) throw new CommandLineError('--files-only needs --out DIR');
      const manifest = await generateWorkspace(parsed.options, out);
      ctx.stdout.write(`Wrote ${manifest.files.length} files to ${out} (digest ${manifest.digest}).\n`);
      return EXIT_OK;
    }
    const store = await ctx.openStore();
    try {
      const loaded = await loadDemo(store.db, {
        clock: ctx.clock,
        logger: ctx.logger,
        dir: out,
        generate: parsed.options,
      });
      const o = loaded.manifest.options;
      const s = loaded.manifest.summary;
      ctx.stdout.write(
        [
          loaded.replacedDemo ? 'Replaced the earlier demo workspace.' : undefined,
          `Demo workspace loaded (${o.source}, seed ${o.seed}): ${s.accounts.total.toLocaleString('en-US')} accounts, ` +
            `${s.groups.length} groups, ${o.weeks} weeks ${o.startDate} → ${o.endDate}, ` +
            `${s.messages.toLocaleString('en-US')} messages.`,
          `Generated ${loaded.files} files in ${(loaded.generateMs / 1000).toFixed(1)} s, loaded in ${(loaded.loadMs / 1000).toFixed(1)} s (files in ${out}).`,
          'Try: npx wsa ask "overview"   ·   npx wsa ask "active-users by:week"   ·   npx wsa ask help',
        ]
          .filter(Boolean)
          .join('\n') + '\n',
      );
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
