/**
 * Rows as the JSON answer (docs/design.md §6) holds them: the text `JSON.stringify(answer, null, 2)`
 * gives between the brackets of its `"rows": [ … ]`. A streamed answer's later rows come as pages
 * of this text, built where the rows are (the JSON answer's on a thread of its own,
 * sender-rows.ts, which is why this module imports nothing).
 */

/** Rows of one page of a streamed answer: how many, and their text in the JSON answer. */
export interface RowsPage {
  readonly count: number;
  /** `rowsJson` of the rows. */
  readonly json: string;
}

/** What `JSON.stringify({ rows }, null, 2)` puts around its (non-empty) rows. */
const PAGE_OPEN = '{\n  "rows": [';
const PAGE_CLOSE = '\n  ]\n}';

/**
 * The text of rows between the answer's brackets, without a comma before the first:
 * the rows of `{ "rows": [ … ] }` at two spaces sit at exactly the indentation they have in the
 * answer, so one native call gives it (stringifying each row and indenting it by hand cost ~2.5×).
 */
export function rowsJson(rows: ReadonlyArray<Record<string, unknown>>): string {
  if (rows.length === 0) return '';
  return JSON.stringify({ rows }, null, 2).slice(PAGE_OPEN.length, -PAGE_CLOSE.length);
}

export function rowsPage(rows: ReadonlyArray<Record<string, unknown>>): RowsPage {
  return { count: rows.length, json: rowsJson(rows) };
}
