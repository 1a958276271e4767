/** The import API's option and result types (see import-files.ts). */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../log.ts';
import type { DirectoryChange } from './directory-change.ts';

export type ImportedKind = 'users' | 'gpts' | 'projects' | 'impact' | 'directory' | 'catalog' | 'role-map';

export interface ImportOptions {
  clock: Clock;
  logger: Logger;
  /** The demo loader marks its imports, so the first real import replaces them (docs/design.md §3). */
  demo?: boolean;
  /**
   * Lets a directory that leaves out many enabled accounts, or every owner and admin, replace the
   * directory in use (`wsa import --replace-directory`; see directory-change.ts).
   */
  replaceDirectory?: boolean;
  /** Rows per insert batch (default 2000). */
  batchRows?: number;
  /** Called every batch with the number of rows read so far. */
  onProgress?: (rows: number) => void;
}

/**
 * The earlier import that this one replaced: a report of the same identity (kind, grain,
 * period_start), the directory snapshot of the same day, or the previous question catalog.
 */
export interface ReplacedReport {
  kind: string;
  /** Reports: the replaced report's cadence and period. */
  cadence?: string;
  start?: string;
  end?: string;
  /** Directory snapshot: its day. */
  asOf?: string;
  /** Catalog: how many questions it had. */
  rows?: number;
}

export interface ImportResult {
  /** The file's name as given (also the import log's `source`). */
  file: string;
  kind: ImportedKind;
  /** Data rows read (for the catalog: questions). */
  rows: number;
  warnings: string[];
  /** Reports: the cadence and period of the file. */
  period?: { cadence: string; start: string; end: string };
  /** Directory CSV: the day the snapshot is as of (the import day). */
  asOf?: string;
  replaced?: ReplacedReport;
  /** The store held only the demo workspace, which this import emptied first. */
  replacedDemo: boolean;
  /** With replacedDemo: settings had been set while trying the demo, and were cleared with it. */
  clearedSettings?: boolean;
  /**
   * A directory CSV, or a Users report that became the directory in use (the newest snapshot):
   * accounts added, changed and dropped against the directory in use before.
   */
  directory?: DirectoryChange;
  /** A directory CSV that did not become the directory in use: the day of the one in use (newer). */
  directoryInUseAsOf?: string;
  /** The import_log id; absent when nothing was imported (a report with a header and no rows). */
  importId?: number;
}
