/**
 * Holds one day's events, already encoded as UTF-8, until they can be written in time order.
 * Keeping bytes in one growing buffer (with times and offsets in typed arrays) rather than a
 * day's worth of line strings keeps the garbage collector out of the way: each line string dies
 * as soon as it is encoded.
 */
import type { FileSink } from './sink.ts';

const INITIAL_BYTES = 4 << 20;
const INITIAL_EVENTS = 16_384;

export class EventArena {
  private bytes = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  private used = 0;
  private times = new Float64Array(INITIAL_EVENTS);
  private starts = new Uint32Array(INITIAL_EVENTS);
  private lengths = new Uint32Array(INITIAL_EVENTS);
  private count = 0;

  /** Adds one line (with its newline) that happened at `time` (ms since the epoch). */
  add(time: number, line: string): void {
    if (this.used + line.length * 3 > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + line.length * 3));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    if (this.count === this.times.length) {
      const n = this.count * 2;
      this.times = grow(this.times, new Float64Array(n));
      this.starts = grow(this.starts, new Uint32Array(n));
      this.lengths = grow(this.lengths, new Uint32Array(n));
    }
    const length = this.bytes.write(line, this.used, 'utf8');
    this.times[this.count] = time;
    this.starts[this.count] = this.used;
    this.lengths[this.count] = length;
    this.count++;
    this.used += length;
  }

  /**
   * Writes the events before `cutoff` in time order (ties in the order they were added) and
   * keeps the later ones for the next call. Returns how many were written.
   */
  async writeBefore(cutoff: number, out: FileSink): Promise<number> {
    const { times, starts, lengths, count } = this;
    const order = new Uint32Array(count);
    for (let k = 0; k < count; k++) order[k] = k;
    order.sort((a, b) => times[a]! - times[b]! || a - b);

    let written = 0;
    const later: number[] = [];
    for (let j = 0; j < count; j++) {
      const k = order[j]!;
      if (times[k]! >= cutoff) {
        later.push(k);
        continue;
      }
      out.rowBytes(this.bytes, starts[k]!, starts[k]! + lengths[k]!);
      written++;
      if (out.full) await out.flush();
    }

    // Carry the later events to the front of the buffer, in time order.
    const carried = Buffer.allocUnsafe(later.reduce((sum, k) => sum + lengths[k]!, 0));
    let at = 0;
    const carriedTimes = later.map((k) => times[k]!);
    const carriedLengths = later.map((k) => lengths[k]!);
    for (const k of later) at += this.bytes.copy(carried, at, starts[k]!, starts[k]! + lengths[k]!);
    carried.copy(this.bytes, 0);
    this.used = carried.length;
    this.count = later.length;
    let start = 0;
    for (let k = 0; k < later.length; k++) {
      this.times[k] = carriedTimes[k]!;
      this.starts[k] = start;
      this.lengths[k] = carriedLengths[k]!;
      start += carriedLengths[k]!;
    }
    return written;
  }
}

function grow<T extends Float64Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
