import { describe, expect, it } from 'vitest';
import { parsePythonDict, PythonLiteralError } from '../../src/ingest/python-literal.ts';

const entries = (text: string) => [...parsePythonDict(text)];

describe('parsePythonDict', () => {
  it('reads the map columns of real Users reports', () => {
    expect(entries("{'gpt-5': 201, 'gpt-5-reasoning-pro': 13}")).toEqual([
      ['gpt-5', 201],
      ['gpt-5-reasoning-pro', 13],
    ]);
    expect(entries("{'Search': 460, 'Retrieval': 4, 'Data Analysis': 8}")).toEqual([
      ['Search', 460],
      ['Retrieval', 4],
      ['Data Analysis', 8],
    ]);
    expect(entries("{'6806684c27e88190b4cb45225dded629': 'SG-Chatgpt-Users'}")).toEqual([
      ['6806684c27e88190b4cb45225dded629', 'SG-Chatgpt-Users'],
    ]);
  });

  it('reads either quote kind, and the other kind inside', () => {
    expect(entries(`{'a': "O'Brien", "R&D 'Core'": 'x'}`)).toEqual([
      ['a', "O'Brien"],
      ["R&D 'Core'", 'x'],
    ]);
    expect(entries(`{'g': 'Support "Tier 2"'}`)).toEqual([['g', 'Support "Tier 2"']]);
    // both kinds: repr() keeps single quotes and escapes the single quote
    expect(entries(`{'g': 'It\\'s "fine"'}`)).toEqual([['g', `It's "fine"`]]);
    expect(entries(`{"g": "say \\"hi\\""}`)).toEqual([['g', 'say "hi"']]);
  });

  it('keeps commas, colons, braces and accents inside strings', () => {
    expect(entries(`{'a, b: {c}': 'd}', 'Zoë Łukasz 😀': 1}`)).toEqual([
      ['a, b: {c}', 'd}'],
      ['Zoë Łukasz 😀', 1],
    ]);
  });

  it('decodes escapes as Python does', () => {
    expect(parsePythonDict(String.raw`{'k': 'a\\b\nc\td\re'}`).get('k')).toBe('a\\b\nc\td\re');
    expect(parsePythonDict(String.raw`{'k': '\x41\u00e9\U0001F600'}`).get('k')).toBe('Aé😀');
    expect(parsePythonDict(String.raw`{'k': '\101\0'}`).get('k')).toBe('A\0');
    expect(parsePythonDict(String.raw`{'k': '\a\b\f\v'}`).get('k')).toBe('\x07\b\f\v');
    // an unknown escape stays as written
    expect(parsePythonDict(String.raw`{'k': 'C:\docs'}`).get('k')).toBe('C:\\docs');
  });

  it('accepts empty dicts, spacing and a trailing comma', () => {
    expect(entries('{}')).toEqual([]);
    expect(entries('  { }  ')).toEqual([]);
    expect(entries("{ 'a' :1 ,\n 'b':\t2, }")).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(entries("{'': 0}")).toEqual([['', 0]]);
  });

  it('reads negative ints (the caller refuses them as counts)', () => {
    expect(entries("{'a': -3}")).toEqual([['a', -3]]);
  });

  it('keeps key order and never mistakes __proto__ for a prototype', () => {
    const d = parsePythonDict("{'z': 1, '__proto__': 2, 'a': 3}");
    expect([...d.keys()]).toEqual(['z', '__proto__', 'a']);
  });

  it.each([
    ['', "expected '{', found the end of the text (at character 1)"],
    ["{'a': 1", "expected ',' or '}', found the end of the text (at character 8)"],
    ["{'a' 1}", `expected ':' after a key, found "1" (at character 6)`],
    ["{'a': 'b}", 'unterminated string (at character 7)'],
    ["{'a': 1} x", `unexpected text after the closing '}': "x" (at character 10)`],
    ["{'a': 1, 'a': 2}", 'key "a" appears twice (at character 10)'],
    ["{'a': {'b': 1}}", 'nested values are not supported (at character 7)'],
    ["{'a': 1.5}", 'not an integer: "1."… (at character 7)'],
    ["{'a': 1_000}", 'not an integer: "1_"… (at character 7)'],
    ["{'a': True}", 'expected a number or a quoted string, found "T" (at character 7)'],
    ["{'a': 007}", 'an integer cannot start with 0 (at character 7)'],
    ['{a: 1}', 'expected a quoted string, found "a" (at character 2)'],
    ["{'a': 1 'b': 2}", `expected ',' or '}', found "'" (at character 9)`],
    ["{,}", 'expected a quoted string, found "," (at character 2)'],
    ["{'a': 'x\ny'}", 'line break inside a string (at character 9)'],
    [String.raw`{'a': '\x4'}`, '\\x needs 2 hex digits (at character 8)'],
    [String.raw`{'a': '\N{DASH}'}`, 'named escapes (\\N{…}) are not supported (at character 8)'],
    ["{'''a''': 1}", 'triple-quoted strings are not supported (at character 2)'],
    ["{'a': 99999999999999999999}", 'integer too large (at character 7)'],
    ["['a']", `expected '{', found "[" (at character 1)`],
  ])('refuses %j', (text, message) => {
    expect(() => parsePythonDict(text)).toThrow(PythonLiteralError);
    expect(() => parsePythonDict(text)).toThrow(message);
  });

  it('round-trips what Python repr() writes for any text', () => {
    // Python's repr() of a str, ported: single quotes unless the text has ' and no ".
    const repr = (s: string) => {
      const q = s.includes("'") && !s.includes('"') ? '"' : "'";
      let out = '';
      for (const ch of s) {
        const c = ch.codePointAt(0)!;
        if (ch === '\\' || ch === q) out += `\\${ch}`;
        else if (ch === '\n') out += '\\n';
        else if (ch === '\r') out += '\\r';
        else if (ch === '\t') out += '\\t';
        else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
        else out += ch;
      }
      return q + out + q;
    };
    const alphabet = ["'", '"', '\\', ',', ':', '{', '}', ' ', 'a', 'Z', 'é', '😀', '\n', '\t', '\x01', 'x'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let n = 0; n < 500; n++) {
      const len = Math.floor(random() * 12);
      let key = '';
      for (let i = 0; i < len; i++) key += alphabet[Math.floor(random() * alphabet.length)];
      const value = [...key].reverse().join('');
      const text = `{${repr(key)}: ${repr(value)}, ${repr(`${key}#`)}: ${n}}`;
      expect([...parsePythonDict(text)]).toEqual([
        [key, value],
        [`${key}#`, n],
      ]);
    }
  });
});
