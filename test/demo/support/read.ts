/**
 * Readers for checking generated files independently of the generator: CSV through csv-parse,
 * Python dict literals through a small parser written here (strings in either quote, with
 * backslash escapes, and integers), sha256 of files on disk.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface Csv {
  header: string[];
  rows: Record<string, string>[];
  /** The file's text, for checks on the raw form. */
  text: string;
}

export function readCsv(path: string): Csv {
  const text = readFileSync(path, 'utf8');
  const records = parse(text, { relax_column_count: false }) as string[][];
  const [header, ...body] = records;
  if (!header) throw new Error(`${path}: empty`);
  return {
    header,
    rows: body.map((cells) => Object.fromEntries(header.map((h, k) => [h, cells[k]!]))),
    text,
  };
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Parses a Python dict literal of str keys to str or int values; '' → {}. */
export function parsePyDict(text: string): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (text === '') return out;
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`bad Python literal at ${i}: ${why}: ${text}`);
  };
  const space = () => {
    while (text[i] === ' ') i++;
  };
  const expect = (ch: string) => {
    space();
    if (text[i] !== ch) fail(`expected ${ch}`);
    i++;
  };
  const str = (): string => {
    space();
    const quote = text[i];
    if (quote !== "'" && quote !== '"') fail('expected a string');
    i++;
    let s = '';
    for (;;) {
      const ch = text[i++];
      if (ch === undefined) fail('unterminated string');
      if (ch === quote) return s;
      if (ch === '\\') {
        const e = text[i++];
        if (e === 'n') s += '\n';
        else if (e === 't') s += '\t';
        else if (e === 'r') s += '\r';
        else if (e === 'x') {
          s += String.fromCharCode(parseInt(text.slice(i, i + 2), 16));
          i += 2;
        } else s += e;
      } else s += ch;
    }
  };
  const value = (): string | number => {
    space();
    if (text[i] === "'" || text[i] === '"') return str();
    const m = /^-?\d+/.exec(text.slice(i));
    if (!m) fail('expected a value');
    i += m![0].length;
    return Number(m![0]);
  };
  expect('{');
  space();
  if (text[i] === '}') {
    i++;
  } else {
    for (;;) {
      const k = str();
      expect(':');
      out[k] = value();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      expect('}');
      break;
    }
  }
  space();
  if (i !== text.length) fail('trailing text');
  return out;
}

export function sum(map: Record<string, string | number>): number {
  return Object.values(map).reduce<number>((a, v) => a + Number(v), 0);
}
