/**
 * A map cell of an export written from the map's jsonb text (docs/design.md §7 "Exports"): the
 * Python dict literal `{'gpt-5': 201, 'o3': 12}` — largest count first, ties by the key's bytes
 * (PostgreSQL's `collate "C"`), each key as Python's `repr()` writes it (`pyRepr`), then quoted for
 * CSV where it holds a comma or a double quote. Blank when the map is null or empty.
 *
 * The database hands over `jsonb::text` — `{"key": 12, "other": 3}`, JSON escapes in the keys,
 * each count as PostgreSQL prints the number — and this scans it, so no object is built per map
 * and each count is written with the very digits the store holds. Formatting here rather than in
 * SQL: an ordered `string_agg` per map was most of the database's work on a 100k-row export (four
 * correlated subqueries per row, each with its own sort), on the one core the statement runs on.
 */
import { csvCell, pyRepr } from '../core/csv.ts';

/** One entry of a map: its key (decoded) and its count as the store printed it. */
interface Entry {
  key: string;
  count: string;
  value: number;
}

/** What the cell of a map is, and how many keys the map has (the distinct counts of a computed block). */
export interface CountMapCell {
  readonly cell: string;
  readonly keys: number;
}

const EMPTY: CountMapCell = { cell: '', keys: 0 };

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function malformed(text: string, at: number): Error {
  return new Error(`not a jsonb count map at offset ${at}: ${JSON.stringify(text.slice(0, 80))}`);
}

/** The JSON string starting at `text[start]` (a double quote): its value and the offset after it. */
function readKey(text: string, start: number): [string, number] {
  let i = start + 1;
  let out = '';
  let from = i;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) return [out + text.slice(from, i), i + 1];
    if (c === 0x5c /* \ */) {
      out += text.slice(from, i);
      const e = text[i + 1];
      if (e === 'u') {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else if (e !== undefined && e in SIMPLE_ESCAPES) {
        out += SIMPLE_ESCAPES[e];
        i += 2;
      } else throw malformed(text, i);
      from = i;
    } else if (Number.isNaN(c)) throw malformed(text, i);
    else i++;
  }
}

/** Ties by the key's UTF-8 bytes: UTF-16 order differs from it only where a key holds a character outside the BMP. */
function byKeyBytes(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function byCountThenKey(a: Entry, b: Entry): number {
  return b.value - a.value || byKeyBytes(a.key, b.key);
}

/** The cell of the jsonb count map printed as `text` (null or '': no map). */
export function countMapCell(text: string | null): CountMapCell {
  if (text === null || text === '' || text === '{}') return EMPTY;
  const entries = readEntries(text);
  if (entries.length > 1) entries.sort(byCountThenKey);
  // The common map: no backslash in its text, so no key holds a control character or a double
  // quote (jsonb escapes them), and no single quote: each key is written as it is, in single quotes.
  const plain = text.indexOf('\\') < 0 && text.indexOf("'") < 0;
  let dict = '{';
  for (let k = 0; k < entries.length; k++) {
    const e = entries[k]!;
    dict += (k > 0 ? ', ' : '') + (plain ? `'${e.key}'` : pyRepr(e.key)) + ': ' + e.count;
  }
  dict += '}';
  // Quoted for CSV where it holds a comma (a plain one holds no double quote nor line break).
  return { cell: plain ? (dict.includes(',') ? `"${dict}"` : dict) : csvCell(dict), keys: entries.length };
}

/** The entries of a map's jsonb text, in the text's order. */
function readEntries(text: string): Entry[] {
  if (text.charCodeAt(0) !== 0x7b /* { */) throw malformed(text, 0);
  const entries: Entry[] = [];
  let i = 1;
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) throw malformed(text, i);
    const [key, afterKey] = readKey(text, i);
    if (text.charCodeAt(afterKey) !== 0x3a /* : */) throw malformed(text, afterKey);
    // A count is a plain number: it ends at the next ", " or at the closing brace.
    const start = afterKey + 2;
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== 0x2c && text.charCodeAt(end) !== 0x7d) end++;
    const count = text.slice(start, end);
    const value = Number(count);
    if (count === '' || Number.isNaN(value)) throw malformed(text, start);
    entries.push({ key, count, value });
    if (text.charCodeAt(end) === 0x7d) {
      if (end !== text.length - 1) throw malformed(text, end);
      return entries;
    }
    i = end + 2;
  }
}
