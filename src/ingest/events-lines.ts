/**
 * Physical lines of an events source, numbered from 1, streamed: a byte stream (file, stdin, an
 * HTTP body) is split on LF before decoding — a UTF-8 sequence never contains the LF byte — so
 * every line is decoded on its own and a bad byte is reported on its own line. CRLF, a UTF-8 BOM
 * on the first line and a JSON text sequence's record separator (RFC 7464) are stripped.
 */
import { Readable } from 'node:stream';
import { MAX_LINE_BYTES } from './events-validate.ts';

/** Where events come from: a byte stream, or already-split lines (one string per line). */
export type EventSource = Readable | AsyncIterable<string> | Iterable<string>;

export type SourceLine =
  | { line: number; text: string }
  | { line: number; problem: string };

const LF = 0x0a;
const RS = '\u001e';
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function clean(text: string, line: number): string {
  let t = text;
  if (line === 1 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
  if (t.endsWith('\r')) t = t.slice(0, -1);
  if (t.startsWith(RS)) t = t.slice(1);
  return t;
}

function tooLong(line: number): SourceLine {
  return { line, problem: `line is longer than ${MAX_LINE_BYTES} bytes` };
}

function decodeLine(bytes: Uint8Array, line: number): SourceLine {
  if (bytes.length > MAX_LINE_BYTES) return tooLong(line);
  try {
    return { line, text: clean(decoder.decode(bytes), line) };
  } catch {
    return { line, problem: 'line is not valid UTF-8' };
  }
}

/**
 * Decodes whole lines (`bytes` ends just before an LF) numbered from `first`, into `out`. One
 * decode for the lot; only when that fails are the lines decoded one by one, to find the bad one.
 */
function decodeLines(bytes: Buffer, first: number, out: SourceLine[]): number {
  let text: string | undefined;
  try {
    text = decoder.decode(bytes);
  } catch {
    text = undefined;
  }
  let line = first;
  if (text !== undefined) {
    for (const part of text.split('\n')) {
      // A line's bytes are at least its UTF-16 length and at most three times it.
      const long = part.length > MAX_LINE_BYTES || (part.length * 3 > MAX_LINE_BYTES && Buffer.byteLength(part) > MAX_LINE_BYTES);
      out.push(long ? tooLong(line) : { line, text: clean(part, line) });
      line++;
    }
    return line;
  }
  let start = 0;
  for (;;) {
    const nl = bytes.indexOf(LF, start);
    out.push(decodeLine(bytes.subarray(start, nl === -1 ? bytes.length : nl), line));
    line++;
    if (nl === -1) return line;
    start = nl + 1;
  }
}

/** Lines of a byte stream, a chunk's worth at a time (one await per chunk, not per line). */
async function* splitBytes(stream: AsyncIterable<Buffer | string>): AsyncGenerator<SourceLine[]> {
  let next = 1;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const out: SourceLine[] = [];
    const last = buf.lastIndexOf(LF);
    let start = 0;
    if (last !== -1) {
      if (pendingBytes > 0) {
        // The first line began in an earlier chunk.
        const nl = buf.indexOf(LF);
        const head = buf.subarray(0, nl);
        out.push(
          pendingBytes + head.length > MAX_LINE_BYTES
            ? tooLong(next)
            : decodeLine(Buffer.concat([...pending, head]), next),
        );
        next++;
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
      }
      if (start <= last) next = decodeLines(buf.subarray(start, last), next, out);
      start = last + 1;
    }
    if (start < buf.length) {
      // Past the limit, keep only the count: an endless line must not fill memory.
      if (pendingBytes <= MAX_LINE_BYTES) pending.push(Buffer.from(buf.subarray(start)));
      pendingBytes += buf.length - start;
    }
    if (out.length > 0) yield out;
  }
  if (pendingBytes > 0) {
    yield [pendingBytes > MAX_LINE_BYTES ? tooLong(next) : decodeLine(Buffer.concat(pending), next)];
  }
}

async function* numberLines(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<SourceLine[]> {
  let line = 0;
  for await (const text of lines) {
    line++;
    yield [{ line, text: clean(text.endsWith('\n') ? text.slice(0, -1) : text, line) }];
  }
}

/** The numbered lines of a source, in groups (a chunk's worth for a byte stream). */
export function sourceLines(source: EventSource): AsyncGenerator<SourceLine[]> {
  if (source instanceof Readable) return splitBytes(source as AsyncIterable<Buffer | string>);
  return numberLines(source);
}
