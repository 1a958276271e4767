/**
 * Cell encodings of real exports (docs/design.md §4.1), shared by the demo generator and the
 * exports: RFC 4180 CSV cells quoted only where needed, Python dict literals for maps
 * (`{'gpt-5': 201}`, with Python's own choice of quote character), JSON lists — and the
 * spreadsheet safety of exports (§7): a cell a spreadsheet would run as a formula is neutralised.
 */

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV cell: quoted only when it holds a comma, a double quote, CR or LF. */
export function csvCell(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** What makes Python's repr of a str more than the text in single quotes. */
const PY_ESCAPED = /['\\\x00-\x1f\x7f]/;

/**
 * Python's `repr()` of a str: single quotes unless the text holds a single quote and no double
 * quote; backslash escapes for the chosen quote, backslash and control characters.
 */
export function pyRepr(text: string): string {
  if (!PY_ESCAPED.test(text)) return `'${text}'`;
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

/** A cell starting with one of these is a formula (or a hidden one) to a spreadsheet. */
const FORMULA_START = /^[=+\-@\t\r\n]/;

/**
 * Spreadsheet safety: a cell starting with `=`, `+`, `-`, `@`, tab, CR or LF gets a leading
 * apostrophe, so a spreadsheet shows it as text instead of running it; nothing else changes.
 */
export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A cell that is neither quoted nor neutralised is written as it is (the common case, checked once). */
const PLAIN_CELL = /^[=+\-@\t]|[",\r\n]/;

/** Cells joined by commas, each neutralised then quoted where needed (no line end). */
export function safeCsvCells(cells: readonly string[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ',';
    const cell = cells[i]!;
    line += PLAIN_CELL.test(cell) ? csvCell(neutralise(cell)) : cell;
  }
  return line;
}

/** One CSV line (LF-terminated) of cells, each neutralised then quoted where needed. */
export function safeCsvLine(cells: readonly string[]): string {
  return `${safeCsvCells(cells)}\n`;
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
