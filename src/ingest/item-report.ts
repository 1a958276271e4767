/**
 * GPT and Project reports (docs/design.md §4.1): one row per GPT or project, kept as the report's rows —
 * the catalog (names, descriptions, creators, config type) and the report's own usage columns.
 * An id appears once per report.
 */
import type { RowReader } from './cells.ts';
import { BatchPipeline } from './batches.ts';
import { Oddities, type CsvImportContext, type RowWriter } from './csv-import-context.ts';
import { encodeRow, type BulkColumn } from './bulk-insert.ts';
import { Stage } from './staging.ts';
import { checkInPeriod, checkSamePeriod } from './report-period.ts';

export type ItemKind = 'gpt' | 'project';

type ItemRow = Record<string, string | number | boolean | null> & { position: number };

function columns(item: ItemKind): BulkColumn[] {
  return [
    { name: `${item}_id`, type: 'text' },
    { name: `${item}_name`, type: 'text' },
    { name: 'config_type', type: 'text' },
    { name: `${item}_description`, type: 'text' },
    { name: `${item}_url`, type: 'text' },
    { name: `${item}_creator_public_id`, type: 'text' },
    { name: 'is_active', type: 'boolean' },
    { name: 'first_day_active_in_period', type: 'date' },
    { name: 'last_day_active_in_period', type: 'date' },
    { name: 'messages_workspace', type: 'integer' },
    { name: 'unique_messagers_workspace', type: 'integer' },
    { name: `${item}_creator_email`, type: 'text' },
      { name: 'position', type: 'integer' },
  ];
}

export class ItemReportWriter implements RowWriter {
  readonly #ctx: CsvImportContext;
  readonly #item: ItemKind;
  readonly #reportId: number;
  readonly #columns: BulkColumn[];
  readonly #stage: Stage;
  readonly #pipeline: BatchPipeline<ItemRow>;
  readonly #odd = new Oddities();

  constructor(ctx: CsvImportContext, item: ItemKind, reportId: number) {
    this.#ctx = ctx;
    this.#item = item;
    this.#reportId = reportId;
    this.#columns = columns(item);
    this.#stage = new Stage('items', { table: `${item}_report_rows`, columns: this.#columns, orderBy: [`${item}_id`] });
    this.#pipeline = new BatchPipeline(ctx.batchRows, (rows) => this.#flush(rows));
  }

  async add(row: RowReader): Promise<void> {
    const period = this.#ctx.period!;
    const p = this.#item;
    if (row.line !== this.#ctx.firstLine) checkSamePeriod(row, period, this.#ctx.firstLine);
    const id = row.required(`${p}_id`, `the ${p === 'gpt' ? 'GPT' : 'project'} id`);
    if (id !== null && /\s/.test(id)) row.problem(`${p}_id`, `${JSON.stringify(id)} holds spaces; an id does not`);
    const isActive = row.flag('is_active');
    const first = row.date('first_day_active_in_period');
    const last = row.date('last_day_active_in_period');
    checkInPeriod(row, 'first_day_active_in_period', first, period);
    checkInPeriod(row, 'last_day_active_in_period', last, period);
    if (first !== null && last !== null && last < first) {
      row.problem('last_day_active_in_period', `${last} is before first_day_active_in_period ${first}`);
    }
    const messages = row.count('messages_workspace');
    const messagers = row.count('unique_messagers_workspace');
    if (id === null) return;
    if (row.rowFailed) {
      // stands in for the failed row, so a later duplicate of its id is still found
      await this.#pipeline.add({ [`${p}_id`]: id, position: row.line, is_active: false, messages_workspace: 0, unique_messagers_workspace: 0 });
      return;
    }
    if (messages !== null && messagers !== null && messagers > messages) {
      this.#odd.note('more unique_messagers_workspace than messages_workspace', row.line);
    }
    if (isActive === false && (messages ?? 0) > 0) this.#odd.note('is_active 0 but messages_workspace above 0', row.line);
    await this.#pipeline.add({
      [`${p}_id`]: id,
      [`${p}_name`]: row.text(`${p}_name`),
      config_type: row.text('config_type'),
      [`${p}_description`]: row.text(`${p}_description`),
      [`${p}_url`]: row.text(`${p}_url`),
      [`${p}_creator_public_id`]: row.text(`${p}_creator_public_id`),
      is_active: isActive,
      first_day_active_in_period: first,
      last_day_active_in_period: last,
      messages_workspace: messages,
      unique_messagers_workspace: messagers,
      [`${p}_creator_email`]: row.text(`${p}_creator_email`),
      position: row.line,
    });
  }

  /** Stages a batch; the rows are written once the whole file is read (finish). */
  async #flush(rows: ItemRow[]): Promise<void> {
    const columns = this.#columns;
    await this.#stage.append(this.#ctx.db, rows.map((r) => encodeRow(columns, columns.map((c) => r[c.name]))));
  }

  async finish(warnings: string[]): Promise<void> {
    await this.#pipeline.finish();
    const { db, problems } = this.#ctx;
    const key = `${this.#item}_id`;
    for (const d of await this.#stage.duplicates(db, key)) {
      problems.add(
        d.line,
        key,
        `duplicate ${key} ${d.key} (also on line ${d.firstLine}); each ${this.#item === 'gpt' ? 'GPT' : 'project'} appears once in a report`,
      );
    }
    if (!problems.any) await this.#stage.write(db, [{ name: 'report_id', type: 'integer', value: this.#reportId }]);
    warnings.push(...this.#odd.warnings());
  }
}
