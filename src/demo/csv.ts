/**
 * Cell encodings of real exports: RFC 4180 CSV cells quoted only where needed, Python dict
 * literals for maps (`{'gpt-5': 201}`, with Python's own choice of quote character), JSON lists.
 */

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: quoted only when it holds a comma, a double quote, CR or LF. */
export function csvCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Python's `repr()` of a str: single quotes unless the text holds a single quote and no double
 * quote; backslash escapes for the chosen quote, backslash and control characters.
 */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

/** A Python dict literal of str → str, in the given order; `''` when empty. */
export function pyStrDict(entries: readonly (readonly [string, string])[]): string {
  if (entries.length === 0) return '';
  return '{' + entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ') + '}';
}


/** A JSON list of strings without spaces, as the `department` column holds: `["finance","hr"]`. */
export function jsonList(items: readonly string[]): string {
  return items.length === 0 ? '' : JSON.stringify(items);
}
