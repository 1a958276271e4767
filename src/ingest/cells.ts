/**
 * Typed reading of one CSV row's cells, each problem reported with the row's physical line and
 * the column name. Cell forms are those of real exports (docs/design.md §4.1): blank for a missing
 * value, `1`/`0` flags, `YYYY-MM-DD` dates, Python dict literals for maps, a JSON list for
 * `department`.
 */
import { parseIsoDate } from '../core/periods.ts';
import type { CountMap } from '../store/schema.ts';
import type { CsvRecord } from './csv-reader.ts';
import type { HeaderMap } from './columns.ts';
import { parsePythonDict, PythonLiteralError } from './python-literal.ts';
import type { Problems } from './problems.ts';

/** The largest count a store `integer` column holds. */
const MAX_COUNT = 2_147_483_647;
const DIGITS = /^[0-9]+$/;
const DECIMAL = /^[0-9]+(\.[0-9]+)?$/;

/** Longest cell text quoted back in a message. */
const QUOTE_LIMIT = 40;

export function quoteCell(value: string): string {
  const shown = value.length > QUOTE_LIMIT ? `${value.slice(0, QUOTE_LIMIT)}…` : value;
  return JSON.stringify(shown);
}

/** Dates repeat across a report's rows: remember the real ones (bounded, so memory stays flat). */
const knownDates = new Set<string>();
const KNOWN_DATES_LIMIT = 10_000;

function isRealDate(v: string): boolean {
  if (knownDates.has(v)) return true;
  if (parseIsoDate(v) === undefined) return false;
  if (knownDates.size >= KNOWN_DATES_LIMIT) knownDates.clear();
  knownDates.add(v);
  return true;
}

export class RowReader {
  #fields: readonly string[] = [];
  #line = 0;
  /** Problems found in the current row. */
  #rowProblems = 0;

  constructor(
    readonly header: HeaderMap,
    readonly problems: Problems,
  ) {}

  get line(): number {
    return this.#line;
  }

  /** True when the current row had a problem so far. */
  get rowFailed(): boolean {
    return this.#rowProblems > 0;
  }

  /**
   * Starts a row. Returns false (after reporting) when the row cannot be read at all: wrong
   * number of fields, bytes that are not UTF-8, or a NUL character (PostgreSQL text cannot hold
   * one, and its own error would name neither line nor column).
   */
  start(record: CsvRecord): boolean {
    this.#line = record.line;
    this.#fields = record.fields;
    this.#rowProblems = 0;
    if (record.invalidUtf8Fields) {
      for (const i of record.invalidUtf8Fields) {
        this.problem(i >= 0 ? this.header.names[i] : undefined, 'bytes that are not UTF-8 (save the file as UTF-8)');
      }
      return false;
    }
    let nul = false;
    for (const [i, field] of record.fields.entries()) {
      const column = this.header.names[i];
      // Cells of unknown columns are kept out of the store: whatever they hold does no harm.
      if (field.includes('\u0000') && column !== undefined && this.header.index.has(column)) {
        nul = true;
        this.problem(column, 'holds a NUL character (byte 0), which the store cannot keep; remove it from the file');
      }
    }
    if (nul) return false;
    if (record.fields.length !== this.header.width) {
      const n = record.fields.length;
      this.problem(
        undefined,
        n === 1 && record.fields[0]!.trim() === ''
          ? 'a line holding only spaces'
          : `${n} field${n === 1 ? '' : 's'} where the header has ${this.header.width} (a comma too many or too few, or a cell that should be quoted)`,
      );
      return false;
    }
    return true;
  }

