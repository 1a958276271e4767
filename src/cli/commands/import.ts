import { describeImport, describeImportTotals } from '../../ingest/describe-import.ts';
import { planImport } from '../../ingest/import-folder.ts';
import { importFiles } from '../../ingest/import-files.ts';
import { NotFoundError } from '../../core/errors.ts';
import { CommandLineError, EXIT_OK, type CliCommand } from '../context.ts';

const REPLACE_DIRECTORY = '--replace-directory';

export const command: CliCommand = {
  name: 'import',
  usage: `wsa import [${REPLACE_DIRECTORY}] FILE|FOLDER...`,
  help: [
    'Each file is recognised from its content: a Users, GPT, Project or Impact survey report',
    'as exported from ChatGPT Enterprise, a directory CSV (public_id,name,email,role,user_role,',
    'department,groups,user_status,created_or_invited_date), or an impact question catalog JSON.',
    'Each file goes in whole or not at all; the import stops at the first bad file.',
    '',
    'A folder imports the files in it that wsa recognises (not those in folders inside it), in',
    'the order that keeps the store right: the catalog and the directory, then Users reports',
    'oldest period first, then the other reports. Other files are listed as skipped.',
    '',
    'A directory CSV, or a Users report newer than the directory in use, becomes the directory',
    'that access checks read; the import says how many accounts it added, changed and dropped.',
    'One that leaves out more than 10% of the enabled accounts, or every enabled owner and admin,',
    'is refused (nothing is written) unless it really is the whole directory now:',
    '',
    `  ${REPLACE_DIRECTORY}  let such a file replace the directory in use`,
  ],
  async run(args, ctx) {
    const flag = args.find((a) => a.startsWith('-') && a !== REPLACE_DIRECTORY);
    if (flag !== undefined) throw new CommandLineError(`unknown flag ${flag}`);
    const paths = args.filter((a) => a !== REPLACE_DIRECTORY);
    if (paths.length === 0) throw new CommandLineError('give at least one file or folder to import');
    const plan = await planImport(paths);
    for (const s of plan.skipped) ctx.stdout.write(`${s.path}: skipped, ${s.reason}\n`);
    if (plan.files.length === 0) {
      throw new NotFoundError(`nothing to import: no file in ${paths.join(', ')} is an export file wsa recognises`);
    }
    ctx.logger.info({ files: plan.files.length }, 'import.started');
    const store = await ctx.openStore();
    try {
      const results = await importFiles(store.db, plan.files, {
        clock: ctx.clock,
        logger: ctx.logger,
        replaceDirectory: args.includes(REPLACE_DIRECTORY),
        onImported: (result) => ctx.stdout.write(`${describeImport(result)}\n`),
      });
      if (results.length + plan.skipped.length > 1 || plan.folders > 0) {
        ctx.stdout.write(`${describeImportTotals(results, plan.skipped.length)}\n`);
      }
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
