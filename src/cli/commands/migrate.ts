import { migrateToLatest } from '../../store/migrate.ts';
import { EXIT_OK, type CliCommand } from '../context.ts';

export const command: CliCommand = {
  name: 'migrate',
  usage: 'wsa migrate',
  help: [
    'Creates the store\'s tables, or brings them up to date, and lists the migrations it ran.',
    'The store is the PostgreSQL database at DATABASE_URL when it is set, else the embedded',
    'store in WSA_DATA_DIR (default ./.wsa). Every command migrates the store when it opens it;',
    'this one only says so.',
  ],
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
