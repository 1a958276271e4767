/**
 * The platform-neutral Reply (docs/design.md §6): what every command returns and every adapter renders —
 * Slack as Block Kit, Teams as an Adaptive Card, the CLI as text (src/core/format.ts) or as the
 * one JSON object of §6 (`toJson` here).
 */
import type { ChartAttachment } from './charts/types.ts';
import type { WsaError } from './errors.ts';
import type { Grain } from './periods.ts';
import type { RowsPage } from './rows-json.ts';

/** A chart beside the answer: built in src/core/charts/, rendered to PNG outside the core. */
export type { ChartAttachment };

export type Value = number | null;
export type Values = Record<string, Value>;

/** One entry of a trend: the grain's period, clipped to the period asked, and its values. */
export interface SeriesEntry {
  period_start: string;
  period_end: string;
  /** Present (true) when only part of the entry has data, e.g. a last week with two days of data. */
  partial?: boolean;
  [key: string]: string | number | boolean | null | undefined;
}

export type Row = Record<string, unknown>;

/** How a number reads to a person: a count (12,345), a fraction shown as a percentage, a decimal. */
export type ValueFormat = 'count' | 'percent' | 'decimal' | 'change';

/** A column of a table shown to people. */
export interface Column {
  readonly key: string;
  readonly label: string;
  /** Numbers right-aligned in this format; text otherwise. */
  readonly format?: ValueFormat;
  /** Longest text shown in a cell before it is cut (default TEXT_CELL_CHARS). */
  readonly maxChars?: number;
  /** Right-align a column of already formatted numbers. */
  readonly align?: 'left' | 'right';
}

/** A table for people: the JSON `rows` stay complete, this one may be shaped and cut for display. */
export interface DisplayTable {
  readonly columns: readonly Column[];
  readonly rows: readonly Row[];
  /** What one row is, plural ("groups", "users"), for "… and 12 more groups". */
  readonly noun?: string;
  /** Rows shown before "… and N more" (default TEXT_TABLE_ROWS). */
  readonly limit?: number;
  /** How many rows there are in all, when `rows` holds only the first of them (AnswerInput.rowLimit). */
  readonly total?: number;
}

/**
 * A file to deliver with the answer (a CSV of its rows, a rendered chart): its content in memory,
 * or — for files too big to hold whole (an export of every user) — the path of a file on disk that
 * deliveries read as a stream (src/delivery/files.ts writes such temporary files).
 */
export type FileAttachment = FileInMemory | FileOnDisk;

interface FileAttachmentBase {
  readonly kind: 'csv' | 'png';
  /** A file name without directories, e.g. `top-users-2026-10-25.csv`. */
  readonly name: string;
}

export interface FileInMemory extends FileAttachmentBase {
  readonly content: string | Uint8Array;
  readonly path?: undefined;
}

export interface FileOnDisk extends FileAttachmentBase {
  readonly path: string;
  /** Set when the file exists only to be delivered: it is deleted once the answer was. */
  readonly temporary?: boolean;
  readonly content?: undefined;
}

/** The period an answer is about (docs/design.md §6 `period`): as asked, its end clipped to today. */
export interface ReplyPeriod {
  readonly start: string;
  readonly end: string;
  /** The trend grain, or null when the answer has no series. */
  readonly grain: Grain | null;
  readonly partial: boolean;
}

/** Headline numbers against the previous period of the same kind. */
export interface Comparison {
  /** How the previous period reads: "the 4 weeks before", "all of last week". */
  readonly label: string;
  /** Value key → change as a fraction ((this − previous) / previous), null when not comparable. */
  readonly changes: Readonly<Record<string, Value>>;
  /** Value key → the previous period's value, when known. */
  readonly previous?: Readonly<Record<string, Value>>;
}

export interface ReplyFooter {
  /** When the newest import or ingest happened. */
  readonly lastUpdated: Date | null;
  /** The newest day with data. */
  readonly dataThrough: string | null;
  /** Hours since lastUpdated when that is more than 48 h, else null. */
  readonly staleHours: number | null;
  /** Groups left out of a breakdown for privacy, when any were. */
  readonly groupsHidden: number | null;
  readonly minGroupSize: number | null;
}

