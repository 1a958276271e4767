/**
 * Privacy in group breakdowns (docs/design.md §5): groups with fewer members than the minimum group size
 * are left out; if the left-out groups together have fewer members than the minimum, the next
 * smallest groups are left out too, until they reach it, so no hidden group can be recovered by
 * subtracting shown numbers from a total.
 *
 * Where §5 is silent: "next smallest" breaks ties by name (code-unit order), then group id. When
 * every group ends up hidden and they still total fewer than the minimum, all are hidden.
 */
export interface SizedGroup {
  key: string;
  name: string;
  members: number;
}

export function hideSmallGroups<T extends SizedGroup>(
  groups: readonly T[],
  minGroupSize: number,
): { shown: T[]; hidden: T[] } {
  const order = [...groups].sort(
    (a, b) => a.members - b.members || cmp(a.name, b.name) || cmp(a.key, b.key),
  );
  const hidden: T[] = [];
  let i = 0;
  let total = 0;
  while (i < order.length && order[i]!.members < minGroupSize) {
    total += order[i]!.members;
    hidden.push(order[i++]!);
  }
  while (hidden.length > 0 && total < minGroupSize && i < order.length) {
    total += order[i]!.members;
    hidden.push(order[i++]!);
  }
  const hiddenKeys = new Set(hidden.map((g) => g.key));
  return { shown: groups.filter((g) => !hiddenKeys.has(g.key)), hidden };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
