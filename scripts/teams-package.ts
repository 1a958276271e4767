/**
 * `npm run teams:package`: builds the Teams app package, a zip of manifest/teams/manifest.json
 * (with its placeholders filled) and the two icons at its root, ready to upload to Teams.
 *
 * The manifest holds `{{NAME}}` placeholders for what differs between installations:
 *   MICROSOFT_APP_ID  the Azure Bot's Microsoft App ID (a GUID): the app's id and the bot's id
 *   WSA_PUBLIC_HOST   the public host name that reaches wsa over HTTPS (wsa.example.com), for
 *                     validDomains and the developer links
 * Both come from the environment, or from `.env` (the environment wins), as for `wsa serve`.
 * A value missing or malformed, or a placeholder the packager does not know, stops it with every
 * problem listed and nothing written.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { loadEnvironment } from '../src/config.ts';
import { ConfigError } from '../src/core/errors.ts';

export const TEAMS_MANIFEST_DIR = fileURLToPath(new URL('../manifest/teams/', import.meta.url));
export const DEFAULT_OUT_DIR = join(TEAMS_MANIFEST_DIR, 'build');
export const PACKAGE_FILE_NAME = 'wsa-teams.zip';
export const ICON_FILES = ['color.png', 'outline.png'] as const;

/** The placeholders of manifest.json, each filled from the environment variable of its name. */
export const PLACEHOLDER_VARIABLES = ['MICROSOFT_APP_ID', 'WSA_PUBLIC_HOST'] as const;
type PlaceholderValues = Record<(typeof PLACEHOLDER_VARIABLES)[number], string>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const PLACEHOLDER = /\{\{([A-Za-z0-9_]+)\}\}/g;
/** A fixed modification time for the zip's entries, so that the same inputs give the same bytes. */
const ENTRY_DATE = new Date('2025-01-01T00:00:00Z');

/** The placeholder values from the environment, or every problem with them. */
export function placeholderValues(env: Record<string, string | undefined>): PlaceholderValues {
  const problems: string[] = [];
  const appId = env.MICROSOFT_APP_ID?.trim() ?? '';
  if (appId === '') {
    problems.push('MICROSOFT_APP_ID: not set; it is the Microsoft App ID of your Azure Bot (a GUID), the same value wsa serve uses');
  } else if (!GUID.test(appId)) {
    problems.push(`MICROSOFT_APP_ID: must be a GUID such as 00000000-0000-0000-0000-000000000000 (the Azure Bot's Microsoft App ID)`);
  }
  const rawHost = env.WSA_PUBLIC_HOST?.trim() ?? '';
  const host = rawHost.replace(/^https:\/\//i, '').replace(/\/$/, '').toLowerCase();
  if (rawHost === '') {
    problems.push('WSA_PUBLIC_HOST: not set; it is the public host name that reaches wsa over HTTPS, such as wsa.example.com (the host of the messaging endpoint https://HOST/api/messages)');
  } else if (!HOST_NAME.test(host)) {
    problems.push(`WSA_PUBLIC_HOST: must be a host name such as wsa.example.com, without http://, a port or a path (got "${rawHost}")`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { MICROSOFT_APP_ID: appId, WSA_PUBLIC_HOST: host };
}

/** The manifest with every `{{NAME}}` in its strings replaced; an unknown name is an error. */
export function fillPlaceholders(template: unknown, values: PlaceholderValues): unknown {
  const unknown = new Set<string>();
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.replace(PLACEHOLDER, (whole, name: string) => {
        if (name in values) return values[name as keyof PlaceholderValues];
        unknown.add(name);
        return whole;
      });
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    }
    return value;
  };
  const filled = fill(template);
  if (unknown.size > 0) {
    throw new ConfigError([...unknown].map((name) => `manifest.json: unknown placeholder {{${name}}} (known: ${PLACEHOLDER_VARIABLES.join(', ')})`));
  }
  return filled;
}

export interface BuiltPackage {
  /** Where the zip was written. */
  readonly path: string;
  readonly manifest: Record<string, unknown>;
  readonly values: PlaceholderValues;
}

/** Builds the app package from manifest/teams/ into `outDir`, with the values from `env`. */
export async function buildTeamsPackage(options: {
  env: Record<string, string | undefined>;
  outDir?: string;
  sourceDir?: string;
}): Promise<BuiltPackage> {
  const values = placeholderValues(options.env);
  const sourceDir = options.sourceDir ?? TEAMS_MANIFEST_DIR;
  const template: unknown = JSON.parse(readFileSync(join(sourceDir, 'manifest.json'), 'utf8'));
  const manifest = fillPlaceholders(template, values) as Record<string, unknown>;
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date: ENTRY_DATE });
  for (const icon of ICON_FILES) zip.file(icon, readFileSync(join(sourceDir, icon)), { date: ENTRY_DATE });
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
  const path = join(resolve(options.outDir ?? DEFAULT_OUT_DIR), PACKAGE_FILE_NAME);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return { path, manifest, values };
}

/** What the command prints after writing the package. */
export function nextSteps(built: BuiltPackage, cwd: string = process.cwd()): string {
  const shown = relative(cwd, built.path) || built.path;
  return [
    `Wrote ${shown.startsWith('..') ? built.path : shown}`,
    `  app and bot id   ${built.values.MICROSOFT_APP_ID}`,
    `  public host      ${built.values.WSA_PUBLIC_HOST}`,
    '',
    'Next:',
    `  1. In the Azure Bot, the messaging endpoint must be https://${built.values.WSA_PUBLIC_HOST}/api/messages`,
    '     and the Microsoft Teams channel must be on.',
    '  2. Upload the zip: in Teams, Apps > Manage your apps > Upload an app > Upload a custom app;',
    '     or, for everyone, Teams admin center > Teams apps > Manage apps > Upload new app.',
    '  3. Open wsa in Teams and type: help',
    'docs/teams.md has every step.',
  ].join('\n');
}

async function main(): Promise<void> {
  try {
    const built = await buildTeamsPackage({ env: loadEnvironment(process.env) });
    console.log(nextSteps(built));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Cannot build the Teams app package.\n${error.message}`);
    console.error('Set them in the environment or in .env (see docs/teams.md), then run npm run teams:package again.');
    process.exitCode = 1;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main();
