import { describe, expect, it } from 'vitest';
import { mergeFactMaps, type FactMaps } from '../../src/metrics/user-row.ts';

describe("a person's maps merged over P's facts", () => {
  it('sums per key, keeps entries above 0 and orders keys as a sort of them lays them out', () => {
    const facts: FactMaps[] = [
      [{ 'gpt-5': 3, 'gpt-4o': 1 }, null, { Search: 2, Canvas: 0, b: -1 }, { '10': 1, '9': 1, p: 1 }],
      [null, null, { Search: 1, Canvas: 0 }, { p: -1, '10': 2 }],
      [{ 'gpt-5': 4 }, { 'g-x': 0 }, { b: 2 }, null],
    ];
    const m = mergeFactMaps(facts);
    expect(m.model).toEqual({ 'gpt-4o': 1, 'gpt-5': 7 });
    expect(Object.keys(m.model)).toEqual(['gpt-4o', 'gpt-5']);
    // nothing above 0
    expect(m.gpt).toEqual({});
    // Canvas 0 + 0 dropped, b -1 + 2 = 1 kept; "Canvas" < "Search" < "b" in code-unit order
    expect(Object.keys(m.tool)).toEqual(['Search', 'b']);
    expect(m.tool).toEqual({ Search: 3, b: 1 });
    // p 1 - 1 = 0 dropped; integer-like keys come first, in numeric order, as in any object
    expect(Object.keys(m.project)).toEqual(['9', '10']);
    expect(m.project).toEqual({ '9': 1, '10': 3 });
  });

  it('reads counts given as text, and gives four empty maps for no facts', () => {
    const one = mergeFactMaps([[{ b: '2' as unknown as number, a: 1 }, null, null, null]]);
    expect(one.model).toEqual({ a: 1, b: 2 });
    expect(Object.keys(one.model)).toEqual(['a', 'b']);
    const two = mergeFactMaps([[{ a: '2' as unknown as number }, null, null, null], [{ a: 1 }, null, null, null]]);
    expect(two.model).toEqual({ a: 3 });
    expect(mergeFactMaps([])).toEqual({ model: {}, gpt: {}, tool: {}, project: {} });
  });

  it('builds new maps: the facts read are left as they were', () => {
    const fact: FactMaps = [{ a: 1, z: 0 }, null, null, null];
    const m = mergeFactMaps([fact]);
    m.model.a = 99;
    expect(fact[0]).toEqual({ a: 1, z: 0 });
  });
});
