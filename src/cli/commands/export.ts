/**
 * `wsa export users|gpts|projects|impact [--period PRESET | --from D --to D] [--cadence weekly|monthly]
 * --out FILE`: a report in the vendor's CSV format, value for value (docs/design.md §7 "Exports").
 * The rows stream into a private temporary file beside FILE, renamed into place only when
 * complete: a failure leaves no file, and an earlier FILE as it was. Exit 0 written, 1 when the
 * range cannot be exported (the reason on stderr, no file), 2 for a malformed command line.
 * Recorded in the audit log with its type, range and row count.
 */
import { existsSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, isWsaError } from '../../core/errors.ts';
import { isPreset, parseIsoDate, PRESETS, utcDate } from '../../core/periods.ts';
import { appendAudit } from '../../store/audit.ts';
import { CADENCES, EXPORT_TYPES, isCadence, isExportType, planExport, type ExportRequest } from '../../exports/plan.ts';
import { writeExport } from '../../exports/write.ts';
import { CommandLineError, EXIT_OK, type CliCommand } from '../context.ts';

const USAGE = 'wsa export users|gpts|projects|impact [--period PRESET | --from DATE --to DATE] [--cadence weekly|monthly] --out FILE';

function parseRequest(args: string[]): { request: ExportRequest; out: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        period: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        cadence: { type: 'string' },
        out: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CommandLineError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
  const { values, positionals } = parsed;
  const [type, ...extra] = positionals;
  if (type === undefined || !isExportType(type)) {
    throw new CommandLineError(`${type === undefined ? 'missing the report type' : `unknown report type "${type}"`}: one of ${EXPORT_TYPES.join(', ')}`);
  }
  if (extra.length > 0) throw new CommandLineError(`unexpected argument "${extra[0]}"`);
  if (values.out === undefined || values.out.trim() === '') throw new CommandLineError('--out FILE is required: where to write the CSV');
  if (values.period !== undefined && (values.from !== undefined || values.to !== undefined)) {
    throw new CommandLineError('give --period or --from/--to, not both');
  }
  if (values.period !== undefined && !isPreset(values.period)) {
    throw new CommandLineError(`--period ${values.period} is not a preset: one of ${PRESETS.join(', ')}`);
  }
  for (const key of ['from', 'to'] as const) {
    const v = values[key];
    if (v !== undefined && parseIsoDate(v) === undefined) throw new CommandLineError(`--${key} ${v} is not a date (YYYY-MM-DD)`);
  }
  if (values.to !== undefined && values.from === undefined) throw new CommandLineError('--to needs --from');
  if (values.cadence !== undefined) {
    if (type !== 'users') throw new CommandLineError(`--cadence is for users exports; a ${type} export is one Date Range`);
    if (!isCadence(values.cadence)) throw new CommandLineError(`--cadence is ${CADENCES.join(' or ')}, not "${values.cadence}"`);
    if (values.from === undefined) throw new CommandLineError('--cadence goes with --from/--to; a preset implies its own (last-week: weekly, last-month: monthly)');
  }
  return {
    out: values.out,
    request: {
      type,
      ...(values.period !== undefined ? { preset: values.period as ExportRequest['preset'] } : {}),
      ...(values.from !== undefined ? { from: values.from } : {}),
      ...(values.to !== undefined ? { to: values.to } : {}),
      ...(values.cadence !== undefined ? { cadence: values.cadence as ExportRequest['cadence'] } : {}),
    },
  };
}

export const command: CliCommand = {
  name: 'export',
  usage: USAGE,
  help: [
    'Periods: --period last-week (default) | last-month | this-week | this-month | last-4-weeks | last-12-weeks |',
    '  last-3-months | last-6-months | last-12-months; or --from YYYY-MM-DD --to YYYY-MM-DD (at most 12 months, not',
    '  after today). A users export has one Weekly or Monthly block per week or month of a preset; --from/--to with',
    '  --cadence weekly|monthly gives one block per week or month (the range must line up), without it one Date Range.',
    '  GPT, Project and Impact exports are one Date Range (no --cadence).',
    'A period that is an imported report is given back value for value; any other is computed from the facts.',
    'Cells a spreadsheet would run as formulas (=, +, -, @, tab, CR, LF first) get a leading apostrophe.',
    '',
    '  --out FILE  where to write the CSV (written whole or not at all)',
  ],
  async run(args, ctx) {
    const { request, out: outArg } = parseRequest(args);
    const out = resolve(outArg);
    if (!existsSync(dirname(out)) || !statSync(dirname(out)).isDirectory()) {
      throw new UsageError(`The folder ${dirname(out)} does not exist; nothing was written.`);
    }
    if (existsSync(out) && statSync(out).isDirectory()) throw new UsageError(`${out} is a folder; --out names the file to write.`);
    const today = utcDate(ctx.clock.now());
    const plan = planExport(request, today);
    const store = await ctx.openStore();
    const part = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.part`);
    const audit = (rows: number | null, reason: string) =>
      appendAudit(store.db, {
        at: ctx.clock.now(),
        actor: 'operator',
        platform: 'cli',
        command: 'export',
        keys: Object.keys(request).filter((k) => k !== 'type'),
        where: 'cli',
        decision: 'allowed',
        reason,
        export: { type: plan.type, start: plan.start, end: plan.end, rows },
      });
    try {
      let summary;
      try {
        summary = await writeExport(store.db, plan, today, part);
        await rename(part, out);
      } catch (error) {
        await rm(part, { force: true });
        await audit(null, `allowed, then failed (${isWsaError(error) ? error.code : 'internal'})`);
        throw error;
      }
      await audit(summary.rows, 'answered (operator)');
      const blocks = summary.blocks.map((b) => `${b.cadence} ${b.start}–${b.end}: ${b.rows}`).join('; ');
      ctx.stdout.write(`Wrote ${summary.rows} row${summary.rows === 1 ? '' : 's'} to ${out} (${blocks}).\n`);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
