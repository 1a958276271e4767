/**
 * Column types read the same way from pg and PGlite: dates stay `YYYY-MM-DD` strings (no time
 * zone shift), bigint and numeric become numbers (counts here stay far below 2^53).
 */
export const OID = {
  int8: 20,
  numeric: 1700,
  date: 1082,
} as const;

export const typeParsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: (v) => Number(v),
  [OID.numeric]: (v) => Number(v),
  [OID.date]: (v) => v,
};
