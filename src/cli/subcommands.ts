/**
 * The `wsa` subcommands, one module each in ./commands/, in the order help lists them. Each is
 * imported when it runs (a literal path, so the import graph stays visible), keeping `wsa help`
 * and `wsa ingest` from loading what `wsa serve` needs.
 */
import type { CliCommand } from './context.ts';

type Loader = () => Promise<{ command: CliCommand }>;

export const SUBCOMMANDS: Readonly<Record<string, Loader>> = {
  ask: () => import('./commands/ask.ts'),
  audit: () => import('./commands/audit.ts'),
  demo: () => import('./commands/demo.ts'),
  export: () => import('./commands/export.ts'),
  grant: () => import('./commands/grant.ts'),
  import: () => import('./commands/import.ts'),
  ingest: () => import('./commands/ingest.ts'),
  migrate: () => import('./commands/migrate.ts'),
  revoke: () => import('./commands/revoke.ts'),
  serve: () => import('./commands/serve.ts'),
  settings: () => import('./commands/settings.ts'),
};

export function subcommandNames(): string[] {
  return Object.keys(SUBCOMMANDS);
}

export function isSubcommand(name: string): boolean {
  return Object.hasOwn(SUBCOMMANDS, name);
}

export async function loadSubcommand(name: string): Promise<CliCommand | undefined> {
  const load = isSubcommand(name) ? SUBCOMMANDS[name] : undefined;
  return load ? (await load()).command : undefined;
}
