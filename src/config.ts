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
  WSA_DEMO_USERS: z.coerce.number().int().min(50).max(100_000).default(2000),
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

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(`${issue.path.join('.') || 'environment'}: ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const e = result.data;

  const slackAny = e.SLACK_BOT_TOKEN || e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN;
  if (slackAny) {
    if (!e.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: required when any SLACK_* credential is set');
    if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
      problems.push(
        'SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: one is required with SLACK_BOT_TOKEN (HTTP needs the signing secret, Socket Mode the app token)',
      );
    }
  }
  const teamsVars = [e.MICROSOFT_APP_ID, e.MICROSOFT_APP_PASSWORD, e.MICROSOFT_APP_TENANT_ID];
  const teamsAny = teamsVars.some(Boolean);
  if (teamsAny && !teamsVars.every(Boolean)) {
    problems.push(
      'MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID: set all three or none (an incomplete Teams registration would run unauthenticated)',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const localMode = !slackAny && !teamsAny;
  const config: Config = {
    port: e.PORT,
    host: e.WSA_HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    databaseUrl: e.DATABASE_URL,
    dataDir: resolve(e.WSA_DATA_DIR),
    now: e.WSA_NOW ? new Date(e.WSA_NOW) : undefined,
    logLevel: e.LOG_LEVEL,
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
  };
  return Object.freeze(config);
}

/** Every variable the configuration reads (`.env.example` documents each). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);
