import { describeImport } from '../../ingest/describe-import.ts';
import { importFiles } from '../../ingest/import-files.ts';
import { CommandLineError, EXIT_OK, type CliCommand } from '../context.ts';

export const command: CliCommand = {
  name: 'import',
  summary: 'Import ChatGPT Enterprise export reports (Users, GPTs, Projects, Impact survey), a directory CSV or an impact question catalog',
  usage: 'wsa import FILE...',
  async run(args, ctx) {
    if (args.includes('--help') || args.includes('-h')) {
      ctx.stdout.write(
        [
          `Usage: ${this.usage}`,
          '',
          'Each file is recognised from its content: a Users, GPT, Project or Impact survey report',
          'as exported from ChatGPT Enterprise, a directory CSV (public_id,name,email,role,user_role,',
          'department,groups,user_status,created_or_invited_date), or an impact question catalog JSON.',
          'Each file goes in whole or not at all; the import stops at the first bad file.',
          '',
        ].join('\n'),
      );
      return EXIT_OK;
    }
    const flag = args.find((a) => a.startsWith('-'));
    if (flag !== undefined) throw new CommandLineError(`unknown flag ${flag}`);
    if (args.length === 0) throw new CommandLineError('give at least one file to import');
    const store = await ctx.openStore();
    try {
      await importFiles(store.db, args, {
        clock: ctx.clock,
        logger: ctx.logger,
        onImported: (result) => ctx.stdout.write(`${describeImport(result)}\n`),
      });
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
