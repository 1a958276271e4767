/**
 * Imports one CSV file — a Users, GPT, Project or Impact survey report, or a directory CSV — all
 * or nothing (docs/design.md §4): the header says the kind, the first row the period and workspace; then
 * inside one transaction the workspace guard runs, the report that this one replaces is deleted
 * (its rows go with it), and the rows are validated and written in batches. Any problem rolls the
 * whole file back and is reported with its line and column.
 */
import { sql } from 'kysely';
import type { DbOrTx, ReportKind } from '../store/schema.ts';
import { RowReader } from './cells.ts';
import { COMMON_COLUMNS, readHeader, type CsvKind, type HeaderMap } from './columns.ts';
import { CsvSyntaxError, type CsvReader, type CsvRecord } from './csv-reader.ts';
import type { CsvImportContext, RowWriter } from './csv-import-context.ts';
import { DirectoryCsvWriter } from './directory-csv.ts';
import { importRoleMap, isRoleMapHeader } from './role-map.ts';
import { ImpactReportWriter } from './impact-report.ts';
import { ItemReportWriter } from './item-report.ts';
import type { ImportOptions, ImportResult, ReplacedReport } from './import-types.ts';
import { Problems, fail } from './problems.ts';
import { readPeriod, type ReportPeriod } from './report-period.ts';
import { UsersReportWriter } from './users-report.ts';
import { guardWorkspace, readWorkspace, recordImport } from './workspace-guard.ts';
import { checkDirectoryChange, compareSnapshots, type DirectoryChange } from './directory-change.ts';
import { newestSnapshot } from '../store/directory-accounts.ts';
import { inTransaction, utcDay } from './transaction.ts';
import { DEFAULT_BATCH_ROWS } from './batches.ts';

/** Rows parsed between turns of the event loop (see the row loop). */
const YIELD_ROWS = 100;

const REPORT_KIND: Record<Exclude<CsvKind, 'directory'>, ReportKind> = {
  users: 'users',
  gpts: 'gpts',
  projects: 'projects',
  impact: 'impact',
};

