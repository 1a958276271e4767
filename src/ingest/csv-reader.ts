/**
 * The shared streaming CSV reader (csv-parse, RFC 4180): UTF-8 with or without BOM, CRLF or LF
 * line ends, quoted cells spanning lines. Each record comes with its PHYSICAL start line (the
 * header is line 1), counted from the bytes, so error messages point at the line an editor
 * shows even after multi-line cells and skipped blank lines. Invalid UTF-8 is located by line
 * and flagged on the records it touches (the cells read U+FFFD there). Memory stays flat: only
 * the chunks the parser has not yet passed are kept.
 */
import { createHash, type Hash } from 'node:crypto';
import { CsvError, parse } from 'csv-parse';
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
  /** 0-based field index within that record, when csv-parse knows it. */
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
  readonly #lines = new LineIndex();
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
    // Records are taken in `on_record`, synchronously as csv-parse finds them, so their lines
    // are computed in parse order and none is lost when a later syntax error stops the parser.
    const queue: CsvRecord[] = [];
    let previousEnd = 0;
    let previousEmpty = 0;
    const parser = parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n'],
      max_record_size: this.#maxRecordBytes,
      on_record: (fields: string[], info: ParseInfo) => {
        const line = this.#lines.lineAt(previousEnd) + (info.empty_lines - previousEmpty);
        const endLine = this.#lines.lineAt(info.bytes - 1);
        previousEnd = info.bytes;
        previousEmpty = info.empty_lines;
        const bad = this.#badLines.size > 0 ? this.#invalidFields(fields, line, endLine) : undefined;
        queue.push(bad ? { line, endLine, fields, invalidUtf8Fields: bad } : { line, endLine, fields });
        return null;
      },
    });
    let failure: unknown;
    parser.on('error', (error) => {
      failure ??= error;
    });
    parser.resume();
    try {
      for await (const chunk of this.#chunks()) {
        await new Promise<void>((resolve) => parser.write(chunk, () => resolve()));
        yield* queue.splice(0);
        if (failure) break;
      }
      if (!failure) {
        await new Promise<void>((resolve) => {
          parser.once('close', resolve).once('finish', resolve);
          parser.end();
        });
        yield* queue.splice(0);
      }
    } finally {
      parser.destroy();
    }
    if (failure instanceof CsvError) {
      const info = failure as unknown as { empty_lines?: number; index?: number };
      const line = this.#lines.lineAt(previousEnd) + ((info.empty_lines ?? previousEmpty) - previousEmpty);
      throw new CsvSyntaxError(describeCsvError(failure, this.#maxRecordBytes), line, info.index);
    }
    if (failure) throw failure;
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
      this.#lines.add(chunk);
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

interface ParseInfo {
  bytes: number;
  empty_lines: number;
}

function describeCsvError(error: CsvError, maxRecordBytes: number): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed (its closing " is missing)';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text follows the closing quote of a cell (a " inside a quoted cell must be written "")';
    case 'INVALID_OPENING_QUOTE':
      return 'a " inside an unquoted cell (such a cell must be quoted and the " written "")';
    case 'CSV_MAX_RECORD_SIZE':
      return `a row longer than ${maxRecordBytes} bytes (a quote left open?)`;
    default:
      return error.message;
  }
}

function countNewlines(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  let i = from;
  for (;;) {
    i = buf.indexOf(10, i);
    if (i < 0 || i >= to) return n;
    n++;
    i++;
  }
}

/**
 * Maps byte offsets to physical lines for offsets asked in increasing order, keeping only the
 * chunks not yet passed.
 */
export class LineIndex {
  #chunks: Buffer[] = [];
  /** Offset of the first kept chunk. */
  #firstStart = 0;
  #cursor = 0;
  #cursorLine = 1;

  add(chunk: Buffer): void {
    this.#chunks.push(chunk);
  }

  /** 1 + the number of LF bytes before `offset`. */
  lineAt(offset: number): number {
    if (offset < this.#cursor) {
      throw new Error(`LineIndex: offset ${offset} is behind the cursor ${this.#cursor}`);
    }
    while (this.#cursor < offset) {
      const chunk = this.#chunks[0];
      if (!chunk) throw new Error(`LineIndex: offset ${offset} is beyond the data read`);
      const from = this.#cursor - this.#firstStart;
      const to = Math.min(chunk.length, offset - this.#firstStart);
      this.#cursorLine += countNewlines(chunk, from, to);
      this.#cursor = this.#firstStart + to;
      if (to === chunk.length) {
        this.#chunks.shift();
        this.#firstStart += chunk.length;
      }
    }
    return this.#cursorLine;
  }
}
