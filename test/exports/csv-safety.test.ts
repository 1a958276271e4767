/**
 * Spreadsheet safety of exported cells (docs/design.md §7 "Exports"): an apostrophe, nothing else.
 * Python literals as real exports write them: a str (in the process), and a count map (written by
 * the database, on both backends), each against hand-written expectations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { neutralise, pyRepr, safeCsvLine } from '../../src/core/csv.ts';
import { keyCountSql, pyCountDictSql, summedMapSql } from '../../src/exports/sql-cells.ts';
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

describe.each(backends())('count maps written by the database on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  const cell = async (map: unknown) => {
    const value = sql`${map === null ? null : JSON.stringify(map)}::jsonb`;
    const { rows } = await sql<{ cell: string; keys: number }>`select ${pyCountDictSql(value)} as cell, ${keyCountSql(value)} as keys`.execute(store.db);
    return rows[0]!;
  };

  it('writes a count map largest first, ties by key, blank when empty or null', async () => {
    expect(await cell({ o3: 10, 'gpt-5': 400, a: 10 })).toEqual({ cell: "{'gpt-5': 400, 'a': 10, 'o3': 10}", keys: 3 });
    expect(await cell({})).toEqual({ cell: '', keys: 0 });
    expect(await cell(null)).toEqual({ cell: '', keys: 0 });
  });

  it('quotes and escapes each key as Python would', async () => {
    expect((await cell({ "R&D 'Core'": 2 })).cell).toBe(`{"R&D 'Core'": 2}`);
    expect((await cell({ [`It's "fine"`]: 1 })).cell).toBe(`{'It\\'s "fine"': 1}`);
    expect((await cell({ 'a\\b\n': 3 })).cell).toBe("{'a\\\\b\\n': 3}");
    expect((await cell({ 'tab\there\r': 1, 'bell\u0007': 1, 'del\u007f': 1, Zoë: 1 })).cell).toBe(
      "{'Zoë': 1, 'bell\\x07': 1, 'del\\x7f': 1, 'tab\\there\\r': 1}",
    );
  });

  it('sums several maps into one', async () => {
    const maps = [{ 'gpt-5': 2, o3: 1 }, { 'gpt-5': 3 }, {}];
    const { rows } = await sql<{ cell: string }>`select ${pyCountDictSql(summedMapSql(sql`${JSON.stringify(maps)}::jsonb`))} as cell`.execute(store.db);
    expect(rows[0]!.cell).toBe("{'gpt-5': 5, 'o3': 1}");
  });
});
