import { migrateToLatest } from '../../store/migrate.ts';
import { EXIT_OK, type CliCommand } from '../context.ts';

export const command: CliCommand = {
  name: 'migrate',
  summary: 'Create or update the store schema',
  usage: 'wsa migrate',
  async run(_args, ctx) {
    const store = await ctx.openStore();
    try {
      // openStore migrates already; run again to report what (if anything) was pending.
      const results = await migrateToLatest(store.db);
      ctx.stdout.write(
        results.length === 0
          ? `Store (${store.backend}) is up to date.\n`
          : results.map((r) => `${r.status}: ${r.migrationName}`).join('\n') + '\n',
      );
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
