/**
 * Reads the small YAML subset manifest/slack.yaml is written in — block mappings, block sequences
 * of scalars or of mappings, plain / "double" / 'single' quoted scalars, comments — and refuses
 * anything else (flow collections, anchors, block scalars, tabs), so the test never misreads the
 * file. It also keeps each sequence scalar's trailing comment, where the manifest gives reasons.
 * (A full YAML parser would be the `yaml` package, which is not a dependency of the project.)
 */

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  number: number;
  indent: number;
  text: string;
  comment: string | undefined;
}

export interface ParsedYaml {
  value: YamlValue;
  /** Trailing comment of each sequence item scalar, by its value. */
  itemComments: Map<string, string>;
}

function splitComment(raw: string, number: number): { text: string; comment: string | undefined } {
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i] as string;
    if (quote) {
      if (ch === '\\' && quote === '"') i += 1;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      if (i === 0 || /[\s:-]/.test(raw[i - 1] as string)) quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(raw[i - 1] as string))) {
      return { text: raw.slice(0, i).trimEnd(), comment: raw.slice(i + 1).trim() };
    }
  }
  if (quote) throw new Error(`line ${number}: unterminated quote`);
  return { text: raw.trimEnd(), comment: undefined };
}

function scalar(text: string, number: number): YamlValue {
  const t = text.trim();
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2) throw new Error(`line ${number}: bad double-quoted scalar`);
    return JSON.parse(t) as string;
  }
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new Error(`line ${number}: bad single-quoted scalar`);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (/^[[{&*|>!%@`]/.test(t)) throw new Error(`line ${number}: unsupported YAML (${t.slice(0, 10)}…)`);
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null' || t === '~' || t === '') return null;
  if (/^-?\d+$/.test(t)) return Number(t);
  return t;
}

const KEY = /^([A-Za-z0-9_$.\-]+):(?:\s+(.*))?$/;

export function parseYamlSubset(source: string): ParsedYaml {
  const lines: Line[] = [];
  source.split('\n').forEach((raw, i) => {
    const number = i + 1;
    if (raw.includes('\t')) throw new Error(`line ${number}: tab`);
    if (raw.trim() === '' || raw.trim().startsWith('#')) return;
    if (raw.trim() === '---' || raw.trim() === '...') throw new Error(`line ${number}: one document only`);
    const indent = raw.length - raw.trimStart().length;
    const { text, comment } = splitComment(raw.trimStart(), number);
    lines.push({ number, indent, text, comment });
  });
  const itemComments = new Map<string, string>();
  let pos = 0;

  function block(indent: number): YamlValue {
    const first = lines[pos];
    if (!first || first.indent !== indent) throw new Error(`line ${first?.number ?? 'end'}: expected indentation ${indent}`);
    return first.text.startsWith('- ') || first.text === '-' ? sequence(indent) : mapping(indent);
  }

  function mapping(indent: number, seed?: { key: string; rest: string | undefined; line: Line }): YamlValue {
    const out: { [key: string]: YamlValue } = {};
    const take = (key: string, rest: string | undefined, line: Line) => {
      if (key in out) throw new Error(`line ${line.number}: duplicate key ${key}`);
      if (rest !== undefined && rest !== '') out[key] = scalar(rest, line.number);
      else {
        const next = lines[pos];
        out[key] = next && next.indent > line.indent ? block(next.indent) : null;
      }
    };
    if (seed) take(seed.key, seed.rest, seed.line);
    while (pos < lines.length) {
      const line = lines[pos] as Line;
      if (line.indent < indent) break;
      if (line.indent > indent) throw new Error(`line ${line.number}: unexpected indentation`);
      const m = KEY.exec(line.text);
      if (!m) throw new Error(`line ${line.number}: expected "key: value"`);
      pos += 1;
      take(m[1] as string, m[2], line);
    }
    return out;
  }

  function sequence(indent: number): YamlValue {
    const out: YamlValue[] = [];
    while (pos < lines.length) {
      const line = lines[pos] as Line;
      if (line.indent < indent) break;
      if (line.indent > indent || !line.text.startsWith('- ')) throw new Error(`line ${line.number}: expected "- item"`);
      pos += 1;
      const rest = line.text.slice(2).trim();
      const m = KEY.exec(rest);
      if (m) {
        // "- key: value" starts a mapping whose further keys sit under the key.
        const itemIndent = indent + 2;
        out.push(mapping(itemIndent, { key: m[1] as string, rest: m[2], line: { ...line, indent: itemIndent } }));
      } else {
        const value = scalar(rest, line.number);
        if (line.comment && typeof value === 'string') itemComments.set(value, line.comment);
        out.push(value);
      }
    }
    return out;
  }

  const value = lines.length === 0 ? null : block(lines[0]?.indent ?? 0);
  if (pos < lines.length) throw new Error(`line ${lines[pos]?.number}: unexpected content`);
  return { value, itemComments };
}
