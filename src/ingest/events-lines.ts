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

async function* splitBytes(stream: AsyncIterable<Buffer | string>): AsyncGenerator<SourceLine> {
  let line = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let nl = buf.indexOf(LF, start); nl !== -1; nl = buf.indexOf(LF, start)) {
      line++;
      if (pendingBytes === 0) {
        yield decodeLine(buf.subarray(start, nl), line);
      } else {
        const tail = buf.subarray(start, nl);
        yield pendingBytes + tail.length > MAX_LINE_BYTES
          ? tooLong(line)
          : decodeLine(Buffer.concat([...pending, tail]), line);
        pending = [];
        pendingBytes = 0;
      }
      start = nl + 1;
    }
    if (start < buf.length) {
      // Past the limit, keep only the count: an endless line must not fill memory.
      if (pendingBytes <= MAX_LINE_BYTES) pending.push(Buffer.from(buf.subarray(start)));
      pendingBytes += buf.length - start;
    }
  }
  if (pendingBytes > 0) {
    line++;
    yield pendingBytes > MAX_LINE_BYTES ? tooLong(line) : decodeLine(Buffer.concat(pending), line);
  }
}

async function* numberLines(lines: AsyncIterable<string> | Iterable<string>): AsyncGenerator<SourceLine> {
  let line = 0;
  for await (const text of lines) {
    line++;
    yield { line, text: clean(text.endsWith('\n') ? text.slice(0, -1) : text, line) };
  }
}

export function sourceLines(source: EventSource): AsyncGenerator<SourceLine> {
  if (source instanceof Readable) return splitBytes(source as AsyncIterable<Buffer | string>);
  return numberLines(source);
}
