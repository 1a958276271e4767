/**
 * `wsa ask "COMMAND TEXT" [--as EMAIL] [--json] [--out DIR]`: the chat commands at the command
 * line. Without --as the operator asks, with full access; with --as the answer is exactly what
 * that person would get in Slack or Teams. Text for people, or with --json the one JSON object of
 * docs/design.md §6 on stdout (errors too, as {"error": …}). Exit 0 answered, 1 not answerable (bad
 * input, refused, not in the data), 2 malformed command line.
 */
import { storeAudit } from '../../core/access/audit.ts';
import { storeGrants } from '../../core/access/grants.ts';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { answer } from '../../core/answer.ts';
import { isWsaError } from '../../core/errors.ts';
import { renderText, TEXT_TABLE_ROWS } from '../../core/format.ts';
import { parseRequest } from '../../core/grammar.ts';
import type { Registry } from '../../core/registry.ts';
import { toJson, type Reply } from '../../core/reply.ts';
import { writeReplyJson } from '../../core/reply-json.ts';
import { hasData } from '../../ingest/workspace-guard.ts';
import { pgliteDataPath } from '../../store/open.ts';
import { renderCharts, type RenderChart } from '../../delivery/charts.ts';
import type { Caller } from '../../core/access/identity.ts';
import { CommandLineError, EXIT_FAILED, EXIT_OK, type CliCommand, type CliContext } from '../context.ts';

const USAGE = 'wsa ask "COMMAND TEXT" [--as EMAIL] [--json] [--out DIR]';

interface AskOptions {
  text: string;
  as: string | undefined;
  json: boolean;
  out: string | undefined;
}

/**
 * The command text: one argument as given, or several (`wsa ask overview team:"Sales EMEA"`, which
 * the shell delivers unquoted) joined back with a word holding spaces quoted again.
 */
function joinWords(words: string[]): string {
  if (words.length === 1) return words[0] as string;
  return words
    .map((w) => {
      if (!/\s/.test(w) || /["“”]/.test(w)) return w;
      const m = /^([A-Za-z][A-Za-z-]*):(.*)$/s.exec(w);
      return m ? `${m[1]}:"${m[2]}"` : `"${w}"`;
    })
    .join(' ');
}

function parseOptions(args: string[]): AskOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { as: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CommandLineError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) {
    throw new CommandLineError('missing the command text, e.g. wsa ask "active-users last-4-weeks"');
  }
  if (values.as !== undefined && !/^[^\s@]+@[^\s@]+$/.test(values.as.trim())) {
    throw new CommandLineError(`--as needs an email address, not "${values.as}"`);
  }
  if (values.out !== undefined && values.out.trim() === '') throw new CommandLineError('--out needs a directory');
  return { text: joinWords(positionals), as: values.as?.trim(), json: values.json ?? false, out: values.out };
}

/** The commands that answer from the directory and settings alone, so on a store without data too. */
const ANSWERED_WITHOUT_DATA = new Set(['help', 'whoami', 'settings']);

/**
 * Whether the text asks a command that reads imported data. An unknown command or bad text is
 * not: answer() says what is wrong with it, data or none.
 */
function readsData(text: string, registry: Registry): boolean {
  const name = registry.find(parseRequest(text.trim()).command ?? 'help')?.name;
  return name !== undefined && !ANSWERED_WITHOUT_DATA.has(name);
}

/** How long `wsa ask` waits for a local server's /healthz before saying there is no data. */
const PROBE_MS = 300;

/**
 * A local wsa server on PORT with its data somewhere else: where, so the operator can point
 * WSA_DATA_DIR at it. Undefined when none answers in time, or it holds this very store.
 */
async function serverElsewhere(port: number, dataDir: string): Promise<string | undefined> {
  if (port === 0) return undefined;
  const url = `http://127.0.0.1:${port}`;
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(PROBE_MS) });
    const health = (await res.json()) as { status?: unknown; dataDir?: unknown };
    if (typeof health.status !== 'string') return undefined;
    if (typeof health.dataDir !== 'string') return `A wsa server is running at ${url}, on another store.`;
    if (resolve(health.dataDir) === resolve(dataDir)) return undefined;
    return `A wsa server is running at ${url} with its data in ${health.dataDir}: set WSA_DATA_DIR=${health.dataDir} to ask it.`;
  } catch {
    return undefined;
  }
}

/** "No data is loaded …", and where a running local server keeps its data, if one answers. */
async function noDataMessage(ctx: Pick<CliContext, 'config'>): Promise<string> {
  const where = ctx.config.databaseUrl ? 'the PostgreSQL database at DATABASE_URL' : `the store at ${ctx.config.dataDir}`;
  const hint = await serverElsewhere(ctx.config.port, ctx.config.dataDir);
  return [
    `No data is loaded in ${where}: import export files with \`wsa import\`, or start \`npm start\` to load the demo.`,
    ...(hint ? [hint] : []),
  ].join('\n');
}

