/**
 * Number, date and label formatting shared by chart specs, alt text and text fallbacks, so a chart
 * and the words standing in for it say the same thing. Everything is UTC and locale-independent.
 */
import type { Grain, ValueFormat } from './types.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Longest label (in characters, not pixels) kept before the builders cut it with an ellipsis. */
export const MAX_LABEL_CHARS = 48;
export const ELLIPSIS = '…';
/** Shown wherever a value is null. */
export const NO_DATA = 'no data';

/** A finite number, else null (NaN, ±Infinity, undefined and null alike: "the data cannot say"). */
export function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** 1234 → "1,234"; non-integers keep up to one decimal. */
export function formatInteger(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  const [whole = '0', decimals] = Math.abs(rounded).toFixed(Number.isInteger(rounded) ? 0 : 1).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${rounded < 0 ? '-' : ''}${grouped}${decimals ? `.${decimals}` : ''}`;
}

/** Three significant digits with a k/M/B suffix: 999 → "999", 12345 → "12.3k", 1234567 → "1.23M". */
export function formatCompact(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    // Round first so 999,950 prints as "1M", not "1000k".
    if (Number(abs.toPrecision(3)) >= size) {
      return `${sign}${trimZeros((abs / size).toPrecision(3))}${suffix}`;
    }
  }
  if (Number.isInteger(abs)) return `${sign}${abs}`;
  return `${sign}${trimZeros(abs < 1 ? abs.toFixed(2) : abs.toPrecision(3))}`;
}

/** A fraction as a percentage: 0.453 → "45%", 0.004 → "0.4%", 0 → "0%". */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  if (pct !== 0 && Math.abs(pct) < 1) return `${trimZeros(pct.toFixed(1))}%`;
  return `${Math.round(pct)}%`;
}

/** Compact form for charts and alt text; null prints as "no data". */
export function formatValue(value: number | null, format: ValueFormat = 'count'): string {
  if (value === null || !Number.isFinite(value)) return NO_DATA;
  if (format === 'percent') return formatPercent(value);
  if (format === 'decimal') return trimZeros(value.toFixed(Math.abs(value) >= 100 ? 0 : 1));
  return formatCompact(value);
}

/** For sentences (alt text): exact below 10,000 ("1,180"), compact above ("12.3k"). */
export function formatProse(value: number | null, format: ValueFormat = 'count'): string {
  if (format === 'count' && value !== null && Number.isFinite(value) && Math.abs(value) < 10_000) {
    return formatInteger(value);
  }
  return formatValue(value, format);
}

/** Full form for text tables: counts with thousands separators. */
export function formatValueFull(value: number | null, format: ValueFormat = 'count'): string {
  if (value === null || !Number.isFinite(value)) return NO_DATA;
  if (format === 'count') return formatInteger(value);
  return formatValue(value, format);
}

/** d3-format string for axes of this format (used inside the Vega-Lite spec). */
export function axisFormat(format: ValueFormat = 'count'): string {
  if (format === 'percent') return '.0%';
  if (format === 'decimal') return '.3~r';
  return '.3~s';
}

/**
 * Axis settings for counts: whole-number ticks only, and d3's SI "G" (giga) printed as "B"
 * (billion), as people read it and as formatCompact writes it.
 */
export const COUNT_AXIS = { tickMinStep: 1, labelExpr: "replace(datum.label, 'G', 'B')" } as const;

/** "up 12%", "down 5%", "unchanged", or null when there is nothing to compare against. */
export function describeChange(from: number | null, to: number | null): string | null {
  if (from === null || to === null || from === 0) return null;
  const change = (to - from) / Math.abs(from);
  if (Math.abs(change) < 0.005) return 'unchanged';
  return `${change > 0 ? 'up' : 'down'} ${formatPercent(Math.abs(change))}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** `YYYY-MM-DD` → its parts; throws on anything else (a programming error upstream). */
function parseDay(day: string): { y: number; m: number; d: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new TypeError(`Not a YYYY-MM-DD date: ${JSON.stringify(day)}`);
  return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
}

export function isDay(day: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`));
}

/** "2025-09-07" → "7 Sep 2025" (or "7 Sep" without the year). */
export function formatDay(day: string, withYear = true): string {
  const { y, m, d } = parseDay(day);
  return `${d} ${MONTHS[m - 1]}${withYear ? ` ${y}` : ''}`;
}

/** How a period of this grain is named in prose: "week of 7 Sep 2025", "Sep 2025", "7 Sep 2025". */
export function formatPeriodStart(day: string, grain: Grain): string {
  const { y, m } = parseDay(day);
  if (grain === 'month') return `${MONTHS[m - 1]} ${y}`;
  if (grain === 'week') return `week of ${formatDay(day)}`;
  return formatDay(day);
}

/** A period as a sentence needs it: "in the week of 7 Sep 2025", "on 2 Nov 2025", "in Nov 2025". */
export function atPeriod(day: string, grain: Grain): string {
  if (grain === 'day') return `on ${formatDay(day)}`;
  return `in ${grain === 'week' ? 'the ' : ''}${formatPeriodStart(day, grain)}`;
}

/** ", Last 4 weeks (2 – 29 Nov 2025) · team: Sales" — the period and filter, for alt text. */
export function subtitleClause(heading: { subtitle?: string }): string {
  return heading.subtitle ? `, ${cleanLabel(heading.subtitle, 120)}` : '';
}

/** "7 Sep – 29 Nov 2025", "7 Dec 2024 – 4 Jan 2025", "7 Sep 2025" (one day). */
export function formatDateRange(start: string, end: string): string {
  if (start === end) return formatDay(start);
  const a = parseDay(start);
  const b = parseDay(end);
  return `${formatDay(start, a.y !== b.y)} – ${formatDay(end)}`;
}

/**
 * Make a name safe to draw: control characters and line breaks become spaces, runs of spaces
 * collapse, and it is cut at `max` characters (code points, so an emoji or accent is never split)
 * with an ellipsis. The renderer also truncates by pixel width; this bounds the work and the text.
 */
export function cleanLabel(raw: string, max = MAX_LABEL_CHARS): string {
  // eslint-disable-next-line no-control-regex
  const flat = String(raw).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(flat);
  const text = chars.length > max ? `${chars.slice(0, max - 1).join('').trimEnd()}${ELLIPSIS}` : flat;
  return text === '' ? '(unnamed)' : text;
}

/**
 * Rough width in pixels of 12 px DejaVu Sans text: ~7.4 px per Latin character (a slight
 * overestimate), 13 for CJK, emoji and other wide characters.
 */
export function estimateTextWidth(text: string, fontSize = 12): number {
  let width = 0;
  for (const ch of text) width += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 13 : 7.4;
  return (width * fontSize) / 12;
}

/** Cut a cleaned label so its estimated width stays within `maxPx` (ellipsis included). */
export function fitLabel(label: string, maxPx: number): string {
  if (estimateTextWidth(label) <= maxPx) return label;
  const chars = Array.from(label);
  let kept = chars.length;
  while (kept > 1 && estimateTextWidth(`${chars.slice(0, kept).join('').trimEnd()}${ELLIPSIS}`) > maxPx) kept -= 1;
  return `${chars.slice(0, kept).join('').trimEnd()}${ELLIPSIS}`;
}

/**
 * Clean labels and make them distinct ("Sales", "Sales (2)"): bars and cells are keyed by label,
 * so two names cut to the same prefix must not merge into one. With `maxPx`, each label (suffix
 * included) is cut to fit that width first, so the renderer's own pixel cut never hides the
 * suffix and two names that only differ past the cut still get told apart.
 */
export function distinctLabels(raw: readonly string[], max = MAX_LABEL_CHARS, maxPx?: number): string[] {
  const used = new Set<string>();
  return raw.map((name) => {
    const clean = cleanLabel(name, max);
    const fit = (text: string, px: number) => (maxPx === undefined ? text : fitLabel(text, px));
    let label = fit(clean, maxPx ?? 0);
    for (let n = 2; used.has(label); n++) {
      const suffix = ` (${n})`;
      label = `${fit(clean, (maxPx ?? 0) - estimateTextWidth(suffix))}${suffix}`;
    }
    used.add(label);
    return label;
  });
}

/** A name for prose (alt text): cleaned and shorter. */
export function proseLabel(raw: string): string {
  return cleanLabel(raw, 40);
}

/** Chart heading from its parts: title = metric, subtitle = period · filter. */
export function chartHeading(parts: {
  metric: string;
  /** e.g. "Last 12 weeks" or a `formatDateRange` result. */
  period: string;
  /** e.g. `team: Sales`; omitted when the chart covers the whole workspace. */
  filter?: string | null;
  partial?: boolean;
}): { title: string; subtitle: string } {
  const bits = [`${parts.period}${parts.partial ? ' (partial)' : ''}`];
  if (parts.filter) bits.push(parts.filter);
  return { title: parts.metric, subtitle: bits.join(' · ') };
}

/** "active users per week, last 12 weeks · team: Sales": what a chart shows, for alt text. */
export function chartSubject(heading: { title: string; subtitle?: string }): string {
  const title = lowerFirst(cleanLabel(heading.title, 120));
  return heading.subtitle ? `${title}, ${cleanLabel(heading.subtitle, 120)}` : title;
}

/**
 * "Activation rate" → "activation rate" for mid-sentence use. Only the first word, and only when
 * it is capitalised rather than an acronym: "GPT messages", "WAU", "Sales EMEA" further on stay.
 */
export function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? `${text[0]!.toLowerCase()}${text.slice(1)}` : text;
}

/** Text lengths count code points, so accents and emoji do not skew the columns. */
function width(s: string): number {
  return Array.from(s).length;
}

export interface TextTableOptions {
  /** Which columns are right-aligned (numbers). */
  alignRight?: boolean[];
  /** Rows printed at most; the rest are counted in a last line. Default 25. */
  maxRows?: number;
  /** Noun for the "… and N more" line. */
  moreNoun?: string;
}

/**
 * A plain-text table: header, a dashed rule, aligned rows. Cells are cleaned (no line breaks) and
 * cut at 40 characters.
 */
export function textTable(headers: string[], rows: string[][], options: TextTableOptions = {}): string {
  const maxRows = options.maxRows ?? 25;
  // Blank cells stay blank (a question's later answer rows); anything else is cleaned and cut.
  const shown = rows.slice(0, maxRows).map((row) => row.map((cell) => (cell.trim() === '' ? '' : cleanLabel(cell, 40))));
  const widths = headers.map((h, i) => Math.max(width(h), ...shown.map((row) => width(row[i] ?? ''))));
  const right = options.alignRight ?? [];
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(cell)));
        return right[i] ? `${pad}${cell}` : `${cell}${pad}`;
      })
      .join('  ')
      .trimEnd();
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...shown.map(line)];
  if (rows.length > maxRows) {
    const more = rows.length - maxRows;
    out.push(more === 1 ? '… and 1 more' : `… and ${more} more ${options.moreNoun ?? 'rows'}`);
  }
  if (rows.length === 0) out.push('(no data)');
  return out.join('\n');
}

/** Title block for a text fallback: title, subtitle, notes, then the table. */
export function fallbackDocument(heading: { title: string; subtitle?: string }, notes: string[], table: string): string {
  const head = [cleanLabel(heading.title, 200)];
  if (heading.subtitle) head.push(cleanLabel(heading.subtitle, 200));
  return [...head, ...notes, '', table].join('\n');
}