  problem(column: string | undefined, message: string): void {
    this.#rowProblems++;
    this.problems.add(this.#line, column, message);
  }

  /** The cell as written ('' when blank or when the column is absent). */
  raw(column: string): string {
    const i = this.header.index.get(column);
    return i === undefined ? '' : (this.#fields[i] ?? '');
  }

  /** Text, or null when blank. */
  text(column: string): string | null {
    const v = this.raw(column);
    return v === '' ? null : v;
  }

  /** Non-blank text (reported and null when blank). */
  required(column: string, what = 'a value'): string | null {
    const v = this.raw(column);
    if (v === '') {
      this.problem(column, `is blank; it needs ${what}`);
      return null;
    }
    return v;
  }

  /** A value from a fixed set; blank allowed when `blank` is set. */
  oneOf<T extends string>(column: string, allowed: readonly T[], blank: boolean): T | null {
    const v = this.raw(column);
    if (v === '') {
      if (!blank) this.problem(column, `is blank; it must be one of ${allowed.join(', ')}`);
      return null;
    }
    if (!(allowed as readonly string[]).includes(v)) {
      this.problem(column, `${quoteCell(v)} is not one of ${allowed.join(', ')}`);
      return null;
    }
    return v as T;
  }

  /** A real `YYYY-MM-DD` date; null when blank (reported when required). */
  date(column: string, required = false): string | null {
    const v = this.raw(column);
    if (v === '') {
      if (required) this.problem(column, 'is blank; it needs a date (YYYY-MM-DD)');
      return null;
    }
    if (!isRealDate(v)) {
      this.problem(
        column,
        /^\d{4}-\d{2}-\d{2}$/.test(v)
          ? `${quoteCell(v)} is not a real calendar date`
          : `${quoteCell(v)} is not a date in the form YYYY-MM-DD`,
      );
      return null;
    }
    return v;
  }

  /** A non-negative integer count; null when blank (reported when required). */
  count(column: string, required = true): number | null {
    const v = this.raw(column);
    if (v === '') {
      if (required) this.problem(column, 'is blank; it needs a count (a whole number ≥ 0)');
      return null;
    }
    return this.#parseCount(column, v);
  }

  #parseCount(column: string, v: string): number | null {
    if (!DIGITS.test(v)) {
      this.problem(
        column,
        /^-\d+$/.test(v)
          ? `${quoteCell(v)} is negative; counts are whole numbers ≥ 0`
          : `${quoteCell(v)} is not a whole number ≥ 0`,
      );
      return null;
    }
    const n = Number(v);
    if (n > MAX_COUNT) {
      this.problem(column, `${quoteCell(v)} is too large for a count`);
      return null;
    }
    return n;
  }

  /** A non-negative decimal (credits); null when blank. Returned as written, for numeric. */
  decimal(column: string): string | null {
    const v = this.raw(column);
    if (v === '') return null;
    if (!DECIMAL.test(v)) {
      this.problem(column, `${quoteCell(v)} is not a number ≥ 0`);
      return null;
    }
    return v;
  }

  /** `1` or `0`; null when blank (reported when required). */
  flag(column: string, required = true): boolean | null {
    const v = this.raw(column);
    if (v === '1') return true;
    if (v === '0') return false;
    if (v === '' && !required) return null;
    this.problem(column, v === '' ? 'is blank; it must be 1 or 0' : `${quoteCell(v)} must be 1 or 0`);
    return null;
  }

  /**
   * A map column: a Python dict literal of name → count (docs/design.md §4.1). Blank and `{}` are
   * the empty map, returned as null. `undefined` when invalid (reported).
   */
  countMap(column: string): CountMap | null | undefined {
    const v = this.raw(column);
    if (v === '') return null;
    let dict;
    try {
      dict = parsePythonDict(v);
    } catch (error) {
      if (!(error instanceof PythonLiteralError)) throw error;
      this.problem(column, `is not a dict literal like {'gpt-5': 12}: ${error.message}`);
      return undefined;
    }
    if (dict.size === 0) return null;
    const out: CountMap = {};
    for (const [key, value] of dict) {
      if (typeof value !== 'number' || value < 0) {
        this.problem(column, `the value for ${quoteCell(key)} must be a whole number ≥ 0, not ${typeof value === 'number' ? value : quoteCell(value)}`);
        return undefined;
      }
      if (value > MAX_COUNT) {
        this.problem(column, `the value for ${quoteCell(key)} is too large for a count`);
        return undefined;
      }
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }

  /** `groups`: a Python dict literal of SCIM group id → name. Blank = no group. */
  groups(column: string): Map<string, string> | undefined {
    const v = this.raw(column);
    if (v === '') return new Map();
    let dict;
    try {
      dict = parsePythonDict(v);
    } catch (error) {
      if (!(error instanceof PythonLiteralError)) throw error;
      this.problem(column, `is not a dict literal like {'<group id>': 'Group name'}: ${error.message}`);
      return undefined;
    }
    const out = new Map<string, string>();
    for (const [id, name] of dict) {
      if (typeof name !== 'string') {
        this.problem(column, `the name of group ${quoteCell(id)} must be a quoted string, not ${name}`);
        return undefined;
      }
      if (id === '') {
        this.problem(column, 'a group id is empty');
        return undefined;
      }
      out.set(id, name);
    }
    return out;
  }

  /** `department`: a JSON list of strings, e.g. ["finance","analytics"]; null when blank. */
  stringList(column: string): string[] | null | undefined {
    const v = this.raw(column);
    if (v === '') return null;
    const list = parseJsonStringList(v);
    if (typeof list === 'string') {
      this.problem(column, `${quoteCell(v)} is not a JSON list of strings like ["finance","analytics"]: ${list}`);
      return undefined;
    }
    return list;
  }
}

/** A JSON list of strings, or a string saying what is wrong with it. */
export function parseJsonStringList(text: string): string[] | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'it is not valid JSON';
  }
  if (!Array.isArray(value)) return 'it is not a list';
  const bad = value.find((v) => typeof v !== 'string');
  if (bad !== undefined) return `it holds ${JSON.stringify(bad)}, not a string`;
  return value as string[];
}
