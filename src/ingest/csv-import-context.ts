/** What the per-kind CSV writers share while one file is imported. */
import type { DbOrTx } from '../store/schema.ts';
import type { RowReader } from './cells.ts';
import type { HeaderMap } from './columns.ts';
import type { Problems } from './problems.ts';
import type { ReportPeriod } from './report-period.ts';

export interface CsvImportContext {
  readonly db: DbOrTx;
  readonly problems: Problems;
  readonly header: HeaderMap;
  /** The report's period (reports only; a directory CSV has none). */
  readonly period: ReportPeriod | null;
  /** Line of the first data row (the one the period was read from). */
  readonly firstLine: number;
  readonly batchRows: number;
  /** UTC day of the import (the injected clock). */
  readonly today: string;
}

/** Validates the rows of one kind of CSV file and writes them in batches. */
export interface RowWriter {
  /** The row has been started on `row` (its field count and encoding are fine). */
  add(row: RowReader): Promise<void>;
  /** Writes what is left; adds the file's warnings. */
  finish(warnings: string[]): Promise<void>;
}

/** Counts rows that show something odd but harmless, for one warning per kind of oddity. */
export class Oddities {
  readonly #seen = new Map<string, { count: number; firstLine: number }>();

  note(message: string, line: number): void {
    const entry = this.#seen.get(message);
    if (entry) entry.count++;
    else this.#seen.set(message, { count: 1, firstLine: line });
  }

  warnings(): string[] {
    return [...this.#seen].map(
      ([message, { count, firstLine }]) =>
        `${count} row${count === 1 ? '' : 's'} with ${message} (first on line ${firstLine}); imported as written`,
    );
  }
}
