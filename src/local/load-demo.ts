/**
 * Loading the demo workspace (docs/design.md §3): the generator writes real-world export files,
 * which go into the store through the very import and ingest paths real data takes, marked as
 * demo so the first real import replaces them.
 */
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../log.ts';
import type { DbOrTx } from '../store/schema.ts';
import { ConflictError } from '../core/errors.ts';
import { generateWorkspace, type GenerateOptions } from '../demo/index.ts';
import { sortForImport, type GeneratedManifest } from '../demo/manifest.ts';
import { importFile } from '../ingest/import-files.ts';
import { ingestEvents } from '../ingest/events.ts';
import { emptyWorkspace, hasData, readWorkspace } from '../ingest/workspace-guard.ts';

export interface LoadedWorkspace {
  manifest: GeneratedManifest;
  files: number;
  events: number;
  generateMs: number;
  loadMs: number;
  /** The store held an earlier demo workspace, emptied first. */
  replacedDemo: boolean;
}

export interface LoadDemoOptions {
  clock: Clock;
  logger: Logger;
  /** Where the generated files go (emptied first). */
  dir: string;
  generate?: GenerateOptions;
  /** Load as demo (replaced by the first real import). Default true. */
  demo?: boolean;
  /**
   * The workspace being generated into `dir` (by `generateDemoFiles`, started while the store
   * was opening); without it, generated here.
   */
  pregenerated?: Promise<{ manifest: GeneratedManifest; ms: number }>;
}

/** Writes the demo's files into `dir` (emptied first), as `loadDemo` would: to start early. */
export async function generateDemoFiles(dir: string, today: Date, generate: GenerateOptions = {}): Promise<{ manifest: GeneratedManifest; ms: number }> {
  const started = performance.now();
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const manifest = await generateWorkspace({ today, ...generate }, dir);
  return { manifest, ms: Math.round(performance.now() - started) };
}

/** Loads every file of a generated workspace, in import order, through the real import paths. */
export async function loadGeneratedFiles(
  db: DbOrTx,
  dir: string,
  manifest: GeneratedManifest,
  options: { clock: Clock; logger: Logger; demo: boolean },
): Promise<{ files: number; events: number }> {
  let events = 0;
  for (const file of sortForImport(manifest.files)) {
    const path = join(dir, file.path);
    if (file.kind === 'events') {
      const summary = await ingestEvents(db, createReadStream(path), {
        clock: options.clock,
        logger: options.logger,
        sourceName: file.path,
        demo: options.demo,
        writeWhileReading: true,
      });
      events += summary.accepted;
    } else {
      await importFile(db, path, { clock: options.clock, logger: options.logger, demo: options.demo });
    }
  }
  return { files: manifest.files.length, events };
}

/**
 * Generates and loads a workspace. Refuses a store holding real data; a store holding an earlier
 * demo is emptied first.
 */
export async function loadDemo(db: DbOrTx, options: LoadDemoOptions): Promise<LoadedWorkspace> {
  const demo = options.demo ?? true;
  const state = await readWorkspace(db);
  let replacedDemo = false;
  if (await hasData(db)) {
    if (!state.demoOnly) {
      throw new ConflictError(
        'This store already holds real data; the demo workspace goes only into an empty store (or one holding the demo). ' +
          'Use another WSA_DATA_DIR or DATABASE_URL to try the demo.',
      );
    }
    await emptyWorkspace(db);
    replacedDemo = true;
  }
  const { manifest, ms: generateMs } =
    options.pregenerated
      ? await options.pregenerated
      : await generateDemoFiles(options.dir, options.clock.now(), options.generate);
  const generated = performance.now();
  options.logger.info(
    {
      users: manifest.options.users,
      weeks: manifest.options.weeks,
      files: manifest.files.length,
      ms: generateMs,
    },
    'demo.generated',
  );
  const loaded = await loadGeneratedFiles(db, options.dir, manifest, { ...options, demo });
  const done = performance.now();
  const result = {
    manifest,
    ...loaded,
    generateMs,
    loadMs: Math.round(done - generated),
    replacedDemo,
  };
  options.logger.info(
    {
      users: manifest.options.users,
      weeks: manifest.options.weeks,
      source: manifest.options.source,
      files: result.files,
      events: result.events,
      generateMs: result.generateMs,
      loadMs: result.loadMs,
    },
    'demo.loaded',
  );
  return result;
}
