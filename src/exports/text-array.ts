/**
 * A one-dimensional `text[]` as PostgreSQL prints it (`{a,"b c","d\"e"}`), read back. The Users
 * export reads `group_ids` as this text and writes each distinct value's `groups` cell once:
 * pg's own array parser builds an object per character, which was a third of the process's time
 * reading a 100k-row week.
 *
 * array_out's rules: an element is double-quoted when it is empty, spells NULL, or holds a brace,
 * a comma, a double quote, a backslash or white space; inside the quotes `"` and `\` are escaped
 * with a backslash. An unquoted NULL is a null element.
 */
function malformed(text: string): Error {
  return new Error(`not a one-dimensional text[] literal: ${JSON.stringify(text.slice(0, 80))}`);
}

export function parseTextArray(text: string): Array<string | null> {
  if (text.charCodeAt(0) !== 0x7b /* { */ || text.charCodeAt(text.length - 1) !== 0x7d /* } */) throw malformed(text);
  const out: Array<string | null> = [];
  if (text.length === 2) return out;
  let i = 1;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const c = text[i];
        if (c === undefined) throw malformed(text);
        if (c === '"') break;
        if (c === '\\') i++;
        value += text[i];
        i++;
      }
      out.push(value);
      i++;
    } else {
      let end = i;
      while (end < text.length - 1 && text[end] !== ',') end++;
      const value = text.slice(i, end);
      if (value === '' || value[0] === '{') throw malformed(text);
      out.push(value.toUpperCase() === 'NULL' ? null : value);
      i = end;
    }
    if (text[i] === '}' && i === text.length - 1) return out;
    if (text[i] !== ',') throw malformed(text);
    i++;
  }
}