export interface Reply {
  /** The command answered (`help` for help, `error` never: see `error`). */
  readonly command: string;
  readonly title: string;
  /** One line under the title: the period in words and the filter. */
  readonly subtitle: string | null;
  /** Sentences that say what the numbers mean, first the most important. */
  readonly summary: readonly string[];
  readonly period: ReplyPeriod | null;
  readonly filters: { readonly group: string | null };
  /** §5 values for this command, unrounded, every key present. */
  readonly values: Values;
  /** Values shown to people, in order; defaults to every key of `values` not ending in _change_pct. */
  readonly valueKeys?: readonly string[];
  readonly comparison: Comparison | null;
  readonly series: readonly SeriesEntry[];
  /** Keys of `series` entries, in order (for the text table). */
  readonly seriesKeys?: readonly string[];
  /** Complete rows, as the JSON gives them (the first of them when `moreRows` is set). */
  readonly rows: readonly Row[];
  /**
   * The rows after `rows`, page by page, when the caller asked them streamed (AnswerInput
   * `streamRows`): each page already the text the JSON answer holds (rows-json.ts), which
   * `writeReplyJson` (src/core/reply-json.ts) writes as it comes. Read from the store, so it must
   * stay open until they are written.
   */
  readonly moreRows?: AsyncIterable<RowsPage>;
  /** How people see the rows (and series); absent → no table. */
  readonly table: DisplayTable | null;
  readonly charts: readonly ChartAttachment[];
  readonly files: readonly FileAttachment[];
  readonly warnings: readonly string[];
  /** The data footer; null for answers that read no data (help, whoami). */
  readonly footer: ReplyFooter | null;
  /** Set when the request could not be answered; everything else is then empty. */
  readonly error: { readonly code: string; readonly message: string } | null;
}

/** A Reply with the empty parts filled in. */
export function reply(parts: Partial<Reply> & Pick<Reply, 'command' | 'title'>): Reply {
  return {
    subtitle: null,
    summary: [],
    period: null,
    filters: { group: null },
    values: {},
    comparison: null,
    series: [],
    rows: [],
    table: null,
    charts: [],
    files: [],
    warnings: [],
    footer: null,
    error: null,
    ...parts,
  };
}

/** The Reply for a request that cannot be answered: bad input, refused, not in the data. */
export function errorReply(command: string, error: Pick<WsaError, 'code' | 'message'>): Reply {
  return reply({
    command,
    title: error.code === 'forbidden' ? 'Not allowed' : 'Cannot answer that',
    error: { code: error.code, message: error.message },
  });
}

// ---------------------------------------------------------------------------------------------
// JSON (docs/design.md §6)

export interface ReplyJson {
  command: string;
  period: ReplyPeriod | null;
  data_through: string | null;
  filters: { group: string | null };
  values: Values;
  series: SeriesEntry[];
  rows: Row[];
  last_updated: string | null;
  warnings: string[];
  files: Array<{ kind: 'csv' | 'png'; path: string }>;
}

export interface ErrorJson {
  error: { code: string; message: string };
}

/** An instant as ISO-8601 UTC to the second: `2026-11-25T09:14:03Z`. */
export function isoSeconds(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}

/**
 * The one JSON object of §6. `written` lists the files actually written (CLI `--out`), since a
 * path exists only once a file does.
 */
export function toJson(
  r: Reply,
  written: ReadonlyArray<{ kind: 'csv' | 'png'; path: string }> = [],
): ReplyJson | ErrorJson {
  if (r.error) return { error: { code: r.error.code, message: r.error.message } };
  return {
    command: r.command,
    period: r.period ? { start: r.period.start, end: r.period.end, grain: r.period.grain, partial: r.period.partial } : null,
    data_through: r.footer?.dataThrough ?? null,
    filters: { group: r.filters.group },
    values: { ...r.values },
    series: r.series.map((s) => ({ ...s })),
    rows: r.rows.map((row) => ({ ...row })),
    last_updated: r.footer?.lastUpdated ? isoSeconds(r.footer.lastUpdated) : null,
    warnings: [...r.warnings],
    files: written.map((f) => ({ kind: f.kind, path: f.path })),
  };
}
