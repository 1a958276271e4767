/**
 * The benchmark workspaces: generated once by the demo generator into bench/.work/<name>/ and
 * reused while their manifest says they were made with the same options and every file is still
 * there at its recorded size (hashing 2.6 GB again would cost more than a minute).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateWorkspace, MANIFEST_FILE, resolveOptions, type GenerateOptions, type GeneratedManifest } from '../../src/demo/index.ts';

/** The Saturday every benchmark workspace ends on, so answers and digests never move. */
export const BENCH_END_DATE = '2025-11-22';
/** The clock answers and imports see: the Sunday after the window, at noon UTC. */
export const BENCH_NOW = new Date('2025-11-23T12:00:00Z');

export interface WorkspaceSpec {
  /** Directory name under bench/.work/ and stem of the store names. */
  name: string;
  options: GenerateOptions;
}

/** docs/design.md §10's benchmark workspace (exports) and the event-sourced one for the ingest rate. */
export function workspaceSpecs(quick: boolean): { exports: WorkspaceSpec; events: WorkspaceSpec } {
  const common = { seed: 1, endDate: BENCH_END_DATE } as const;
  return quick
    ? {
        exports: { name: 'quick-exports', options: { ...common, users: 10_000, weeks: 12, groups: 40, gpts: 200, projects: 500, source: 'exports' } },
        events: { name: 'quick-events', options: { ...common, users: 2_000, weeks: 4, groups: 12, source: 'events' } },
      }
    : {
        exports: { name: '100k-exports', options: { ...common, users: 100_000, weeks: 52, groups: 200, gpts: 2_000, projects: 5_000, source: 'exports' } },
        events: { name: '10k-events', options: { ...common, users: 10_000, weeks: 12, groups: 40, source: 'events' } },
      };
}

export interface ReadyWorkspace {
  dir: string;
  manifest: GeneratedManifest;
  reused: boolean;
  generateMs: number;
}

/** The manifest in `dir` when it was made with these options and its files are all present. */
export function reusableManifest(dir: string, options: GenerateOptions): GeneratedManifest | undefined {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  let manifest: GeneratedManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as GeneratedManifest;
  } catch {
    return undefined;
  }
  const wanted = resolveOptions(options);
  if (JSON.stringify(manifest.options) !== JSON.stringify(wanted)) return undefined;
  for (const file of manifest.files) {
    const p = join(dir, file.path);
    if (!existsSync(p) || statSync(p).size !== file.bytes) return undefined;
  }
  return manifest;
}

export async function ensureWorkspace(workRoot: string, spec: WorkspaceSpec): Promise<ReadyWorkspace> {
  const dir = join(workRoot, spec.name);
  const found = reusableManifest(dir, spec.options);
  if (found) return { dir, manifest: found, reused: true, generateMs: 0 };
  const started = performance.now();
  const manifest = await generateWorkspace(spec.options, dir);
  return { dir, manifest, reused: false, generateMs: performance.now() - started };
}
