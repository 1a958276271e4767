/**
 * Strict UTF-8 checking for streamed input: chunks may split a character, so the incomplete
 * tail of one chunk is carried into the next. Invalid sequences are located (rarely needed, so
 * the slow scan runs only when Node's fast `isUtf8` says no).
 */
import { isUtf8 } from 'node:buffer';

/** Bytes at the end of `buf` that start a character the chunk does not finish. */
export function incompleteTailLength(buf: Uint8Array): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = buf[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/**
 * Offsets where an ill-formed sequence starts (Unicode Table 3-7: no overlongs, no surrogates,
 * nothing above U+10FFFF). Stops after `limit` finds.
 */
export function invalidUtf8Offsets(buf: Uint8Array, limit = Infinity): number[] {
  const out: number[] = [];
  let i = 0;
  const n = buf.length;
  while (i < n && out.length < limit) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b === 0xe0) [need, lo] = [2, 0xa0];
    else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) need = 2;
    else if (b === 0xed) [need, hi] = [2, 0x9f];
    else if (b === 0xf0) [need, lo] = [3, 0x90];
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else if (b === 0xf4) [need, hi] = [3, 0x8f];
    if (need === 0) {
      out.push(i);
      i++;
      continue;
    }
    let ok = true;
    let j = 1;
    for (; j <= need; j++) {
      const c = buf[i + j];
      const [l, h] = j === 1 ? [lo, hi] : [0x80, 0xbf];
      if (c === undefined || c < l || c > h) {
        ok = false;
        break;
      }
    }
    if (ok) i += need + 1;
    else {
      out.push(i);
      i += j; // resume at the byte that broke the sequence
    }
  }
  return out;
}

/** Fast check first, then the locating scan. */
export function findInvalidUtf8(buf: Uint8Array, limit = Infinity): number[] {
  return isUtf8(buf) ? [] : invalidUtf8Offsets(buf, limit);
}
