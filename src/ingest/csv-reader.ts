/**
 * The shared streaming CSV reader (csv-parse, RFC 4180): UTF-8 with or without BOM, CRLF or LF
 * line ends, quoted cells spanning lines. Each record comes with its PHYSICAL start line (the
 * header is line 1), counted from the bytes, so error messages point at the line an editor
 * shows even after multi-line cells and skipped blank lines. Invalid UTF-8 is located by line
 * and flagged on the records it touches (the cells read U+FFFD there). Memory stays flat: only
 * the chunks the parser has not yet passed are kept.
 */
import { createHash, type Hash } from 'node:crypto';
import { CsvError, Parser, type Options } from 'csv-parse';
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
    // Records are taken as csv-parse pushes them, synchronously while it parses a chunk, so
    // none is lost when a later syntax error stops the parser. Physical lines are counted from
    // the records themselves: each record takes one line plus the line breaks inside its quoted
    // cells, and blank lines come through as one empty field (then skipped).
    const queue: CsvRecord[] = [];
    let line = 1;
    const parser = new RecordTap(
      {
        bom: true,
        relax_column_count: true,
        skip_empty_lines: false,
        record_delimiter: ['\r\n', '\n'],
        max_record_size: this.#maxRecordBytes,
      },
      (fields) => {
        const start = line;
        let breaks = 0;
        for (const f of fields) if (f.includes('\n')) breaks += countNewlines(f);
        line = start + 1 + breaks;
        if (fields.length === 1 && fields[0] === '') return; // a blank line
        const endLine = start + breaks;
        const bad = this.#badLines.size > 0 ? this.#invalidFields(fields, start, endLine) : undefined;
        queue.push(bad ? { line: start, endLine, fields, invalidUtf8Fields: bad } : { line: start, endLine, fields });
      },
    );
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
      const index = (failure as unknown as { index?: number }).index;
      throw new CsvSyntaxError(describeCsvError(failure, this.#maxRecordBytes), line, index);
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

/** csv-parse's stream, with each record handed over as it is parsed (never buffered). */
class RecordTap extends Parser {
  readonly #sink: (fields: string[]) => void;
  constructor(options: Options, sink: (fields: string[]) => void) {
    super(options);
    this.#sink = sink;
  }
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    this.#sink(chunk as string[]);
    return true;
  }
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
