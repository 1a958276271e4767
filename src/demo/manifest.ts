/**
 * The manifest of a generated workspace: every file with its kind, size, rows and sha256, in the
 * order to import them, the resolved options, a summary, and one digest of all files together
 * (sha256 of `sha256sum`-style lines sorted by path), which is what "the same numbers on every
 * run" is checked against.
 */
import { createHash } from 'node:crypto';
import type { ResolvedOptions } from './options.ts';
import type { Cadence } from './periods.ts';

/** Same names as the store's import kinds. */
export type GeneratedFileKind = 'catalog' | 'directory' | 'gpts' | 'projects' | 'users' | 'events' | 'impact';

export interface GeneratedFile {
  /** Relative to the output directory, with `/` separators. */
  path: string;
  kind: GeneratedFileKind;
  sha256: string;
  bytes: number;
  /** Data rows (CSV rows after the header, NDJSON lines, catalog questions). */
  rows: number;
  cadence?: Cadence;
  period_start?: string;
  period_end?: string;
}

export interface GeneratedSummary {
  /** Accounts by status at the window's end. */
  accounts: { total: number; enabled: number; pending: number; deleted: number };
  /** SCIM groups with their enabled members at the window's end. */
  groups: { id: string; name: string; members: number }[];
  /** Messages sent over the window. */
  messages: number;
  /** Lines of events.ndjson (events source; 0 otherwise). */
  events: number;
  gpts: { total: number; live: number };
  /** Projects that exist at the window's end. */
  projects: number;
  impact: { surveys: number; responses: number };
}

export interface GeneratedManifest {
  generator: 'wsa-demo';
  version: 1;
  options: ResolvedOptions;
  files: GeneratedFile[];
  summary: GeneratedSummary;
  digest: string;
}

export const MANIFEST_FILE = 'manifest.json';

const KIND_ORDER: Record<GeneratedFileKind, number> = {
  catalog: 0,
  directory: 1,
  gpts: 2,
  projects: 3,
  users: 4,
  events: 5,
  impact: 6,
};
const CADENCE_ORDER: Record<Cadence, number> = { Weekly: 0, Monthly: 1, 'Partial Monthly': 2 };

/** Code-unit order, independent of locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Import order: catalog, directory, GPT and project catalogs, usage, impact; periods oldest first. */
export function sortForImport(files: GeneratedFile[]): GeneratedFile[] {
  return [...files].sort(
    (a, b) =>
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.cadence ? CADENCE_ORDER[a.cadence] : 0) - (b.cadence ? CADENCE_ORDER[b.cadence] : 0) ||
      compare(a.period_start ?? '', b.period_start ?? '') ||
      compare(a.path, b.path),
  );
}

export function digestOf(files: readonly GeneratedFile[]): string {
  const lines = files
    .map((f) => `${f.sha256}  ${f.path}\n`)
    .sort((a, b) => compare(a.slice(66), b.slice(66)));
  return createHash('sha256').update(lines.join('')).digest('hex');
}
