/**
 * Column types read the same way from pg and PGlite: dates stay `YYYY-MM-DD` strings (no time
 * zone shift), bigint and numeric become numbers (counts here stay far below 2^53).
 *
 * Defined as data (OID → how the text is read) because PGlite parses in its own thread
 * (pglite-worker.mjs), which gets this table, not functions; `typeParsers` is the same table as
 * functions, for pg.
 */
export const OID = {
  int8: 20,
  numeric: 1700,
  date: 1082,
} as const;

/** How a column's text becomes a value: a JavaScript number, or the text itself. */
export type ParserKind = 'number' | 'text';

export const parserKinds: Record<number, ParserKind> = {
  [OID.int8]: 'number',
  [OID.numeric]: 'number',
  [OID.date]: 'text',
};

const PARSE: Record<ParserKind, (value: string) => unknown> = {
  number: (v) => Number(v),
  text: (v) => v,
};

export const typeParsers: Record<number, (value: string) => unknown> = Object.fromEntries(
  Object.entries(parserKinds).map(([oid, kind]) => [oid, PARSE[kind]]),
);
