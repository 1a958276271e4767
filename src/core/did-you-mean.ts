/** "Did you mean": the closest names to a word typed wrong (commands, keys, groups). */


/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (d[i - 1]?.[j] ?? 0) + 1,
        (d[i]?.[j - 1] ?? 0) + 1,
        (d[i - 1]?.[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (d[i - 2]?.[j - 2] ?? 0) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return d[a.length]?.[b.length] ?? 0;
}

/**
 * The candidates closest to `word` (ties only, at most `max`): within an edit distance that grows
 * with the word's length (1 for short words, up to 3), else one that begins with the word.
 */
export function closest(word: string, candidates: readonly string[], max = 3): string[] {
  const w = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(w.length / 3)));
  const scored = candidates
    .map((c) => {
      const distance = editDistance(w, c.toLowerCase());
      const prefix = w.length >= 3 && (c.startsWith(w) || w.startsWith(c));
      return { c, score: distance <= limit ? distance : prefix ? limit + 0.5 : Infinity };
    })
    .filter((s) => s.score !== Infinity)
    .sort((x, y) => x.score - y.score || x.c.localeCompare(y.c));
  const best = scored[0]?.score;
  return scored
    .filter((s) => s.score === best)
    .slice(0, max)
    .map((s) => s.c);
}