export async function importCsv(
  db: DbOrTx,
  reader: CsvReader,
  name: string,
  options: ImportOptions,
): Promise<ImportResult> {
  const records = reader.records();
  let header: HeaderMap | undefined;
  const next = async (problems?: Problems): Promise<CsvRecord | undefined> => {
    try {
      const r = await records.next();
      return r.done ? undefined : r.value;
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      const column = error.fieldIndex === undefined ? undefined : header?.names[error.fieldIndex];
      if (!problems) fail(name, error.line, column, error.message);
      problems.add(error.line, column, error.message);
      return undefined;
    }
  };
  try {
    const headerRecord = await next();
    if (!headerRecord) {
      fail(name, 1, undefined, 'the file is empty: a report starts with its header row (cadence,period_start,…)');
    }
    if (headerRecord.invalidUtf8Fields) {
      fail(name, 1, undefined, 'the header holds bytes that are not UTF-8 (save the file as UTF-8)');
    }
    // A role-map file (email,role,groups) gives grants, not workspace data.
    if (isRoleMapHeader(headerRecord.fields)) return await importRoleMap(db, name, next, options);
    header = readHeader(name, headerRecord.fields);
    const kind = header.layout.kind;
    const warnings: string[] = [];
    if (header.unknown.length > 0) {
      const shown = header.unknown.map((u) => (u === '' ? '(unnamed)' : u));
      warnings.push(
        `ignored column${shown.length === 1 ? '' : 's'} the ${header.layout.label} does not have: ${shown.join(', ')} (not stored)`,
      );
    }
    const problems = new Problems(name);
    const row = new RowReader(header, problems);
    const first = await next(problems);
    problems.throwIfAny();
    if (!first) {
      // A report for a week without GPTs, say: no rows, so no period to file it under. Nothing is
      // written, and a batch of files goes on.
      warnings.push(
        `the ${header.layout.label} has a header but no rows: nothing was imported` +
          (kind === 'directory' ? '' : ' (an empty report names no period)'),
      );
      return { file: name, kind, rows: 0, warnings, replacedDemo: false };
    }
    let period: ReportPeriod | null = null;
    if (kind !== 'directory') {
      // The period comes from the first row's common columns; bad bytes elsewhere in that row are
      // reported with the rest of the file.
      const badCommon = first.invalidUtf8Fields?.some((i) => i < 0 || COMMON_COLUMNS.includes(header!.names[i] as never));
      if (first.fields.length === header.width && !badCommon) {
        const probe = new RowReader(header, problems);
        probe.start({ line: first.line, endLine: first.endLine, fields: first.fields });
        period = readPeriod(probe);
      } else row.start(first);
      problems.throwIfAny();
    }
    const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
    const today = utcDay(options.clock.now());
    const headerMap = header;

    return await inTransaction(db, async (trx) => {
      const state = await readWorkspace(trx);
      const accountClash =
        period !== null &&
        state.accountId !== null &&
        state.accountId !== period.accountId &&
        !(state.demoOnly && !options.demo);
      const guard = await guardWorkspace(trx, {
        source: accountClash ? `${name} (line ${first.line}, column account_id)` : name,
        accountId: period?.accountId,
        usageSource: kind === 'users' ? 'exports' : undefined,
        demo: options.demo ?? false,
      });
      // The directory in use before this import, to count what it adds, changes and drops.
      const previousDirectory = await newestSnapshot(trx);
      const importId = await recordImport(trx, { kind, source: name, rows: 0, at: options.clock.now() });
      const ctx: CsvImportContext = {
        db: trx,
        problems,
        header: headerMap,
        period,
        firstLine: first.line,
        batchRows,
        today,
      };
      const { writer, replaced, snapshotId, retiredSnapshotId } =
        kind === 'directory' ? await startDirectory(ctx, importId) : await startReport(ctx, kind, importId, warnings);

      let rows = 0;
      for (let record: CsvRecord | undefined = first; record; record = await next(problems)) {
        rows++;
        // a row that cannot be read at all (field count, bad bytes) is reported by start()
        if (row.start(record)) await writer.add(row);
        if (options.onProgress && rows % batchRows === 0) options.onProgress(rows);
        // Parsing runs on microtasks; let the driver's I/O callbacks in now and then, so the
        // database learns of its next statement as soon as the previous one is done.
        if (rows % YIELD_ROWS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (reader.invalidUtf8LineCount > 0 && !problems.any) {
        problems.add(0, undefined, 'the file holds bytes that are not UTF-8 (save the file as UTF-8)');
      }
      await writer.finish(warnings);
      problems.throwIfAny();
      let directory: DirectoryChange | undefined;
      const inUse = snapshotId === undefined ? undefined : await newestSnapshot(trx, retiredSnapshotId);
      if (inUse !== undefined && inUse.id === snapshotId) {
        directory = await compareSnapshots(trx, previousDirectory, snapshotId);
        // The demo is emptied by a real import, and a demo load does not guard against itself.
        if (!options.demo) directory = checkDirectoryChange(directory, name, options.replaceDirectory ?? false);
      }
      if (retiredSnapshotId !== undefined) {
        await trx.deleteFrom('directory_snapshots').where('id', '=', retiredSnapshotId).execute();
      }
      const result: ImportResult = {
        file: name,
        kind,
        rows,
        warnings,
        replacedDemo: guard.replacedDemo,
        ...(guard.clearedSettings ? { clearedSettings: true } : {}),
        importId,
        ...(directory ? { directory } : {}),
        ...(kind === 'directory' && !directory && inUse ? { directoryInUseAsOf: inUse.as_of } : {}),
        ...(period ? { period: { cadence: period.cadence, start: period.start, end: period.end } } : {}),
        ...(kind === 'directory' ? { asOf: today } : {}),
        ...(replaced ? { replaced } : {}),
      };
      await sql`
        update import_log set rows = ${rows}, sha256 = ${reader.sha256()},
          detail = cast(${JSON.stringify(detailOf(result))} as jsonb)
        where id = ${importId}`.execute(trx);
      return result;
    });
  } finally {
    await records.return(undefined);
  }
}

interface Started {
  writer: RowWriter;
  replaced: ReplacedReport | undefined;
  /** The directory snapshot this import writes (directory CSV, Users report). */
  snapshotId?: number;
  /**
   * The snapshot this import replaces: kept until the new one has been compared with it, then
   * deleted (its accounts go with it).
   */
  retiredSnapshotId?: number;
}

/** A directory CSV: a snapshot as of the import day, replacing one of the same day. */
async function startDirectory(ctx: CsvImportContext, importId: number): Promise<Started> {
  const trx = ctx.db;
  const old = await trx
    .selectFrom('directory_snapshots')
    .select('id')
    .where('source', '=', 'directory')
    .where('as_of', '=', ctx.today)
    .executeTakeFirst();
  const snapshot = await trx
    .insertInto('directory_snapshots')
    .values({ report_id: null, source: 'directory', period_start: ctx.today, as_of: ctx.today, import_id: importId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    writer: new DirectoryCsvWriter(ctx, snapshot.id),
    replaced: old ? { kind: 'directory', asOf: ctx.today } : undefined,
    snapshotId: snapshot.id,
    ...(old ? { retiredSnapshotId: old.id } : {}),
  };
}

/**
 * A report: deletes the report of the same identity (kind, grain, period_start; its rows go with
 * it, ON DELETE CASCADE), writes the new one, and for a Users report its directory snapshot.
 */
async function startReport(
  ctx: CsvImportContext,
  kind: Exclude<CsvKind, 'directory'>,
  importId: number,
  warnings: string[],
): Promise<Started> {
  const trx = ctx.db;
  const p = ctx.period!;
  const reportKind = REPORT_KIND[kind];
  // A replaced Users report's directory snapshot outlives the report until the comparison.
  const retired =
    kind === 'users'
      ? await trx
          .updateTable('directory_snapshots')
          .set({ report_id: null })
          .where('report_id', 'in', (qb) =>
            qb.selectFrom('reports').select('id').where('kind', '=', reportKind).where('grain', '=', p.grain).where('period_start', '=', p.start),
          )
          .returning('id')
          .executeTakeFirst()
      : undefined;
  const old = await trx
    .deleteFrom('reports')
    .where('kind', '=', reportKind)
    .where('grain', '=', p.grain)
    .where('period_start', '=', p.start)
    .returning(['cadence', 'period_start', 'period_end'])
    .executeTakeFirst();
  const replaced = old ? { kind: reportKind, cadence: old.cadence, start: old.period_start, end: old.period_end } : undefined;
  if (replaced && p.cadence.startsWith('Partial') && !replaced.cadence.startsWith('Partial')) {
    warnings.push(
      `this partial report replaced the complete ${replaced.cadence} report ${replaced.start}..${replaced.end} of the same period`,
    );
  }
  const report = await trx
    .insertInto('reports')
    .values({ kind: reportKind, grain: p.grain, cadence: p.cadence, period_start: p.start, period_end: p.end, import_id: importId })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (kind === 'users') {
    const snapshot = await trx
      .insertInto('directory_snapshots')
      .values({ report_id: report.id, source: 'users_report', period_start: p.start, as_of: p.end, import_id: importId })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      writer: new UsersReportWriter(ctx, report.id, snapshot.id),
      replaced,
      snapshotId: snapshot.id,
      ...(retired ? { retiredSnapshotId: retired.id } : {}),
    };
  }
  if (kind === 'gpts' || kind === 'projects') {
    return { writer: new ItemReportWriter(ctx, kind === 'gpts' ? 'gpt' : 'project', report.id), replaced };
  }
  return { writer: new ImpactReportWriter(ctx, report.id), replaced };
}

function detailOf(result: ImportResult): Record<string, unknown> {
  return {
    ...(result.period ? { cadence: result.period.cadence, period_start: result.period.start, period_end: result.period.end } : {}),
    ...(result.asOf ? { as_of: result.asOf } : {}),
    ...(result.replaced ? { replaced: result.replaced } : {}),
    ...(result.replacedDemo ? { replaced_demo: true } : {}),
    ...(result.clearedSettings ? { cleared_settings: true } : {}),
    ...(result.directory
      ? { directory: { added: result.directory.added, changed: result.directory.changed, dropped: result.directory.dropped, forced: result.directory.forced } }
      : {}),
    warnings: result.warnings,
  };
}
