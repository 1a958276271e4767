/**
 * `wsa ingest FILE|-` (docs/design.md §4.2): usage events, one JSON object per line, from a file or
 * stdin. Prints the summary; a bad file exits 1 with its problems by line, nothing stored.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InvalidInputError, UsageError, isWsaError } from '../../core/errors.ts';
import { formatSummary, ingestEvents, summaryToJson } from '../../ingest/events.ts';
import { CommandLineError, EXIT_FAILED, EXIT_OK, type CliCommand } from '../context.ts';

const USAGE = 'wsa ingest FILE|- [--json]';

export const command: CliCommand = {
  name: 'ingest',
  usage: USAGE,
  help: [
    'Reads usage events, one JSON object per line:',
    '  {"id","ts","user","conversation_id", "gpt_id"?,"project_id"?,"tool"?,"skill"?,"app"?,"model"?,"task_type"?,"topic"?}',
    '`-` reads stdin. One bad line rejects the whole file and nothing of it is stored.',
    'Events already stored (same id) are ignored, so ingesting a file twice changes nothing.',
    '',
    '  --json  print the summary, or the error with its problems by line, as one JSON object',
  ],
  async run(args, ctx) {
    let json = false;
    const files: string[] = [];
    for (const arg of args) {
      if (arg === '--json') json = true;
      else if (arg.startsWith('-') && arg !== '-') throw new CommandLineError(`unknown option ${arg}`);
      else files.push(arg);
    }
    if (files.length !== 1) {
      throw new CommandLineError(files.length === 0 ? 'missing FILE (or - for stdin)' : 'give one FILE (or -) at a time');
    }
    const file = files[0] as string;
    if (file !== '-') {
      const info = await stat(file).catch(() => undefined);
      if (!info) throw new UsageError(`${file}: no such file`);
      if (!info.isFile()) throw new UsageError(`${file}: not a regular file`);
    }

    // Open the store before touching the input: if a local server holds it, the command is
    // forwarded there with stdin still unread.
    const store = await ctx.openStore();
    try {
      const source = file === '-' ? ctx.stdin : createReadStream(file);
      const summary = await ingestEvents(store.db, source, {
        clock: ctx.clock,
        logger: ctx.logger,
        sourceName: file === '-' ? 'stdin' : file,
        // A file is read at disk speed: stored while read. Stdin may trickle in: read whole first.
        writeWhileReading: file !== '-',
      });
      ctx.stdout.write(json ? `${JSON.stringify(summaryToJson(summary))}\n` : `${formatSummary(summary)}\n`);
      return EXIT_OK;
    } catch (error) {
      if (!json || !isWsaError(error) || !error.userFacing) throw error;
      // With --json, stdout holds exactly one object, an error one too (docs/design.md §6).
      const problems = error instanceof InvalidInputError ? { problems: error.problems } : {};
      ctx.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message, ...problems } })}\n`);
      ctx.stderr.write(`${error.message}\n`);
      return EXIT_FAILED;
    } finally {
      await store.close();
    }
  },
};
