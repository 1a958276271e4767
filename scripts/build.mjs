#!/usr/bin/env node
// The compiled start path: `npm ci` (the `prepare` script) and `npm run build` turn the TypeScript
// of src/, commands/, digests/ and migrations/ into plain JavaScript under .build/, file for file
// in the same layout, so that bin/wsa.mjs starts without compiling anything. Nothing is bundled:
// each module keeps its own file (the subcommands, the render thread and the migrations are still
// loaded by path, and lazily), and packages stay in node_modules.
//
// bin/wsa.mjs uses .build/ only while it is newer than every source it was built from
// (bin/build-freshness.mjs); an edited checkout runs the TypeScript through tsx until the next
// build. Plain JavaScript, so it runs at `npm ci` before anything else is set up.
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUILD_DIR, BUILD_STAMP } from '../bin/build-freshness.mjs';

/** Folders compiled (bin/build-freshness.mjs watches these and what else the build reads). */
const COMPILED_DIRS = ['src', 'commands', 'digests', 'migrations'];
/** Folders reached from the compiled code by a path relative to its own file (the chart fonts). */
const LINKED_DIRS = ['assets'];

function filesUnder(root, dir, pattern) {
  const out = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(root, path, pattern));
    else if (pattern.test(entry.name)) out.push(path);
  }
  return out;
}

/**
 * Packages compiled into one shared chunk instead of loaded from node_modules: Kysely's ESM
 * build is about a thousand small modules, which Node took 0.3–0.5 s to load and takes 0.05 s as
 * one file. Only pure JavaScript that reads no file beside itself belongs here (not PGlite,
 * whose WebAssembly is found from its own path), and only a package nothing else in
 * node_modules imports (there must stay one copy of it).
 */
const BUNDLED_PACKAGES = new Set(['kysely']);

/**
 * A relative `./x.ts` import becomes `./x.js` and stays a module of its own; packages and node:
 * builtins are left to Node, but for BUNDLED_PACKAGES.
 */
const keepModulesApart = {
  name: 'keep-modules-apart',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (/^\.\.?\//.test(args.path)) {
        // inside a bundled package, its own modules are bundled with it
        if (args.resolveDir.includes('node_modules')) return undefined;
        return { path: args.path.replace(/\.ts$/, '.js'), external: true };
      }
      if (BUNDLED_PACKAGES.has(args.path)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Builds `root`'s sources into `root`/.build; returns the number of modules compiled. */
export async function buildProject(root) {
  // The stamp carries the time the build started reading: a source saved during the build is
  // newer than it, so the build counts as stale (bin/build-freshness.mjs).
  const started = new Date();
  const target = join(root, BUILD_DIR);
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  const sources = COMPILED_DIRS.flatMap((dir) => filesUnder(root, dir, /(?<!\.d)\.ts$/));
  await build({
    absWorkingDir: root,
    entryPoints: sources,
    outdir: staging,
    outbase: '.',
    bundle: true,
    plugins: [keepModulesApart],
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.js' },
    logLevel: 'warning',
  });
  // Plain JavaScript modules beside the TypeScript (the render thread's entry) are copied.
  for (const file of COMPILED_DIRS.flatMap((dir) => filesUnder(root, dir, /\.mjs$/))) {
    mkdirSync(dirname(join(staging, file)), { recursive: true });
    cpSync(join(root, file), join(staging, file));
  }
  for (const dir of LINKED_DIRS) {
    if (existsSync(join(root, dir))) symlinkSync(relative(staging, join(root, dir)), join(staging, dir));
  }
  writeFileSync(join(staging, BUILD_STAMP), `${started.toISOString()}\n`);
  utimesSync(join(staging, BUILD_STAMP), started, started);
  // Swapped in whole: a `wsa` starting meanwhile finds the old build, none (tsx), or the new one.
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return sources.length;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const began = performance.now();
  const count = await buildProject(root);
  const ms = Math.round(performance.now() - began);
  process.stderr.write(`wsa: compiled ${count} modules into ${BUILD_DIR}/ in ${ms} ms\n`);
}
