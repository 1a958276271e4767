/**
 * Configuration: read from the environment (and `.env` when present; the environment wins),
 * validated once, every problem reported together, then frozen. Only the composition root and
 * the CLI call this; everything else receives the parsed Config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { ConfigError } from './core/errors.ts';
import { DEFAULT_USERS as DEFAULT_DEMO_USERS } from './demo/options.ts';

const optionalString = z
  .string()
  .transform((v) => v.trim())
  .optional()
  .transform((v) => (v === '' || v === undefined ? undefined : v));

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  WSA_HOST: optionalString,
  DATABASE_URL: optionalString.refine(
    (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
    'must be a postgres:// or postgresql:// URL',
  ),
  WSA_DATA_DIR: z.string().default('./.wsa'),
  WSA_NOW: optionalString.refine(
    (v) => v === undefined || !Number.isNaN(Date.parse(v)),
    'must be an ISO-8601 timestamp, e.g. 2025-11-03T09:00:00Z',
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: optionalString.refine((v) => v === undefined || v === 'json' || v === 'pretty'),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: optionalString.refine(
    (v) => v === undefined || /^https?:\/\//.test(v),
    'must be an http(s) URL ending in /api/',
  ),
  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TENANT_ID: optionalString,
  WSA_INGEST_TOKEN: optionalString.refine(
    (v) => v === undefined || v.length >= 16,
    'must be at least 16 characters',
  ),
  WSA_INGEST_MAX_BYTES: z.coerce.number().int().min(1024).default(10 * 1024 * 1024),
  WSA_DEMO: z.enum(['on', 'off']).default('on'),
  WSA_DEMO_USERS: z.coerce.number().int().min(50).max(100_000).default(DEFAULT_DEMO_USERS),
  WSA_DIGEST_CATCH_UP_HOURS: z.coerce.number().min(0).max(168).default(24),
});

export type ConfigInput = z.input<typeof schema>;

export interface Config {
  readonly port: number;
  /** Address the HTTP server binds; loopback in local mode. */
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly now: Date | undefined;
  readonly logLevel: string;
  /**
   * How logs are written on stderr: `json` (pino's lines), `pretty` (lines for a person, with a
   * progress bar on a terminal), or unset: pretty when stderr is a terminal, else JSON.
   */
  readonly logFormat: 'json' | 'pretty' | undefined;
  readonly slack:
    | {
        readonly botToken: string;
        readonly signingSecret: string | undefined;
        readonly appToken: string | undefined;
        readonly apiUrl: string | undefined;
      }
    | undefined;
  readonly teams:
    | { readonly appId: string; readonly appPassword: string; readonly tenantId: string }
    | undefined;
  /** No chat credentials at all: loopback only, demo workspace, unauthenticated local Teams tools. */
  readonly localMode: boolean;
  readonly ingest: { readonly token: string | undefined; readonly maxBytes: number };
  readonly demo: boolean;
  /** Accounts in the demo workspace local mode loads. */
  readonly demoUsers: number;
  /** How long after its slot a digest missed while nothing ran is still posted (docs/design.md §8). */
  readonly digestCatchUpMs: number;
}

