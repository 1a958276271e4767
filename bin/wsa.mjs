#!/usr/bin/env node
// `wsa`: runs the compiled CLI (.build/, made at `npm ci` by scripts/build.mjs) while it is newer
// than every source, else the TypeScript directly through tsx, so an edited checkout never runs
// stale code and `npx wsa` works right after `npm ci` either way.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { freshBuildEntry } from './build-freshness.mjs';

// A one-off command on the embedded store spends most of its CPU in PGlite's WebAssembly starting
// cold, and half of that optimising code it runs once. Compiled by the baseline compiler alone
// (set before any WebAssembly is compiled) a `wsa ask` takes half the CPU, and heavy one-offs
// (an ingest, an import) take the same; the server, which runs for days, keeps the optimiser.
if (process.argv[2] !== 'serve') setFlagsFromString('--liftoff-only');

// WSA_NO_BUILD=1 runs the TypeScript even when the build is fresh.
const compiled = process.env.WSA_NO_BUILD ? undefined : freshBuildEntry(fileURLToPath(new URL('..', import.meta.url)));
let app;
if (compiled) {
  app = await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  app = await import('../src/app.ts');
}
process.exitCode = await app.main(process.argv.slice(2), process.env);
