/** A broken environment through the real `wsa serve`: every problem in one start, exit 1, no secret shown. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runWsa } from '../support/cli.ts';

describe('wsa serve with a broken environment (real process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsa-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every problem at once, in plain words, and starts nothing', { timeout: 60_000 }, async () => {
    const dataDir = join(dir, 'store');
    const r = await runWsa(['serve'], {
      WSA_DATA_DIR: dataDir,
      PORT: 'abc',
      DATABASE_URL: 'postgres//wsa:s3cret-db-password@db.internal/wsa',
      SLACK_BOT_TOKEN: 'xoxb-not-to-be-shown',
      MICROSOFT_APP_PASSWORD: 'ms-password-not-to-be-shown',
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('PORT must be a whole number from 0 to 65535 (it is "abc").');
    expect(r.stderr).toContain('DATABASE_URL must be a postgres:// or postgresql:// URL (it is not a URL).');
    expect(r.stderr).toContain('SLACK_BOT_TOKEN is set without SLACK_SIGNING_SECRET or SLACK_APP_TOKEN');
    expect(r.stderr).toContain(
      'MICROSOFT_APP_PASSWORD is set, but MICROSOFT_APP_ID and MICROSOFT_APP_TENANT_ID are not: set all three or none',
    );
    for (const secret of ['s3cret-db-password', 'xoxb-not-to-be-shown', 'ms-password-not-to-be-shown']) {
      expect(r.stderr).not.toContain(secret);
    }
    expect(r.stderr).not.toMatch(/\bExpected\b|\breceived\b/);
    expect(existsSync(dataDir)).toBe(false);
  });
});
