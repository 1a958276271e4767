/**
 * A small JSON parser that remembers the line of every value, so problems in an admin-supplied
 * JSON file (the impact question catalog) can name their line like CSV problems do. Strings and
 * numbers are decoded by JSON.parse on their own token, so their meaning is exactly JSON's.
 */

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

export interface LocatedJson {
  value: unknown;
  /** Line where `container`'s member `key` starts (or the container itself without a key). */
  lineOf(container: object, key?: string | number): number;
}

interface Lines {
  self: number;
  members: Map<string | number, number>;
}

export function parseLocatedJson(text: string): LocatedJson {
  const lines = new WeakMap<object, Lines>();
  let pos = 0;
  let line = 1;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, line);
  };
  const space = () => {
    for (;;) {
      const c = text[pos];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      pos++;
    }
  };
  const found = () => (pos >= text.length ? 'the end of the file' : JSON.stringify(text[pos]));
  const token = (pattern: RegExp, what: string): string => {
    pattern.lastIndex = pos;
    const m = pattern.exec(text);
    if (!m) fail(`expected ${what}, found ${found()}`);
    pos += m![0].length;
    return m![0];
  };
  const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
  const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

  const value = (): unknown => {
    space();
    const c = text[pos];
    if (c === '{') {
      const obj: Record<string, unknown> = {};
      const members = new Map<string | number, number>();
      lines.set(obj, { self: line, members });
      pos++;
      space();
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      for (;;) {
        space();
        if (text[pos] !== '"') fail(`expected a quoted member name, found ${found()}`);
        const keyLine = line;
        const key = JSON.parse(token(STRING, 'a quoted member name')) as string;
        if (Object.prototype.hasOwnProperty.call(obj, key)) fail(`member "${key}" appears twice`);
        space();
        if (text[pos] !== ':') fail(`expected ':' after "${key}", found ${found()}`);
        pos++;
        members.set(key, keyLine);
        Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
        space();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return obj;
        }
        fail(`expected ',' or '}', found ${found()}`);
      }
    }
    if (c === '[') {
      const arr: unknown[] = [];
      const members = new Map<string | number, number>();
      lines.set(arr, { self: line, members });
      pos++;
      space();
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      for (;;) {
        space();
        members.set(arr.length, line);
        arr.push(value());
        space();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return arr;
        }
        fail(`expected ',' or ']', found ${found()}`);
      }
    }
    if (c === '"') return JSON.parse(token(STRING, 'a valid string')) as string;
    if (c === 't') return token(/true/y, 'a value') && true;
    if (c === 'f') return token(/false/y, 'a value') && false;
    if (c === 'n') return token(/null/y, 'a value') && null;
    return Number(token(NUMBER, 'a value'));
  };

  const root = value();
  space();
  if (pos < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
  return {
    value: root,
    lineOf(container, key) {
      const entry = lines.get(container);
      if (!entry) return 0;
      return key === undefined ? entry.self : (entry.members.get(key) ?? entry.self);
    },
  };
}
