/**
 * The `wsa` subcommands, one module each in ./commands/, in the order help lists them. Each is
 * imported when it runs (a literal path, so the import graph stays visible), keeping `wsa ingest`
 * from loading what `wsa serve` needs; the one-line summaries are here, so `wsa --help` loads no
 * subcommand at all.
 */
import type { CliCommand, Subcommand } from './context.ts';

/** A subcommand: its one line for `wsa --help`, and its module, imported only when it is used. */
interface Entry {
  readonly summary: string;
  readonly load: () => Promise<{ command: CliCommand }>;
}

export const SUBCOMMANDS: Readonly<Record<string, Entry>> = {
  ask: {
    summary: 'Ask what /wsa answers in chat: text, or JSON with --json',
    load: () => import('./commands/ask.ts'),
  },
  audit: {
    summary: 'The audit log: answers, denials, grants, revokes and settings changes',
    load: () => import('./commands/audit.ts'),
  },
  demo: {
    summary: 'Generate the synthetic demo workspace and load it into the store',
    load: () => import('./commands/demo.ts'),
  },
  digest: {
    summary: 'Weekly digests: subscribe channels, list, preview, post now, run what is due',
    load: () => import('./commands/digest.ts'),
  },
  export: {
    summary: "A Users, GPT, Project or Impact survey report as CSV, in the vendor's format",
    load: () => import('./commands/export.ts'),
  },
  grant: {
    summary: 'Make someone an analytics viewer, of the whole workspace or of groups',
    load: () => import('./commands/grant.ts'),
  },
  import: {
    summary: 'Import ChatGPT Enterprise export reports, a directory CSV or a question catalog: files or a folder',
    load: () => import('./commands/import.ts'),
  },
  ingest: {
    summary: 'Ingest usage events (NDJSON) from a file or stdin',
    load: () => import('./commands/ingest.ts'),
  },
  migrate: {
    summary: 'Create or update the store schema',
    load: () => import('./commands/migrate.ts'),
  },
  revoke: {
    summary: 'End analytics-viewer grants: of the groups named, or every one without --team',
    load: () => import('./commands/revoke.ts'),
  },
  serve: {
    summary: 'Run the bot: one HTTP server for Slack, Teams, event ingest and /healthz',
    load: () => import('./commands/serve.ts'),
  },
  settings: {
    summary: 'Show or change workspace settings',
    load: () => import('./commands/settings.ts'),
  },
};

export function subcommandNames(): string[] {
  return Object.keys(SUBCOMMANDS);
}

export function isSubcommand(name: string): boolean {
  return Object.hasOwn(SUBCOMMANDS, name);
}

/** Each subcommand's name and one-line summary, in the order help lists them; nothing is loaded. */
export function subcommandSummaries(): Array<{ name: string; summary: string }> {
  return Object.entries(SUBCOMMANDS).map(([name, { summary }]) => ({ name, summary }));
}

export async function loadSubcommand(name: string): Promise<Subcommand | undefined> {
  const entry = isSubcommand(name) ? SUBCOMMANDS[name] : undefined;
  return entry ? { ...(await entry.load()).command, summary: entry.summary } : undefined;
}
