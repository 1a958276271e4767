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

  it('reports every problem together', () => {
    let caught: unknown;
    try {
      parseConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        WSA_NOW: 'yesterday',
        WSA_INGEST_TOKEN: 'short',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/DATABASE_URL/);
    expect(problems).toMatch(/WSA_NOW/);
    expect(problems).toMatch(/WSA_INGEST_TOKEN/);
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
