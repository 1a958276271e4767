/**
 * The shared streaming CSV reader (RFC 4180, tokenized by csv-records.ts): UTF-8 with or without BOM, CRLF or LF
 * line ends, quoted cells spanning lines. Each record comes with its PHYSICAL start line (the
 * header is line 1), counted from the bytes, so error messages point at the line an editor
 * shows even after multi-line cells and skipped blank lines. Invalid UTF-8 is located by line
 * and flagged on the records it touches (the cells read U+FFFD there). Memory stays flat: only
 * the chunks the parser has not yet passed are kept.
 */
import { createHash, type Hash } from 'node:crypto';
import { parseRecords, type CsvSyntaxCode, type CsvSyntaxFault, type ParsedRecord, type ParseState } from './csv-records.ts';
import { findInvalidUtf8, incompleteTailLength } from './utf8.ts';

export interface CsvRecord {
  /** Physical line where the record starts (header = 1). */
  readonly line: number;
  /** Physical line where it ends (greater than `line` when a quoted cell holds line breaks). */
  readonly endLine: number;
  readonly fields: string[];
  /** Indexes of the fields holding bytes that are not UTF-8 (they read U+FFFD). */
  readonly invalidUtf8Fields?: number[];
}

/** A structural CSV error that stops the reading (an unclosed quote, say). */
export class CsvSyntaxError extends Error {
  /** Physical line where the broken record starts. */
  readonly line: number;
  /** 0-based field index within that record. */
  readonly fieldIndex: number | undefined;
  constructor(message: string, line: number, fieldIndex: number | undefined) {
    super(message);
    this.name = 'CsvSyntaxError';
    this.line = line;
    this.fieldIndex = fieldIndex;
  }
}

export interface CsvReaderOptions {
  /** A record longer than this is refused (a quote left open would otherwise swallow the file). */
  maxRecordBytes?: number;
}

/** Longest record accepted by default: far above any real export row. */
export const DEFAULT_MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** How many distinct lines with bad bytes are remembered (the rest are only counted). */
const MAX_TRACKED_BAD_LINES = 1000;

export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * Reads CSV records from a byte source. Iterate `records()` once; afterwards `bytes` and
 * `sha256()` describe the whole input.
 */
export class CsvReader {
  readonly #input: ByteSource;
  readonly #maxRecordBytes: number;
  readonly #hash: Hash = createHash('sha256');
  /** Physical lines holding invalid UTF-8 (the first MAX_TRACKED_BAD_LINES of them). */
  readonly #badLines = new Set<number>();
  #badLineCount = 0;
  #bytes = 0;
  #used = false;

  constructor(input: ByteSource, options: CsvReaderOptions = {}) {
    this.#input = input;
    this.#maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** Bytes read so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Lines with invalid UTF-8 seen so far (may exceed the lines flagged on records). */
  get invalidUtf8LineCount(): number {
    return this.#badLineCount;
  }

  sha256(): string {
    return this.#hash.copy().digest('hex');
  }

  async *records(): AsyncGenerator<CsvRecord> {
    if (this.#used) throw new Error('CsvReader.records() can be iterated once');
    this.#used = true;
    // Decoded text not yet made into records (an incomplete record). Bytes are decoded as
    // Buffer#toString does (bad bytes read U+FFFD, flagged per field below); a character cut by
    // the end of a chunk waits for the next one.
    const state: ParseState = { line: 1 };
    let pending = '';
    let cut: Buffer | undefined;
    let first = true;
    const parsed: ParsedRecord[] = [];
    let fault: CsvSyntaxFault | undefined;
    const take = (text: string, final: boolean): CsvRecord[] => {
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      const outcome = parseRecords(text, final, this.#maxRecordBytes, state, parsed);
      fault = outcome.fault;
      pending = outcome.consumed === 0 ? text : text.slice(outcome.consumed);
      const records = this.#badLines.size > 0 ? parsed.map((r) => this.#flagged(r)) : (parsed.slice() as CsvRecord[]);
      parsed.length = 0;
      return records;
    };
    for await (const chunk of this.#chunks()) {
      const bytes = cut ? Buffer.concat([cut, chunk]) : chunk;
      const whole = bytes.length - incompleteTailLength(bytes);
      cut = whole < bytes.length ? Buffer.from(bytes.subarray(whole)) : undefined;
      yield* take(pending + bytes.toString('utf8', 0, whole), false);
      if (fault) break;
    }
    if (!fault) yield* take(pending + (cut ? cut.toString('utf8') : ''), true);
    if (fault) {
      throw new CsvSyntaxError(describeFault(fault.code, this.#maxRecordBytes), fault.line, fault.fieldIndex);
    }
  }

  #flagged(record: ParsedRecord): CsvRecord {
    const bad = this.#invalidFields(record.fields, record.line, record.endLine);
    return bad ? { ...record, invalidUtf8Fields: bad } : record;
  }

  #invalidFields(record: string[], line: number, endLine: number): number[] | undefined {
    let touched = false;
    for (let l = line; l <= endLine && !touched; l++) touched = this.#badLines.has(l);
    if (!touched) return undefined;
    const fields: number[] = [];
    record.forEach((f, i) => {
      if (f.includes('\uFFFD')) fields.push(i);
    });
    // A bad byte in a delimiter position still spoils the record: flag it as a whole.
    return fields.length > 0 ? fields : [-1];
  }

  /** The input as Buffers, hashed, indexed by line, and checked for UTF-8 on the way. */
  async *#chunks(): AsyncGenerator<Buffer> {
    let carry: Buffer = Buffer.alloc(0);
    let linesBeforeCarry = 1; // physical line at the start of `carry`
    for await (const piece of this.#input) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      if (chunk.length === 0) continue;
      this.#hash.update(chunk);
      this.#bytes += chunk.length;
      const joined = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const tail = incompleteTailLength(joined);
      const body = joined.subarray(0, joined.length - tail);
      linesBeforeCarry = this.#checkUtf8(body, linesBeforeCarry);
      carry = Buffer.from(joined.subarray(joined.length - tail));
      yield chunk;
    }
    if (carry.length > 0) this.#checkUtf8(carry, linesBeforeCarry, true);
  }

  /** Records the lines of invalid sequences in `body`; returns the line after it. */
  #checkUtf8(body: Buffer, firstLine: number, truncated = false): number {
    const bad = truncated ? [0] : findInvalidUtf8(body, 10_000);
    let line = firstLine;
    let at = 0;
    for (const offset of bad) {
      line += countNewlines(body, at, offset);
      at = offset;
      if (this.#badLines.has(line)) continue;
      this.#badLineCount++;
      if (this.#badLines.size < MAX_TRACKED_BAD_LINES) this.#badLines.add(line);
    }
    return line + countNewlines(body, at, body.length);
  }
}

function describeFault(code: CsvSyntaxCode, maxRecordBytes: number): string {
  switch (code) {
    case 'QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed (its closing " is missing)';
    case 'INVALID_CLOSING_QUOTE':
      return 'text follows the closing quote of a cell (a " inside a quoted cell must be written "")';
    case 'INVALID_OPENING_QUOTE':
      return 'a " inside an unquoted cell (such a cell must be quoted and the " written "")';
    case 'MAX_RECORD_SIZE':
      return `a row longer than ${maxRecordBytes} bytes (a quote left open?)`;
  }
}

function countNewlines(text: string | Uint8Array, from = 0, to = text.length): number {
  let n = 0;
  let i = from;
  for (;;) {
    i = typeof text === 'string' ? text.indexOf('\n', i) : text.indexOf(10, i);
    if (i < 0 || i >= to) return n;
    n++;
    i++;
  }
}
