/**
 * An export written to disk (docs/design.md §7 "Exports"): each block's rows go from a database
 * cursor through the CSV writer (spreadsheet-safe cells, src/core/csv.ts) into a new file of mode
 * 0600, one page at a time, so memory stays flat whatever the row count. Every block is read in
 * one repeatable-read transaction, so the file is one consistent picture even while an import
 * runs. A failure deletes the file: nobody is handed half an export.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { sql, type RawBuilder, type Transaction } from 'kysely';
import { safeCsvCells, safeCsvLine } from '../core/csv.ts';
import { UnanswerableError } from '../core/errors.ts';
import { minDate, type DateRange } from '../core/periods.ts';
import { loadSource, snapshotAsOf, type Source } from '../metrics/context.ts';
import { noDataWarning, resolveRange, type FactPart } from '../metrics/coverage.ts';
import type { Database, Db, DbOrTx } from '../store/schema.ts';
import { layoutOf } from '../ingest/columns.ts';
import { cursorPages } from './cursor.ts';
import { computedImpactQuery, impactCells, importedImpactQuery, type ImpactRow } from './impact.ts';
import { computedItemsQuery, importedItemsQuery, itemCells, type Item, type ItemRow } from './items.ts';
import type { ExportBlock, ExportPlan, ExportType } from './plan.ts';
import { computedUsersQuery, importedUsersQuery, usersLines } from './users.ts';

/** What was written: the rows per block (as the file's common columns name it) and in all. */
export interface ExportSummary {
  readonly type: ExportType;
  readonly rows: number;
  readonly blocks: ReadonlyArray<{ readonly cadence: string; readonly start: string; readonly end: string; readonly rows: number }>;
  readonly columns: readonly string[];
}

/** A block ready to read: its common cells, its statement and how a row becomes the rest of its line. */
interface ResolvedBlock {
  readonly cadence: string;
  readonly start: string;
  readonly end: string;
  readonly query: RawBuilder<unknown>;
  /** The row's cells after the common ones, as CSV (no line end); `credits`: the file has `credits_used`. */
  readonly line: (row: never, credits: boolean) => string;
  /** Users blocks: whether any fact has credits (the column is written when one has). */
  readonly credits?: RawBuilder<{ any: boolean }>;
}

const ITEM: Partial<Record<ExportType, Item>> = { gpts: 'gpt', projects: 'project' };
/**
 * What the file stream buffers before the writer waits for the disk: a few pages, so writing one
 * page overlaps reading the next instead of alternating with it (the default 16 kB is less than a page).
 */
const WRITE_BUFFER_BYTES = 4 * 1024 * 1024;
const GRAIN_CADENCE = { week: 'Weekly', month: 'Monthly' } as const;

type Trx = Transaction<Database>;

async function importedReport(trx: Trx, type: ExportType, block: ExportBlock) {
  let q = trx
    .selectFrom('reports')
    .select(['id', 'grain', 'cadence', 'period_start', 'period_end'])
    .where('kind', '=', type)
    .where('period_start', '=', block.start);
  // A week or month block is the imported report of that week or month (a partial one too); a
  // date range is a report of exactly that range, whatever its cadence.
  q = block.grain === 'range' ? q.where('period_end', '=', block.end) : q.where('grain', '=', block.grain);
  return q.orderBy('id', 'desc').executeTakeFirst();
}

async function groupNames(trx: Trx, snapshotId: number | null): Promise<Map<string, string>> {
  if (snapshotId === null) return new Map();
  const rows = await trx.selectFrom('snapshot_groups').select(['group_id', 'name']).where('snapshot_id', '=', snapshotId).execute();
  return new Map(rows.map((r) => [r.group_id, r.name]));
}

/** The facts that tile a computed block, or the reason there are none (§5 covering). */
function tiling(src: Source, range: DateRange): { covered: DateRange; parts: FactPart[] } {
  const r = resolveRange(src, range);
  if (r.kind === 'empty') throw new UnanswerableError(noDataWarning(r, range));
  if (r.kind === 'untileable') throw new UnanswerableError(r.reason);
  return { covered: r.covered, parts: r.parts };
}

function computedCadence(block: ExportBlock, through: string): string {
  if (block.grain === 'range') return 'Date Range';
  const cadence = GRAIN_CADENCE[block.grain];
  return through < block.end ? `Partial ${cadence}` : cadence;
}

