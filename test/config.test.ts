import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, parseConfig } from '../src/config.ts';
import { ConfigError } from '../src/core/errors.ts';

describe('configuration', () => {
  it('documents every variable in .env.example with a comment', () => {
    const lines = readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n');
    const documented = lines
      .map((line, i) => ({ m: /^([A-Z0-9_]+)=/.exec(line), i }))
      .filter((x) => x.m)
      .map(({ m, i }) => {
        expect(lines[i - 1]?.startsWith('# '), `${m![1]} has a comment above it`).toBe(true);
        return m![1];
      });
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('defaults to local mode on loopback with the embedded store', () => {
    const c = parseConfig({});
    expect(c.localMode).toBe(true);
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(3978);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.ingest.token).toBeUndefined();
  });

  function problemsOf(env: Record<string, string>): string[] {
    try {
      parseConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    throw new Error('parseConfig accepted a broken environment');
  }

  it('reports every problem together, in plain words', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://admin:hunter2-password@db.example.com/wsa',
      WSA_NOW: 'yesterday',
      WSA_INGEST_TOKEN: 'short-secret',
      LOG_LEVEL: 'loud',
      SLACK_SIGNING_SECRET: 'slack-signing-secret-value',
      MICROSOFT_APP_ID: 'app-id',
      MICROSOFT_APP_PASSWORD: 'ms-password-value',
    });
    expect(problems).toEqual([
      'PORT must be a whole number from 0 to 65535 (it is "eighty").',
      'DATABASE_URL must be a postgres:// or postgresql:// URL (it starts with "mysql:").',
      'WSA_NOW must be an ISO-8601 timestamp such as 2025-11-03T09:00:00Z (it is "yesterday").',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace or silent (it is "loud").',
      'WSA_INGEST_TOKEN must be at least 16 characters long (it has 12).',
      'SLACK_BOT_TOKEN is not set, but SLACK_SIGNING_SECRET is: Slack needs SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) ' +
        'or SLACK_APP_TOKEN (Socket Mode); set none of them for local mode.',
      'MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD are set, but MICROSOFT_APP_TENANT_ID is not: set all three or none ' +
        '(an incomplete Teams registration would run unauthenticated).',
    ]);
    const all = problems.join('\n');
    for (const secret of ['hunter2', 'short-secret', 'slack-signing-secret-value', 'ms-password-value']) {
      expect(all).not.toContain(secret);
    }
    // no library wording
    expect(all).not.toMatch(/\bExpected\b|\breceived\b|\bnan\b|Invalid enum/i);
  });

  it('says what each bad value must be', () => {
    expect(problemsOf({ PORT: 'abc' })).toEqual(['PORT must be a whole number from 0 to 65535 (it is "abc").']);
    expect(problemsOf({ PORT: '70000', WSA_DEMO: 'maybe', WSA_DEMO_USERS: '10', WSA_INGEST_MAX_BYTES: '1.5' })).toEqual([
      'PORT must be a whole number from 0 to 65535 (it is "70000").',
      'WSA_INGEST_MAX_BYTES must be a whole number of bytes, 1024 or more (it is "1.5").',
      'WSA_DEMO must be on or off (it is "maybe").',
      'WSA_DEMO_USERS must be a whole number from 50 to 100000 (it is "10").',
    ]);
    expect(problemsOf({ DATABASE_URL: 'localhost:5432/wsa' })).toEqual([
      'DATABASE_URL must be a postgres:// or postgresql:// URL (it starts with "localhost:").',
    ]);
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_API_URL: 'ftp://x/api/' })).toEqual([
      'SLACK_API_URL must be an http:// or https:// URL ending in /api/ (it starts with "ftp:").',
      'SLACK_BOT_TOKEN is set without SLACK_SIGNING_SECRET or SLACK_APP_TOKEN: set one of them too ' +
        '(the signing secret for HTTP, the app token for Socket Mode).',
    ]);
  });

  it('refuses incomplete chat credentials', () => {
    expect(() => parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET or SLACK_APP_TOKEN/);
    expect(() => parseConfig({ SLACK_SIGNING_SECRET: 'abc' })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => parseConfig({ MICROSOFT_APP_ID: 'id' })).toThrow(/set all three or none/);
    const slack = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(slack.localMode).toBe(false);
    expect(slack.host).toBe('0.0.0.0');
  });

  it('lets the environment win over .env', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { loadEnvironment } = await import('../src/config.ts');
    const dir = mkdtempSync(join(tmpdir(), 'wsa-env-'));
    writeFileSync(join(dir, '.env'), 'PORT=4000\nLOG_LEVEL=debug\n');
    const env = loadEnvironment({ PORT: '5000' }, dir);
    expect(env.PORT).toBe('5000');
    expect(env.LOG_LEVEL).toBe('debug');
  });
});
