/**
 * The directory CSV of event-sourced stores (docs/design.md §4.2): the Users report's identity columns,
 * one row per account. Each import is a directory snapshot as of its import day.
 */
import type { RowReader } from './cells.ts';
import { BatchPipeline } from './batches.ts';
import type { CsvImportContext, RowWriter } from './csv-import-context.ts';
import { accountsStage, encodeAccount, placeholderAccount, readIdentity, reportDuplicateAccounts, type AccountRow } from './account-columns.ts';
import { GroupNames } from './scim-groups.ts';

export class DirectoryCsvWriter implements RowWriter {
  readonly #ctx: CsvImportContext;
  readonly #snapshotId: number;
  readonly #pipeline: BatchPipeline<Partial<AccountRow>>;
  readonly #groups = new GroupNames();
  readonly #accounts = accountsStage();

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

  /** Stages a batch; the accounts are written once the whole file is read (finish). */
  async #flush(rows: Partial<AccountRow>[]): Promise<void> {
    await this.#accounts.append(this.#ctx.db, rows.map(encodeAccount));
  }

  async finish(warnings: string[]): Promise<void> {
    await this.#pipeline.finish();
    const { db, problems } = this.#ctx;
    reportDuplicateAccounts(problems, await this.#accounts.duplicates(db, 'account_key'), 'directory');
    if (!problems.any) {
      await this.#accounts.write(db, [{ name: 'snapshot_id', type: 'integer', value: this.#snapshotId }]);
      await this.#groups.save(db, this.#ctx.today, this.#snapshotId);
    }
    warnings.push(...this.#groups.warnings());
  }
}
