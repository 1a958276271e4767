/**
 * `/wsa export users|gpts|projects|impact [PERIOD] [cadence:weekly|monthly]`: a report in the vendor's
 * CSV format (docs/design.md §7 "Exports"), the same file `wsa export` writes. Owners and admins
 * only, and only privately: the Reply carries the file (streamed to a temporary file, mode 0600),
 * which every surface hands to the asker alone — Slack in their DM with the bot, Teams through a
 * file consent card in their personal chat; `post:channel` is refused. Audited with the report
 * type, range and row count.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../src/core/errors.ts';
import type { Command } from '../src/core/registry.ts';
import { reply } from '../src/core/reply.ts';
import { formatRange } from '../src/core/periods.ts';
import { DEFAULT_EXPORT_PRESET, EXPORT_TYPES, exportFileName, isCadence, isExportType, planExport, type ExportRequest } from '../src/exports/plan.ts';
import { writeExport } from '../src/exports/write.ts';

/** The prefix `releaseFiles` (src/delivery/files.ts) knows: the whole folder goes once delivered. */
const TEMP_PREFIX = 'wsa-file-';

const TITLES: Record<(typeof EXPORT_TYPES)[number], string> = {
  users: 'Users report',
  gpts: 'GPT report',
  projects: 'Project report',
  impact: 'Impact survey report',
};

export const command: Command = {
  name: 'export',
  summary: 'A Users, GPT, Project or Impact survey report as CSV, sent to you privately (owners and admins)',
  details: [
    'The file is the vendor\'s export format: an imported period comes back value for value, any other is computed from the data.',
    'A preset gives one Weekly or Monthly block per week or month (users); from:/to: gives one Date Range, or with cadence:weekly|monthly one block per week or month.',
    'The file goes to you alone (your DM with the bot, or a file card in your personal chat in Teams); cells a spreadsheet would run as formulas start with an apostrophe.',
  ],
  args: {
    period: true,
    word: { name: 'type', describe: 'users, gpts, projects or impact' },
    keys: { cadence: 'weekly or monthly, with from:/to: (users only)' },
  },
  examples: ['export users last-month', 'export users last-4-weeks', 'export gpts from:2026-10-01 to:2026-10-31', 'export users from:2026-09-01 to:2026-10-31 cadence:monthly'],
  access: 'admin',
  action: () => 'Exporting reports',
  privateOnly: true,
  auditExport(args, r) {
    const rows = r.values.rows;
    if (r.period === null || typeof rows !== 'number') return null;
    return { type: (args.word ?? '').toLowerCase(), start: r.period.start, end: r.period.end, rows };
  },
  async run(ctx, args) {
    const type = args.word?.toLowerCase();
    if (type === undefined || !isExportType(type)) {
      throw new UsageError(
        `${type === undefined ? 'Say which report to export' : `"${args.word}" is not a report wsa exports`}: ${EXPORT_TYPES.map((t) => `\`export ${t}\``).join(', ')}.`,
      );
    }
    const cadence = new Map(args.pairs).get('cadence')?.toLowerCase();
    if (cadence !== undefined && !isCadence(cadence)) throw new UsageError(`cadence:${cadence} is not weekly or monthly.`);
    if (cadence !== undefined && type !== 'users') throw new UsageError(`cadence: is for users exports; a ${type} export is one Date Range.`);
    const period = args.period;
    const custom = args.periodGiven && period !== null && period.preset === null;
    if (cadence !== undefined && !custom) throw new UsageError('cadence: goes with from:/to:; a preset implies its own (last-week: weekly, last-month: monthly).');
    const request: ExportRequest = custom
      ? { type, from: period.start, to: period.end, ...(cadence ? { cadence } : {}) }
      : { type, preset: (args.periodGiven && period?.preset) || DEFAULT_EXPORT_PRESET };
    const plan = planExport(request, ctx.today);
    const name = exportFileName(plan);
    const dir = await mkdtemp(join(tmpdir(), TEMP_PREFIX));
    const path = join(dir, name);
    let summary;
    try {
      summary = await writeExport(ctx.db, plan, ctx.today, path);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    const blocks = summary.blocks.map((b) => `${b.cadence} ${formatRange({ start: b.start, end: b.end })}: ${b.rows.toLocaleString('en-US')} rows`);
    return reply({
      command: 'export',
      title: `${TITLES[type]} export`,
      subtitle: formatRange(plan),
      summary: [
        `${summary.rows.toLocaleString('en-US')} row${summary.rows === 1 ? '' : 's'} in ${name}, sent to you privately.`,
        ...(blocks.length > 1 ? blocks : []),
      ],
      period: { start: plan.start, end: plan.end, grain: null, partial: false },
      values: { rows: summary.rows },
      files: [{ kind: 'csv', name, path, temporary: true }],
    });
  },
};