async function resolveBlock(trx: Trx, type: ExportType, block: ExportBlock, today: string, src: () => Promise<Source>): Promise<ResolvedBlock> {
  const report = await importedReport(trx, type, block);
  const item = ITEM[type];
  if (report) {
    const common = { cadence: report.cadence, start: report.period_start, end: report.period_end };
    if (type === 'users') {
      const snapshot = await trx.selectFrom('directory_snapshots').select('id').where('report_id', '=', report.id).executeTakeFirstOrThrow();
      const names = await groupNames(trx, snapshot.id);
      return {
        ...common,
        query: importedUsersQuery(report.grain, report.period_start, snapshot.id),
        line: usersLines(names),
        credits: sql<{ any: boolean }>`select exists (select 1 from user_facts where grain = ${report.grain}
          and period_start = ${report.period_start} and credits_used is not null) as any`,
      } as ResolvedBlock;
    }
    if (item) return { ...common, query: importedItemsQuery(item, report.id), line: (row: ItemRow) => safeCsvCells(itemCells(row)) } as ResolvedBlock;
    return { ...common, query: importedImpactQuery(report.id), line: (row: ImpactRow) => safeCsvCells(impactCells(row)) } as ResolvedBlock;
  }
  const range = { start: block.start, end: minDate(block.end, today) };
  if (type === 'impact') {
    return { cadence: 'Date Range', ...range, query: computedImpactQuery(range.start, range.end), line: (row: ImpactRow) => safeCsvCells(impactCells(row)) } as ResolvedBlock;
  }
  const source = await src();
  const events = source.usageSource === 'events';
  if (item) {
    const { covered, parts } = events ? { covered: range, parts: null } : tiling(source, range);
    return {
      cadence: 'Date Range',
      start: block.start,
      end: covered.end,
      query: computedItemsQuery({ item, start: covered.start, end: covered.end, parts }),
      line: (row: ItemRow) => safeCsvCells(itemCells(row)),
    } as ResolvedBlock;
  }
  const { covered, parts } = tiling(source, range);
  const snapshot = snapshotAsOf(source.snapshots, covered.end);
  const names = await groupNames(trx, snapshot?.id ?? null);
  const filter = sql.join(parts.map((p) => sql`(grain = ${p.grain} and period_start between ${p.from} and ${p.to})`), sql` or `);
  return {
    cadence: computedCadence(block, covered.end),
    start: block.start,
    end: covered.end,
    query: computedUsersQuery({ parts, snapshotId: snapshot?.id ?? null, through: covered.end, events }),
    line: usersLines(names),
    credits: sql<{ any: boolean }>`select exists (select 1 from user_facts where (${filter}) and credits_used is not null) as any`,
  } as ResolvedBlock;
}

/** The columns of an export's header: the importer's layout of the report, the same order. */
function headerOf(type: ExportType, credits: boolean): string[] {
  return layoutOf(type).columns.filter((c) => credits || c !== 'credits_used');
}

async function inTransaction<T>(db: DbOrTx, work: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Trx);
  const trx = await (db as Db).startTransaction().setIsolationLevel('repeatable read').execute();
  try {
    const out = await work(trx);
    await trx.commit().execute();
    return out;
  } catch (error) {
    await trx.rollback().execute();
    throw error;
  }
}

/**
 * Writes the export of `plan` to `path`, a new file (mode 0600; an existing file is an error).
 * Throws UnanswerableError (nothing written) when a block is outside the data or cannot be
 * computed exactly; on any failure the file is removed.
 */
export async function writeExport(db: DbOrTx, plan: ExportPlan, today: string, path: string): Promise<ExportSummary> {
  return inTransaction(db, async (trx) => {
    let source: Source | undefined;
    const src = async () => (source ??= await loadSource(trx, today));
    const resolved: ResolvedBlock[] = [];
    for (const block of plan.blocks) resolved.push(await resolveBlock(trx, plan.type, block, today, src));
    let credits = false;
    for (const b of resolved) if (b.credits && !credits) credits = (await b.credits.execute(trx)).rows[0]?.any === true;
    const workspace = await trx.selectFrom('workspace').select('account_id').where('id', '=', 1).executeTakeFirst();
    const accountId = workspace?.account_id ?? '';
    const columns = headerOf(plan.type, credits);

    const out = createWriteStream(path, { flags: 'wx', mode: 0o600, highWaterMark: WRITE_BUFFER_BYTES });
    const failed = new Promise<never>((_, reject) => out.once('error', reject));
    failed.catch(() => undefined);
    const write = async (chunk: string) => {
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
    };
    const blocks: Array<{ cadence: string; start: string; end: string; rows: number }> = [];
    let total = 0;
    try {
      await Promise.race([once(out, 'open'), failed]);
      await write(safeCsvLine(columns));
      for (const b of resolved) {
        const common = safeCsvCells([b.cadence, b.start, b.end, accountId]);
        let rows = 0;
        for await (const page of cursorPages(trx, b.query)) {
          let chunk = '';
          for (const row of page) chunk += `${common},${b.line(row as never, credits)}\n`;
          rows += page.length;
          await write(chunk);
        }
        blocks.push({ cadence: b.cadence, start: b.start, end: b.end, rows });
        total += rows;
      }
      out.end();
      await Promise.race([once(out, 'finish'), failed]);
      await Promise.race([once(out, 'close'), failed]);
    } catch (error) {
      out.destroy();
      await rm(path, { force: true });
      throw error;
    }
    return { type: plan.type, rows: total, blocks, columns };
  });
}
