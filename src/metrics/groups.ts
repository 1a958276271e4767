/**
 * Group filters (`team:`/`group:`): a name → SCIM group ids, compared case-insensitively in code
 * with straight and curly quotes alike (docs/design.md §5, §6). Several SCIM groups may share a name;
 * the filter then covers all of them (a member of any counts once).
 */
import { NotFoundError } from '../core/errors.ts';
import type { DbOrTx } from '../store/schema.ts';

export interface ResolvedGroup {
  /** The name as the directory spells it. */
  name: string;
  ids: string[];
}

/** Lower-cased, quotes straightened, spaces collapsed. */
export function groupKey(name: string): string {
  return name
    .replace(/[\u2018\u2019\u201A\u201B\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

async function allGroups(db: DbOrTx): Promise<Array<{ group_id: string; name: string }>> {
  return db.selectFrom('scim_groups').select(['group_id', 'name']).orderBy('name').execute();
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest known group names to `name`, best first (at most `limit`). */
export async function suggestGroups(db: DbOrTx, name: string, limit = 5): Promise<string[]> {
  const key = groupKey(name);
  const seen = new Set<string>();
  const scored: Array<{ name: string; score: number }> = [];
  for (const g of await allGroups(db)) {
    const k = groupKey(g.name);
    if (seen.has(k)) continue;
    seen.add(k);
    // A name containing what was typed (or contained in it) ranks first, then by edit distance.
    const contains = key.length > 0 && (k.includes(key) || key.includes(k));
    const d = editDistance(key, k);
    const close = contains || d <= Math.max(2, Math.floor(Math.max(key.length, k.length) / 3));
    if (close) scored.push({ name: g.name, score: (contains ? 0 : 1000) + d });
  }
  scored.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.name);
}

/** A group name → its SCIM group ids; NotFoundError offering the closest names when unknown. */
export async function resolveGroup(db: DbOrTx, name: string): Promise<ResolvedGroup> {
  const key = groupKey(name);
  const matches = (await allGroups(db)).filter((g) => groupKey(g.name) === key);
  if (matches.length > 0) {
    return { name: matches[0]!.name, ids: matches.map((g) => g.group_id).sort() };
  }
  const close = await suggestGroups(db, name);
  const hint =
    close.length > 0
      ? ` Did you mean ${close.map((n) => `"${n}"`).join(', ')}?`
      : ' The `groups` command lists the groups there are.';
  throw new NotFoundError(`No group is called "${name.trim()}".${hint}`);
}
