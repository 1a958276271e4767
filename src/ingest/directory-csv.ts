/**
 * The directory CSV of event-sourced stores (docs/design.md §4.2): the Users report's identity columns,
 * one row per account. Each import is a directory snapshot as of its import day.
 */
import type { RowReader } from './cells.ts';
import { BatchPipeline } from './batches.ts';
import type { CsvImportContext, RowWriter } from './csv-import-context.ts';
import { ACCOUNTS_TARGET, placeholderAccount, readIdentity, reportDuplicateAccounts, type AccountRow } from './account-columns.ts';
import { insertKeyed } from './keyed-insert.ts';
import { GroupNames } from './scim-groups.ts';

export class DirectoryCsvWriter implements RowWriter {
  readonly #ctx: CsvImportContext;
  readonly #snapshotId: number;
  readonly #pipeline: BatchPipeline<Partial<AccountRow>>;
  readonly #groups = new GroupNames();

  constructor(ctx: CsvImportContext, snapshotId: number) {
    this.#ctx = ctx;
    this.#snapshotId = snapshotId;
    this.#pipeline = new BatchPipeline(ctx.batchRows, (rows) => this.#flush(rows));
  }

  async add(row: RowReader): Promise<void> {
    const identity = readIdentity(row);
    if (identity.account && !row.rowFailed) {
      this.#groups.note(identity.groups);
      await this.#pipeline.add(identity.account);
    } else if (identity.key !== null) {
      await this.#pipeline.add(placeholderAccount(identity.key, row.line));
    }
  }

  async #flush(rows: Partial<AccountRow>[]): Promise<void> {
    const duplicates = await insertKeyed(
      this.#ctx.db,
      ACCOUNTS_TARGET,
      this.#snapshotId,
      [{ name: 'snapshot_id', type: 'integer', value: this.#snapshotId }],
      rows as AccountRow[],
    );
    reportDuplicateAccounts(this.#ctx.problems, duplicates, 'directory');
  }

  async finish(warnings: string[]): Promise<void> {
    await this.#pipeline.finish();
    if (!this.#ctx.problems.any) await this.#groups.save(this.#ctx.db, this.#ctx.today, this.#snapshotId);
    warnings.push(...this.#groups.warnings());
  }
}
