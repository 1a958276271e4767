/**
 * A parser for the Python dict literals that ChatGPT Users reports write in their map and
 * `groups` columns (docs/design.md §4.1): `{'gpt-5': 201, 'o3': 13}`,
 * `{'6806684c27e88190b4cb45225dded629': "Sales 'EMEA'"}`. They are Python `repr()` output, not
 * JSON: strings take single or double quotes (Python picks the other kind when the text holds a
 * quote) with backslash escapes, values are ints or strings, a trailing comma is allowed.
 * Nesting, floats and other Python values are not needed and are refused. No library fits, so it
 * is written here; it never rewrites quotes, it reads the literal token by token.
 */

export type PythonScalar = string | number;

/** A parsed dict: keys in their literal order. */
export type PythonDict = Map<string, PythonScalar>;

export class PythonLiteralError extends Error {
  /** 0-based character offset in the text where the problem is. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} (at character ${offset + 1})`);
    this.name = 'PythonLiteralError';
    this.offset = offset;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '', // backslash-newline continues the string
};

const HEX_ESCAPE_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      // space, tab, LF, CR, form feed, vertical tab
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) this.pos++;
      else break;
    }
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  fail(message: string, at = this.pos): never {
    throw new PythonLiteralError(message, at);
  }

  expect(ch: string, what: string): void {
    if (this.text[this.pos] !== ch) {
      this.fail(this.pos >= this.text.length ? `${what}, found the end of the text` : `${what}, found ${describe(this.peek())}`);
    }
    this.pos++;
  }

  string(): string {
    const t = this.text;
    const quote = t[this.pos];
    if (quote !== "'" && quote !== '"') this.fail(`expected a quoted string, found ${describe(this.peek())}`);
    const start = this.pos;
    // repr() never writes triple-quoted strings ('' alone is the empty string)
    if (t.startsWith(quote.repeat(3), start)) this.fail('triple-quoted strings are not supported', start);
    this.pos++;
    let out = '';
    let runStart = this.pos;
    for (;;) {
      const i = this.pos;
      if (i >= t.length) this.fail('unterminated string', start);
      const ch = t[i];
      if (ch === quote) {
        out += t.slice(runStart, i);
        this.pos = i + 1;
        return out;
      }
      if (ch === '\n' || ch === '\r') this.fail('line break inside a string', i);
      if (ch !== '\\') {
        this.pos = i + 1;
        continue;
      }
      out += t.slice(runStart, i);
      out += this.escape();
      runStart = this.pos;
    }
  }

  /** At a backslash: decodes one escape sequence, leaves pos after it. */
  private escape(): string {
    const t = this.text;
    const at = this.pos;
    const e = t[at + 1];
    if (e === undefined) this.fail('unterminated string', at);
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      this.pos = at + 2;
      return simple;
    }
    const hexDigits = HEX_ESCAPE_DIGITS[e];
    if (hexDigits !== undefined) {
      const hex = t.slice(at + 2, at + 2 + hexDigits);
      if (hex.length !== hexDigits || !/^[0-9a-fA-F]+$/.test(hex)) {
        this.fail(`\\${e} needs ${hexDigits} hex digits`, at);
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) this.fail(`\\${e}${hex} is beyond Unicode`, at);
      this.pos = at + 2 + hexDigits;
      return String.fromCodePoint(code);
    }
    if (e >= '0' && e <= '7') {
      let end = at + 1;
      while (end < at + 4 && t[end]! >= '0' && t[end]! <= '7') end++;
      this.pos = end;
      return String.fromCodePoint(parseInt(t.slice(at + 1, end), 8));
    }
    if (e === 'N') this.fail('named escapes (\\N{…}) are not supported', at);
    if (e === '\r') {
      // backslash + CRLF continues the string too
      this.pos = at + (t[at + 2] === '\n' ? 3 : 2);
      return '';
    }
    // Python keeps an unknown escape as written: '\d' is backslash + d.
    this.pos = at + 2;
    return `\\${e}`;
  }

  integer(): number {
    const t = this.text;
    const start = this.pos;
    let i = start;
    if (t[i] === '-' || t[i] === '+') i++;
    const digitsStart = i;
    while (i < t.length && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
    if (i === digitsStart) this.fail(`expected a number or a quoted string, found ${describe(this.peek())}`);
    // Python ints may group digits with underscores (1_000); repr() never writes them, refuse.
    const next = t[i];
    if (next !== undefined && /[0-9A-Za-z_.]/.test(next)) {
      this.fail(`not an integer: ${JSON.stringify(t.slice(start, i + 1))}…`, start);
    }
    const digits = t.slice(digitsStart, i);
    if (digits.length > 1 && digits[0] === '0') this.fail('an integer cannot start with 0', start);
    const value = Number(t.slice(start, i));
    if (!Number.isSafeInteger(value)) this.fail('integer too large', start);
    this.pos = i;
    return value === 0 ? 0 : value; // no -0
  }

  value(): PythonScalar {
    const c = this.peek();
    if (c === "'" || c === '"') return this.string();
    if (c === '{' || c === '[' || c === '(') this.fail('nested values are not supported');
    return this.integer();
  }
}

function describe(ch: string): string {
  return ch === '' ? 'the end of the text' : JSON.stringify(ch);
}

/**
 * Parses one Python dict literal with string keys and int or string values. Throws
 * PythonLiteralError (with the character offset) on anything else, including a repeated key.
 */
export function parsePythonDict(text: string): PythonDict {
  const r = new Reader(text);
  const out: PythonDict = new Map();
  r.skipSpace();
  r.expect('{', "expected '{'");
  r.skipSpace();
  while (r.peek() !== '}') {
    const keyAt = r.pos;
    if (r.pos >= text.length) r.fail("expected '}', found the end of the text");
    const key = r.string();
    if (out.has(key)) r.fail(`key ${JSON.stringify(key)} appears twice`, keyAt);
    r.skipSpace();
    r.expect(':', "expected ':' after a key");
    r.skipSpace();
    out.set(key, r.value());
    r.skipSpace();
    if (r.peek() === ',') {
      r.pos++;
      r.skipSpace();
    } else if (r.peek() !== '}') {
      r.fail(r.pos >= text.length ? "expected ',' or '}', found the end of the text" : `expected ',' or '}', found ${describe(r.peek())}`);
    }
  }
  r.pos++;
  r.skipSpace();
  if (r.pos < text.length) r.fail(`unexpected text after the closing '}': ${describe(r.peek())}`);
  return out;
}