/** Reads `.env` from `dir` (if present) under the given environment; the environment wins. */
export function loadEnvironment(
  env: NodeJS.ProcessEnv,
  dir: string = process.cwd(),
): Record<string, string | undefined> {
  const file = resolve(dir, '.env');
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

type Variable = keyof typeof schema.shape;

/** Variables whose values are never shown, not even in an error: credentials, and a URL may hold a password. */
const SECRETS: ReadonlySet<Variable> = new Set<Variable>([
  'DATABASE_URL',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'MICROSOFT_APP_PASSWORD',
  'WSA_INGEST_TOKEN',
]);

/** A value as quoted in a problem (never a secret's). */
function shown(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/** The start of a URL that is not the right kind: its scheme only, which holds no credential. */
function urlStart(value: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(value)?.[0];
  return scheme ? `it starts with "${scheme}"` : 'it is not a URL';
}

/** What each variable must be, in words, with what it is (a secret: without its value). */
const WHAT_IT_MUST_BE: Partial<Record<Variable, (value: string) => string>> = {
  PORT: (v) => `PORT must be a whole number from 0 to 65535 (it is ${shown(v)}).`,
  DATABASE_URL: (v) => `DATABASE_URL must be a postgres:// or postgresql:// URL (${urlStart(v)}).`,
  WSA_NOW: (v) => `WSA_NOW must be an ISO-8601 timestamp such as 2025-11-03T09:00:00Z (it is ${shown(v)}).`,
  LOG_FORMAT: (v) => `LOG_FORMAT must be json or pretty, or unset (it is ${shown(v)}).`,
  LOG_LEVEL: (v) =>
    `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace or silent (it is ${shown(v)}).`,
  SLACK_API_URL: (v) => `SLACK_API_URL must be an http:// or https:// URL ending in /api/ (${urlStart(v)}).`,
  WSA_INGEST_TOKEN: (v) => `WSA_INGEST_TOKEN must be at least 16 characters long (it has ${v.trim().length}).`,
  WSA_INGEST_MAX_BYTES: (v) => `WSA_INGEST_MAX_BYTES must be a whole number of bytes, 1024 or more (it is ${shown(v)}).`,
  WSA_DEMO: (v) => `WSA_DEMO must be on or off (it is ${shown(v)}).`,
  WSA_DEMO_USERS: (v) => `WSA_DEMO_USERS must be a whole number from 50 to 100000 (it is ${shown(v)}).`,
  WSA_DIGEST_CATCH_UP_HOURS: (v) => `WSA_DIGEST_CATCH_UP_HOURS must be a number of hours from 0 to 168 (it is ${shown(v)}).`,
};

function problemWith(name: Variable, value: string): string {
  const say = WHAT_IT_MUST_BE[name];
  if (say) return say(value);
  return SECRETS.has(name) ? `${name} is not valid.` : `${name} is not valid (it is ${shown(value)}).`;
}

/** "A", "A and B", "A, B and C". */
function listed(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The chat credentials that only work together, checked on the environment as given. */
function credentialProblems(env: Record<string, string | undefined>): string[] {
  const isSet = (name: Variable) => (env[name]?.trim() ?? '') !== '';
  const problems: string[] = [];
  const slack = (['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'] as const).filter(isSet);
  if (slack.length > 0 && !isSet('SLACK_BOT_TOKEN')) {
    problems.push(
      `SLACK_BOT_TOKEN is not set, but ${listed(slack)} ${slack.length > 1 ? 'are' : 'is'}: Slack needs SLACK_BOT_TOKEN ` +
        'with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode); set none of them for local mode.',
    );
  }
  if (isSet('SLACK_BOT_TOKEN') && !isSet('SLACK_SIGNING_SECRET') && !isSet('SLACK_APP_TOKEN')) {
    problems.push(
      'SLACK_BOT_TOKEN is set without SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: set one of them too ' +
        '(the signing secret for HTTP, the app token for Socket Mode).',
    );
  }
  const teams = ['MICROSOFT_APP_ID', 'MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID'] as const;
  const teamsSet = teams.filter(isSet);
  if (teamsSet.length > 0 && teamsSet.length < teams.length) {
    const missing = teams.filter((n) => !isSet(n));
    problems.push(
      `${listed(teamsSet)} ${teamsSet.length > 1 ? 'are' : 'is'} set, but ${listed(missing)} ${missing.length > 1 ? 'are' : 'is'} not: ` +
        'set all three or none (an incomplete Teams registration would run unauthenticated).',
    );
  }
  return problems;
}

/**
 * The configuration of this environment. Every problem is reported together, in plain words —
 * each bad value once, then the credentials that must come together — and a secret's value is
 * never repeated.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  const problems: string[] = [];
  if (!result.success) {
    const bad = new Set<Variable>();
    for (const issue of result.error.issues) bad.add(issue.path[0] as Variable);
    for (const name of CONFIG_VARIABLES as Variable[]) {
      if (bad.has(name)) problems.push(problemWith(name, env[name] ?? ''));
    }
    if (problems.length === 0) problems.push('The environment could not be read as configuration.');
  }
  problems.push(...credentialProblems(env));
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const e = result.data;
  const slackAny = e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN;
  const teamsAny = [e.MICROSOFT_APP_ID, e.MICROSOFT_APP_PASSWORD, e.MICROSOFT_APP_TENANT_ID].some(Boolean);

  const localMode = !slackAny && !teamsAny;
  const config: Config = {
    port: e.PORT,
    host: e.WSA_HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.WSA_DATA_DIR),
    now: e.WSA_NOW ? new Date(e.WSA_NOW) : undefined,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT as Config['logFormat'],
    slack: slackAny
      ? {
          botToken: e.SLACK_BOT_TOKEN as string,
          signingSecret: e.SLACK_SIGNING_SECRET,
          appToken: e.SLACK_APP_TOKEN,
          apiUrl: e.SLACK_API_URL,
        }
      : undefined,
    teams: teamsAny
      ? {
          appId: e.MICROSOFT_APP_ID as string,
          appPassword: e.MICROSOFT_APP_PASSWORD as string,
          tenantId: e.MICROSOFT_APP_TENANT_ID as string,
        }
      : undefined,
    localMode,
    ingest: { token: e.WSA_INGEST_TOKEN, maxBytes: e.WSA_INGEST_MAX_BYTES },
    demo: e.WSA_DEMO === 'on',
    demoUsers: e.WSA_DEMO_USERS,
    digestCatchUpMs: e.WSA_DIGEST_CATCH_UP_HOURS * 3_600_000,
  };
  return Object.freeze(config);
}

/** Every variable the configuration reads (`.env.example` documents each). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);
