/**
 * Spreadsheet safety of exported cells (docs/design.md §7 "Exports"): an apostrophe, nothing else.
 * Python literals as real exports write them: a str, and a count map (written from the jsonb text
 * each backend prints, and summed by the database for computed blocks), each against hand-written
 * expectations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { neutralise, pyRepr, safeCsvLine } from '../../src/core/csv.ts';
import { countMapCell } from '../../src/exports/count-map-cell.ts';
import { parseTextArray } from '../../src/exports/text-array.ts';
import { backends, openTestStore, type TestStore } from '../support/store.ts';

describe('spreadsheet safety', () => {
  it.each(['=1+2', '+44 20 7946 0000', '-director', '@SUM(A1)', '\tlead', '\rx', '\nx'])('neutralises %j', (cell) => {
    expect(neutralise(cell)).toBe(`'${cell}`);
  });

  it.each(['', 'a=b', ' =1', "'quoted", 'Zoë', '12', '2025-10-26', '{}', '"x"'])('leaves %j as it is', (cell) => {
    expect(neutralise(cell)).toBe(cell);
  });

  it('neutralises before quoting, and quotes only where needed', () => {
    expect(safeCsvLine(['Weekly', '=HYPERLINK("x")', 'a,b', 'Ann\r\nB', '\nz', '-1'])).toBe(
      'Weekly,"\'=HYPERLINK(""x"")","a,b","Ann\r\nB","\'\nz",\'-1\n',
    );
  });
});

describe('Python literals', () => {
  it('writes a str as Python would, the common case and the escaped ones', () => {
    expect(pyRepr('SG-Chatgpt-Users')).toBe("'SG-Chatgpt-Users'");
    expect(pyRepr("R&D 'Core'")).toBe(`"R&D 'Core'"`);
    expect(pyRepr(`It's "fine"`)).toBe(`'It\\'s "fine"'`);
    expect(pyRepr('a\\b\n')).toBe("'a\\\\b\\n'");
  });
});

describe.each(backends())('count maps from the jsonb text of %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  /** The map stored as jsonb and printed back by the database, as the export reads it. */
  const cell = async (map: unknown) => {
    const value = map === null ? null : JSON.stringify(map);
    const { rows } = await sql<{ map: string | null }>`select ${value}::jsonb::text as map`.execute(store.db);
    return countMapCell(rows[0]!.map);
  };

  it('writes a count map largest first, ties by key, blank when empty or null', async () => {
    expect(await cell({ o3: 10, 'gpt-5': 400, a: 10 })).toEqual({ cell: `"{'gpt-5': 400, 'a': 10, 'o3': 10}"`, keys: 3 });
    expect(await cell({ 'gpt-5': 7 })).toEqual({ cell: "{'gpt-5': 7}", keys: 1 });
    expect(await cell({})).toEqual({ cell: '', keys: 0 });
    expect(await cell(null)).toEqual({ cell: '', keys: 0 });
  });

  it('keeps the count as the store holds it, however large', async () => {
    expect((await cell({ big: 2147483647, small: 0 })).cell).toBe(`"{'big': 2147483647, 'small': 0}"`);
  });

  it('orders ties by the bytes of the keys, as PostgreSQL\'s "C" collation does', async () => {
    // U+FF5E sorts after U+1F600 in UTF-16 code units, before it in UTF-8 bytes.
    expect((await cell({ '\u{1F600}': 1, '\uFF5E': 1, Z: 1, a: 1 })).cell).toBe(`"{'Z': 1, 'a': 1, '\uFF5E': 1, '\u{1F600}': 1}"`);
  });

  it('quotes and escapes each key as Python would, then the cell for CSV', async () => {
    expect((await cell({ "R&D 'Core'": 2 })).cell).toBe(`"{""R&D 'Core'"": 2}"`);
    expect((await cell({ [`It's "fine"`]: 1 })).cell).toBe(`"{'It\\'s ""fine""': 1}"`);
    expect((await cell({ 'a\\b\n': 3 })).cell).toBe("{'a\\\\b\\n': 3}");
    expect((await cell({ 'tab\there\r': 1, 'bell\u0007': 1, 'del\u007f': 1, Zoë: 1, 'x/y': 1, 'ff\f': 1 })).cell).toBe(
      `"{'Zoë': 1, 'bell\\x07': 1, 'del\\x7f': 1, 'ff\\x0c': 1, 'tab\\there\\r': 1, 'x/y': 1}"`,
    );
  });

  it('refuses text that is not a count map', () => {
    expect(() => countMapCell('{"a": "x"}')).toThrow(/not a jsonb count map/);
    expect(() => countMapCell('[1]')).toThrow(/not a jsonb count map/);
  });
});

describe.each(backends())('group lists as %s prints a text[]', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  const roundTrip = async (list: Array<string | null>) => {
    const { rows } = await sql<{ text: string }>`select ${list}::text[]::text as text`.execute(store.db);
    return parseTextArray(rows[0]!.text);
  };

  it('reads back plain ids, and ids the database quotes and escapes', async () => {
    expect(await roundTrip([])).toEqual([]);
    expect(await roundTrip(['6806684c27e88190b4cb45225dded629', 'g-2'])).toEqual(['6806684c27e88190b4cb45225dded629', 'g-2']);
    const odd = ['', 'NULL', 'null', 'a b', 'say "hi"', 'back\\slash', 'a,b', '{x}', 'tab\t', 'Zoë', ' lead'];
    expect(await roundTrip(odd)).toEqual(odd);
    expect(await roundTrip(['a', null])).toEqual(['a', null]);
  });

  it('refuses what is not a one-dimensional text[]', () => {
    expect(() => parseTextArray('{{a},{b}}')).toThrow(/not a one-dimensional/);
    expect(() => parseTextArray('a,b')).toThrow(/not a one-dimensional/);
    expect(() => parseTextArray('{"a}')).toThrow(/not a one-dimensional/);
  });
});
