import { describe, expect, it } from 'vitest';
import { csvCell, pyRepr, pyStrDict } from '../../src/core/csv.ts';
import { parsePyDict } from './support/read.ts';

describe('cell encodings', () => {
  it("render strings as Python's repr() does", () => {
    expect(pyRepr('SG-Chatgpt-Users')).toBe("'SG-Chatgpt-Users'");
    expect(pyRepr("Women's Network")).toBe(`"Women's Network"`);
    expect(pyRepr('Project "Atlas"')).toBe(`'Project "Atlas"'`);
    expect(pyRepr(`it's "both"`)).toBe(`'it\\'s "both"'`);
    expect(pyRepr('back\\slash\nnew')).toBe("'back\\\\slash\\nnew'");
    expect(pyRepr('Zoë – Ødegaard')).toBe("'Zoë – Ødegaard'");
  });

  it('write dict literals that a Python-literal parser reads back', () => {
    const entries = [
      ['6806684c27e88190b4cb45225dded629', 'SG-Chatgpt-Users'],
      ['0f0e0d0c0b0a09080706050403020100', "Founders' Office"],
      ['00112233445566778899aabbccddeeff', `it's "both"`],
    ] as const;
    const text = pyStrDict(entries);
    expect(text).toBe(
      `{'6806684c27e88190b4cb45225dded629': 'SG-Chatgpt-Users', '0f0e0d0c0b0a09080706050403020100': "Founders' Office", ` +
        `'00112233445566778899aabbccddeeff': 'it\\'s "both"'}`,
    );
    expect(parsePyDict(text)).toEqual(Object.fromEntries(entries));
    expect(pyStrDict([])).toBe('');
  });

  it('quote CSV cells only where needed', () => {
    expect(csvCell("{'gpt-5': 201}")).toBe("{'gpt-5': 201}");
    expect(csvCell("{'gpt-5': 201, 'o3': 2}")).toBe(`"{'gpt-5': 201, 'o3': 2}"`);
    expect(csvCell('["finance","hr"]')).toBe('"[""finance"",""hr""]"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell("O'Brien")).toBe("O'Brien");
  });
});
