/**
 * The benchmark's result rows and their table: each figure beside its docs/design.md §10 target and its
 * floor measured in the same run, with the ratio figure / floor (for a rate, floor / figure, so a
 * ratio above 1 always means "slower than the floor").
 */

export type Unit = 'ms' | 'MB' | 'rows/s' | 'events/s' | 'requests/s';

/** Times and memory are better smaller (their targets are maxima); rates are better larger. */
function smallerIsBetter(unit: Unit): boolean {
  return unit === 'ms' || unit === 'MB';
}

export interface Figure {
  /** What was measured, e.g. `answer p95 overview (no chart)`. */
  name: string;
  backend: 'postgres' | 'pglite' | '-';
  value: number;
  unit: Unit;
  /** The docs/design.md §10 target, in the figure's unit; for ms a maximum, for rates a minimum. */
  target?: number;
  /** A target on the ratio to the floor too (at most this many times slower); met only if both are. */
  maxRatio?: number;
  /** The floor measured in the same run, in the same unit, and what it was. */
  floor?: number;
  floorLabel?: string;
  /** Anything worth saying beside it (n, rows, CPU time). */
  note?: string;
}

/** docs/design.md §10 answer targets (p95, ms): PGlite, on the same thread budget as a small
 * deployment, is given twice PostgreSQL's. `json` is `top-users` as JSON, every sender. */
export function answerTarget(backend: Figure['backend'], kind: 'text' | 'chart' | 'json'): number {
  const postgres = { text: 300, chart: 500, json: 1500 }[kind];
  return backend === 'pglite' ? postgres * 2 : postgres;
}

/** figure / floor for times, floor / figure for rates: > 1 means slower than the floor. */
export function ratioOf(f: Figure): number | undefined {
  if (f.floor === undefined || !Number.isFinite(f.floor) || f.floor === 0 || !Number.isFinite(f.value) || f.value === 0) return undefined;
  return smallerIsBetter(f.unit) ? f.value / f.floor : f.floor / f.value;
}

/** 'met', 'MISSED', or '' when the figure has no target. With both a target and a ratio
 * target, met only when both are. */
export function verdictOf(f: Figure): string {
  if ((f.target === undefined && f.maxRatio === undefined) || !Number.isFinite(f.value)) return '';
  const valueMet = f.target === undefined || (smallerIsBetter(f.unit) ? f.value <= f.target : f.value >= f.target);
  const ratio = ratioOf(f);
  const ratioMet = f.maxRatio === undefined || (ratio !== undefined && ratio <= f.maxRatio);
  return valueMet && ratioMet ? 'met' : 'MISSED';
}

/** The target column: `≤ 5,000`, `≤ 3×`, or both. */
export function targetOf(f: Figure): string {
  const parts: string[] = [];
  if (f.target !== undefined) parts.push(`${smallerIsBetter(f.unit) ? '≤' : '≥'} ${formatNumber(f.target, f.unit)}`);
  if (f.maxRatio !== undefined) parts.push(`≤ ${f.maxRatio}×`);
  return parts.join(', ');
}

export function formatNumber(n: number | undefined, unit: Unit): string {
  if (n === undefined) return '';
  if (!Number.isFinite(n)) return 'n/a';
  if (unit === 'ms') return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1);
  return Math.round(n).toLocaleString('en-US');
}

const HEAD = ['figure', 'backend', 'value', 'unit', 'target', '', 'floor', 'ratio', 'floor is'] as const;

/** A plain-text table, numbers right-aligned, one line per figure. */
export function formatTable(figures: readonly Figure[]): string {
  const cells = figures.map((f) => {
    const ratio = ratioOf(f);
    return [
      f.name,
      f.backend,
      formatNumber(f.value, f.unit),
      f.unit,
      targetOf(f),
      verdictOf(f),
      formatNumber(f.floor, f.unit),
      ratio === undefined ? '' : `${ratio.toFixed(2)}×`,
      [f.floorLabel, f.note].filter(Boolean).join('; '),
    ];
  });
  const rows = [[...HEAD], ...cells];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  const right = new Set([2, 4, 6, 7]);
  const line = (r: string[]) =>
    r
      .map((c, i) => {
        if (i === r.length - 1) return c;
        const pad = ' '.repeat(widths[i]! - [...c].length);
        return right.has(i) ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  ').slice(0, 160), ...cells.map(line)].join('\n');
}
