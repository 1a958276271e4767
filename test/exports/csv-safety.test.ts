/** Spreadsheet safety of exported cells (docs/design.md §7 "Exports"): an apostrophe, nothing else. */
import { describe, expect, it } from 'vitest';
import { neutralise, pyCountDict, pyRepr, safeCsvLine } from '../../src/core/csv.ts';

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

  it('writes a count map largest first, ties by key, blank when empty', () => {
    expect(pyCountDict({ o3: 10, 'gpt-5': 400, a: 10 })).toBe("{'gpt-5': 400, 'a': 10, 'o3': 10}");
    expect(pyCountDict({})).toBe('');
    expect(pyCountDict(null)).toBe('');
  });
});
