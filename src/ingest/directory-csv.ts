/**
 * The directory CSV of event-sourced stores (docs/design.md §4.2): the Users report's identity columns,
 * one row per account. Each import is a directory snapshot as of its import day.
 */
import type { RowReader } from './cells.ts';
import { BatchPipeline } from './batches.ts';
import type { CsvImportContext, RowWriter } from './csv-import-context.ts';
import { accountRows, accountKeyStage, encodeAccount, encodeAccountKey, readIdentity, reportDuplicateAccounts } from './account-columns.ts';
import { BatchWrites, type TableRows } from './table-batches.ts';
import { GroupNames } from './scim-groups.ts';

export class DirectoryCsvWriter implements RowWriter {
  readonly #ctx: CsvImportContext;
  readonly #snapshotId: number;
  /** Each row's key (for the duplicate check) and its account (null when the row failed), encoded. */
  readonly #pipeline: BatchPipeline<{ key: string; account: string | null }>;
  readonly #groups = new GroupNames();
  readonly #keys = accountKeyStage();
  readonly #writes = new BatchWrites();
  readonly #accounts: TableRows;

  constructor(ctx: CsvImportContext, snapshotId: number) {
    this.#ctx = ctx;
    this.#snapshotId = snapshotId;
    this.#accounts = accountRows(snapshotId);
    this.#pipeline = new BatchPipeline(ctx.batchRows, (rows) => this.#flush(rows));
  }

  async add(row: RowReader): Promise<void> {
    const identity = readIdentity(row);
    if (identity.key === null) return;
    let account: string | null = null;
    if (identity.account && !row.rowFailed) {
      this.#groups.note(identity.groups);
      account = encodeAccount(identity.account);
    }
    await this.#pipeline.add({ key: encodeAccountKey(identity.key, row.line), account });
  }

  /** Stages a batch's keys and writes its accounts (no longer once the file has a problem). */
  async #flush(rows: { key: string; account: string | null }[]): Promise<void> {
    const { db, problems } = this.#ctx;
    await this.#keys.append(db, rows.map((r) => r.key));
    if (problems.any) return;
    const accounts: string[] = [];
    for (const r of rows) if (r.account !== null) accounts.push(r.account);
    await this.#writes.write(db, () => this.#accounts.insert(db, accounts));
  }

  async finish(warnings: string[]): Promise<void> {
    await this.#pipeline.finish();
    const { db, problems } = this.#ctx;
    reportDuplicateAccounts(problems, await this.#keys.duplicates(db, 'account_key'), 'directory');
    if (!problems.any) {
      this.#writes.checkNoClash();
      await this.#groups.save(db, this.#ctx.today, this.#snapshotId);
    }
    warnings.push(...this.#groups.warnings());
  }
}
