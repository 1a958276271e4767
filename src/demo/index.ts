/** The synthetic workspace generator: see generate.ts. */
export { generateWorkspace, CATALOG_FILE, DIRECTORY_FILE, EVENTS_FILE } from './generate.ts';
export { resolveOptions, type GenerateOptions, type ResolvedOptions, type DemoSource } from './options.ts';
export {
  MANIFEST_FILE,
  type GeneratedManifest,
  type GeneratedFile,
  type GeneratedFileKind,
  type GeneratedSummary,
} from './manifest.ts';
export { IMPACT_CATALOG, DIMENSIONS, type ImpactCatalog } from './impact-catalog.ts';
export { parseDemoArgs } from './cli.ts';
