/**
 * A streaming file writer: text is encoded straight into one of two fixed chunk buffers, hashed
 * (sha256) as each chunk fills and written with backpressure — while one chunk is on its way to
 * the disk the other fills — so a 40 MB report never sits in memory whole, is never re-read to
 * hash, and no memory is allocated per chunk.
 */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

/** Bytes per chunk buffer. */
const CHUNK_BYTES = 1 << 20;
/** A UTF-8 code unit takes at most 3 bytes (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

export interface SinkResult {
  sha256: string;
  bytes: number;
  rows: number;
}

export class FileSink {
  private readonly out: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private readonly buffers = [Buffer.allocUnsafeSlow(CHUNK_BYTES), Buffer.allocUnsafeSlow(CHUNK_BYTES)];
  /** The write still using each buffer, if any. */
  private readonly inFlight: (Promise<void> | undefined)[] = [undefined, undefined];
  private current = 0;
  private used = 0;
  private bytes = 0;
  private failure: Error | undefined;
  /** Data rows written (a header is not a row). */
  rows = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.out = createWriteStream(path);
    this.out.on('error', (err) => {
      this.failure ??= err;
    });
  }

  /** Appends text (a header, say). Call `flush()` when `full`. */
  push(text: string): void {
    if (this.used + text.length * MAX_BYTES_PER_UNIT > CHUNK_BYTES) {
      if (text.length * MAX_BYTES_PER_UNIT > CHUNK_BYTES) throw new Error('FileSink: text larger than a chunk');
      this.overflow.push(text);
      return;
    }
    this.used += this.buffers[this.current]!.write(text, this.used, 'utf8');
  }

  /** Appends one data row. */
  row(text: string): void {
    this.push(text);
    this.rows++;
  }

  /** Appends one data row already encoded: `source[start, end)`. */
  rowBytes(source: Buffer, start: number, end: number): void {
    this.rows++;
    if (this.used + (end - start) > CHUNK_BYTES) {
      this.overflow.push(source.toString('utf8', start, end));
      return;
    }
    this.used += source.copy(this.buffers[this.current]!, this.used, start, end);
  }

  /** Text that did not fit in the current chunk; it opens the next one. */
  private overflow: string[] = [];

  /** Whether the caller should `await flush()` before pushing more. */
  get full(): boolean {
    return this.overflow.length > 0 || this.used > CHUNK_BYTES - 64 * 1024;
  }

  /** Hands the current chunk to the stream and moves to the other one once it is free. */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.used > 0) {
      const chunk = this.buffers[this.current]!.subarray(0, this.used);
      this.hash.update(chunk);
      this.bytes += this.used;
      const index = this.current;
      const written = new Promise<void>((resolve, reject) => {
        this.out.write(chunk, (err) => (err ? reject(err) : resolve()));
      });
      written.catch(() => undefined); // awaited below or on the next flush; never unhandled
      this.inFlight[index] = written;
      this.current = 1 - this.current;
      this.used = 0;
      await this.inFlight[this.current];
      this.inFlight[this.current] = undefined;
    }
    const pending = this.overflow;
    this.overflow = [];
    for (const text of pending) this.push(text);
    if (this.overflow.length > 0) await this.flush();
  }

  async close(): Promise<SinkResult> {
    await this.flush();
    if (this.used > 0) await this.flush();
    await Promise.all(this.inFlight);
    await new Promise<void>((resolve, reject) => {
      this.out.once('close', resolve);
      this.out.once('error', reject);
      this.out.end();
    });
    if (this.failure) throw this.failure;
    return { sha256: this.hash.digest('hex'), bytes: this.bytes, rows: this.rows };
  }
}