/** The chart renderer, loaded only when a chart is to be written (vega and canvas load slowly). */
async function loadChartRenderer(): Promise<{ render: RenderChart; close(): Promise<void> }> {
  const { createChartRenderer } = await import('../../render/chart-renderer.ts');
  // On this thread: a one-off command has no event loop to keep free, and a render thread would
  // first have to load tsx.
  const renderer = createChartRenderer({ workers: 0 });
  return { render: (spec) => renderer.renderPng(spec), close: () => renderer.close() };
}

/** Writes the Reply's files and rendered charts into `dir`; returns what was written. */
export async function writeAttachments(
  reply: Reply,
  dir: string,
  ctx: Pick<CliContext, 'stderr'>,
  render?: RenderChart,
): Promise<Array<{ kind: 'csv' | 'png'; path: string }>> {
  const written: Array<{ kind: 'csv' | 'png'; path: string }> = [];
  if (reply.files.length === 0 && reply.charts.length === 0) return written;
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });
  for (const file of reply.files) {
    const path = join(root, file.name.replace(/[/\\]/g, '_'));
    if (file.path !== undefined) copyFileSync(file.path, path);
    else writeFileSync(path, file.content);
    written.push({ kind: file.kind, path });
  }
  if (reply.charts.length > 0) {
    const renderer = render ? { render, close: async () => {} } : await loadChartRenderer();
    try {
      const charts = await renderCharts(reply, renderer.render, ({ error }) =>
        ctx.stderr.write(`wsa ask: a chart could not be rendered (${(error as Error).message}); its text stands in for it.\n`),
      );
      for (const chart of charts.rendered) {
        const path = join(root, chart.filename);
        writeFileSync(path, chart.png);
        written.push({ kind: 'png', path });
      }
    } finally {
      await renderer.close();
    }
  }
  return written;
}

export const command: CliCommand = {
  name: 'ask',
  usage: USAGE,
  help: [
    'Answers COMMAND TEXT as /wsa answers it in Slack and Teams; `wsa ask help` lists the commands.',
    'Words after the command are its arguments: wsa ask overview last-4-weeks team:"Sales EMEA"',
    '',
    '  --as EMAIL  answer as this person is answered in chat (their role, their groups);',
    '              without it the operator asks, with full access',
    '  --json      print one JSON object, an error too ({"error":{"code","message"}})',
    '  --out DIR   write the answer\'s CSV files and charts (PNG) into DIR',
    '',
    'Exit status 0 answered, 1 not answerable (bad input, refused, no data), 2 malformed command line.',
  ],
  async run(args, ctx) {
    let options: AskOptions;
    try {
      options = parseOptions(args);
    } catch (error) {
      if (args.includes('--json') && error instanceof CommandLineError) {
        ctx.stdout.write(`${JSON.stringify({ error: { code: 'usage', message: error.message } })}\n`);
      }
      throw error;
    }
    const caller: Caller = options.as ? { kind: 'person', email: options.as } : { kind: 'operator' };
    const needsData = readsData(options.text, ctx.registry);
    const noData = async (): Promise<number> => {
      const message = await noDataMessage(ctx);
      if (options.json) ctx.stdout.write(`${JSON.stringify({ error: { code: 'no_data', message } }, null, 2)}\n`);
      else ctx.stderr.write(`${message}\n`);
      return EXIT_FAILED;
    };
    // No embedded store here at all: said at once, without creating one.
    if (needsData && !ctx.config.databaseUrl && !existsSync(pgliteDataPath(ctx.config.dataDir))) return noData();
    let reply: Reply;
    try {
      const store = await ctx.openStore();
      try {
        if (needsData && !(await hasData(store.db))) return await noData();
        reply = await answer({
          db: store.db,
          clock: ctx.clock,
          logger: ctx.logger,
          registry: ctx.registry,
          caller,
          text: options.text,
          where: 'cli',
          grants: storeGrants,
          onDecision: storeAudit(store.db),
          // the text shows the first rows of a table; --json gives every row, streamed
          ...(options.json ? { streamRows: true } : { rowLimit: TEXT_TABLE_ROWS }),
        });
        // Streamed rows are read from the store while they are written: before it closes.
        if (options.json && !reply.error) {
          const written = options.out ? await writeAttachments(reply, options.out, ctx) : [];
          await writeReplyJson(reply, ctx.stdout, written);
          return EXIT_OK;
        }
      } finally {
        await store.close();
      }
    } catch (error) {
      // The store could not be opened (in use, unreachable): still one JSON object with --json.
      if (options.json && isWsaError(error) && error.userFacing) {
        ctx.stdout.write(`${JSON.stringify({ error: { code: error.code, message: error.message } }, null, 2)}\n`);
        return EXIT_FAILED;
      }
      throw error;
    }

    if (reply.error) {
      if (options.json) ctx.stdout.write(`${JSON.stringify(toJson(reply), null, 2)}\n`);
      else ctx.stderr.write(`${reply.error.message}\n`);
      return EXIT_FAILED;
    }
    const written = options.out ? await writeAttachments(reply, options.out, ctx) : [];
    ctx.stdout.write(`${renderText(reply)}\n`);
    for (const f of written) ctx.stdout.write(`Wrote ${f.path}\n`);
    return EXIT_OK;
  },
};
