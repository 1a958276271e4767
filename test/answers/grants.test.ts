/**
 * Stored grants and the audit log (docs/design.md §7) on both backends: `/wsa grant|revoke` in chat
 * and `wsa grant|revoke|audit` for the operator, group names resolved at grant time and followed
 * through renames, and an audit log the database keeps append-only.
 */
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answer } from '../../src/core/answer.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import { storeAudit } from '../../src/core/access/audit.ts';
import { storeGrants } from '../../src/core/access/grants.ts';
import { readPerson } from '../../src/core/grammar.ts';
import { silentLogger } from '../../src/log.ts';
import { listGrants } from '../../src/store/grants.ts';
import { readAudit } from '../../src/store/audit.ts';
import type { CliContext } from '../../src/cli/context.ts';
import { command as cliGrant } from '../../src/cli/commands/grant.ts';
import { command as cliRevoke } from '../../src/cli/commands/revoke.ts';
import { command as cliAudit } from '../../src/cli/commands/audit.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import type { Db } from '../../src/store/schema.ts';
import { addDirectorySnapshot } from './support.ts';

const NOW = new Date('2026-11-26T10:00:00Z');

export async function addGroups(db: Db, groups: Array<{ id: string; name: string }>, members: Record<string, string[]> = {}) {
  await db
    .insertInto('scim_groups')
    .values(groups.map((g) => ({ group_id: g.id, name: g.name, name_key: g.name.toLowerCase(), named_as_of: '2026-11-21' })))
    .execute();
  for (const [email, ids] of Object.entries(members)) {
    await db.updateTable('directory_accounts').set({ group_ids: ids }).where('email_key', '=', email.toLowerCase()).execute();
  }
}

describe('a person in command text', () => {
  it('reads Slack escapes and plain emails', () => {
    expect(readPerson('<@U123ABC|lead>')).toEqual({ kind: 'slack-user', userId: 'U123ABC' });
    expect(readPerson('<@U123ABC>')).toEqual({ kind: 'slack-user', userId: 'U123ABC' });
    expect(readPerson('<mailto:Ana@Example.com|Ana@Example.com>')).toEqual({ kind: 'email', email: 'Ana@Example.com' });
    expect(readPerson('ana@example.com')).toEqual({ kind: 'email', email: 'ana@example.com' });
    expect(readPerson('sales')).toBeNull();
  });
});

describe.each(backends())('grants and the audit log on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  beforeEach(async () => {
    await clearStore(store.db);
    await addDirectorySnapshot(store.db, '2026-11-21', [
      { email: 'Owner@Example.com', user_role: 'account-owner' },
      { email: 'admin@example.com', user_role: 'account-admin' },
      { email: 'Lead@Example.com', user_role: 'standard-user' },
      { email: 'member@example.com', user_role: 'standard-user' },
    ]);
    await addGroups(store.db, [
      { id: 'g-sales', name: 'Sales EMEA' },
      { id: 'g-legal', name: 'Legal' },
    ]);
  });
  afterAll(async () => {
    await store?.close();
  });

  const ask = (email: string | null, text: string, where: 'direct' | 'channel' = 'direct') =>
    answer({
      db: store.db,
      clock: fixedClock(NOW),
      logger: silentLogger(),
      registry,
      caller: email === null ? { kind: 'operator' } : { kind: 'person', email, platform: 'slack', platformUserId: 'U0OWNER' },
      text,
      where,
      channelId: 'C0CHAN',
      grants: storeGrants,
      onDecision: storeAudit(store.db),
    });

  function cli(): { ctx: CliContext; out: () => string } {
    let out = '';
    const stdout = new Writable({
      write(chunk, _enc, done) {
        out += String(chunk);
        done();
      },
    });
    const ctx = {
      config: {} as CliContext['config'],
      logger: silentLogger(),
      clock: fixedClock(NOW),
      registry,
      stdout,
      stderr: stdout,
      stdin: process.stdin,
      openStore: async () => ({ ...store, close: async () => {} }),
    } as unknown as CliContext;
    return { ctx, out: () => out };
  }

  it('an owner grants a group-scoped viewer role in chat; it counts at once, case-insensitively', async () => {
    const granted = await ask('owner@example.com', 'grant <mailto:LEAD@example.com|LEAD@example.com> Analytics-Viewer team:"sales emea"');
    expect(granted.error).toBeNull();
    expect(granted.summary.join(' ')).toMatch(/LEAD@example\.com is now an analytics viewer for Sales EMEA/);
    expect(await listGrants(store.db, 'lead@EXAMPLE.com')).toMatchObject([{ groupId: 'g-sales', groupName: 'Sales EMEA', source: 'manual', grantedBy: 'owner@example.com' }]);
    const who = await ask('lead@example.com', 'whoami');
    expect(who.summary.join('\n')).toMatch(/analytics viewer/i);
    expect(who.summary.join('\n')).toMatch(/Sales EMEA/);
    // Outside the grant: refused, naming the groups it covers.
    const outside = await ask('Lead@Example.com', 'overview team:legal');
    expect(outside.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/covers Sales EMEA, not "legal"/) });
  });

  it('follows a renamed group', async () => {
    await ask('owner@example.com', 'grant lead@example.com analytics-viewer team:"Sales EMEA"');
    await store.db.updateTable('scim_groups').set({ name: 'Sales Europe', name_key: 'sales europe' }).where('group_id', '=', 'g-sales').execute();
    expect(await storeGrants(store.db, 'lead@example.com')).toEqual([{ role: 'analytics-viewer', groups: ['Sales Europe'] }]);
  });

  it('refuses an unknown group with the closest names, and a role that cannot be granted', async () => {
    const unknown = await ask('owner@example.com', 'grant lead@example.com analytics-viewer team:"Sales EMAE"');
    expect(unknown.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/Did you mean "Sales EMEA"/) });
    const admin = await ask('owner@example.com', 'grant lead@example.com admin');
    expect(admin.error).toMatchObject({ code: 'usage', message: expect.stringMatching(/grants only analytics-viewer/) });
    const mention = await ask('owner@example.com', 'grant <@U999|someone> analytics-viewer');
    expect(mention.error?.message).toMatch(/could not read the email of that Slack user/);
    expect(await listGrants(store.db)).toEqual([]);
  });

  it('grants to someone not in the directory and says so', async () => {
    const r = await ask('admin@example.com', 'grant new.hire@example.com analytics-viewer');
    expect(r.summary.join(' ')).toMatch(/not in the workspace directory/);
    expect(await storeGrants(store.db, 'new.hire@example.com')).toEqual([{ role: 'analytics-viewer', groups: null }]);
  });

  it('members and viewers cannot grant; the refusal is audited', async () => {
    await ask('owner@example.com', 'grant lead@example.com analytics-viewer');
    for (const email of ['member@example.com', 'lead@example.com']) {
      const r = await ask(email, 'grant member@example.com analytics-viewer');
      expect(r.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/Granting roles needs the owner or admin role/) });
    }
    const denied = await readAudit(store.db, { decision: 'denied' });
    expect(denied.map((d) => [d.actor, d.command, d.grantee, d.role])).toEqual([
      ['member@example.com', 'grant', 'member@example.com', 'analytics-viewer'],
      ['lead@example.com', 'grant', 'member@example.com', 'analytics-viewer'],
    ]);
  });

  it('revoke without team: ends every grant of the role; with team: only that one', async () => {
    await ask('owner@example.com', 'grant lead@example.com analytics-viewer team:"Sales EMEA"');
    await ask('owner@example.com', 'grant lead@example.com analytics-viewer team:legal');
    await ask('owner@example.com', 'grant lead@example.com analytics-viewer');
    const one = await ask('owner@example.com', 'revoke LEAD@example.com analytics-viewer team:legal');
    expect(one.summary.join(' ')).toMatch(/no longer an analytics viewer for Legal/);
    expect((await listGrants(store.db, 'lead@example.com')).map((g) => g.groupId)).toEqual([null, 'g-sales'].sort((a, b) => (a === null ? 1 : b === null ? -1 : 0)));
    const all = await ask('owner@example.com', 'revoke lead@example.com analytics-viewer');
    expect(all.summary.join(' ')).toMatch(/2 grants ended/);
    expect(await listGrants(store.db, 'lead@example.com')).toEqual([]);
    expect((await ask('lead@example.com', 'overview')).error?.code).toBe('forbidden');
  });

  it('the operator grants and revokes at the command line, and reads the audit log', async () => {
    const g = cli();
    expect(await cliGrant.run(['Lead@example.com', 'analytics-viewer', '--team', 'sales emea', '--team', 'LEGAL'], g.ctx)).toBe(0);
    expect(g.out()).toMatch(/analytics viewer for Sales EMEA, Legal/);
    expect(await storeGrants(store.db, 'lead@example.com')).toEqual([{ role: 'analytics-viewer', groups: ['Legal', 'Sales EMEA'] }]);
    const r = cli();
    expect(await cliRevoke.run(['lead@example.com', 'analytics-viewer', '--team', 'legal'], r.ctx)).toBe(0);
    expect(await storeGrants(store.db, 'lead@example.com')).toEqual([{ role: 'analytics-viewer', groups: ['Sales EMEA'] }]);
    await ask('member@example.com', 'overview');
    await ask('nobody-knows', 'zzz-not-a-command sales secret');

    const a = cli();
    expect(await cliAudit.run(['--json'], a.ctx)).toBe(0);
    const { rows } = JSON.parse(a.out()) as { rows: Array<Record<string, unknown>> };
    expect(rows.map((x) => [x.actor, x.command, x.decision])).toEqual([
      ['operator', 'grant', 'allowed'],
      ['operator', 'revoke', 'allowed'],
      ['member@example.com', 'overview', 'denied'],
      ['nobody-knows', 'unknown (17 chars)', 'denied'],
    ]);
    expect(rows[0]).toMatchObject({ at: NOW.toISOString(), where: 'cli', grantee: 'lead@example.com', role: 'analytics-viewer', groups: ['Sales EMEA', 'Legal'] });
    expect(rows[2]).toMatchObject({ where: 'direct C0CHAN', platform: 'slack', platform_user_id: 'U0OWNER', reason: expect.stringMatching(/your role is member/) });
    // Never the typed text.
    expect(a.out()).not.toMatch(/secret|zzz/);

    const d = cli();
    expect(await cliAudit.run(['--json', '--decision', 'denied', '--actor', 'MEMBER@example.com', '--since', '2026-11-26'], d.ctx)).toBe(0);
    expect((JSON.parse(d.out()) as { rows: unknown[] }).rows).toHaveLength(1);
  });

  it('records every answer without its figures, and /wsa audit answers owners privately', async () => {
    await ask('owner@example.com', 'settings seats:1200');
    const rows = await readAudit(store.db);
    expect(rows).toMatchObject([{ actor: 'owner@example.com', command: 'settings', keys: ['seats'], decision: 'allowed', where: 'direct' }]);
    expect(JSON.stringify(rows)).not.toMatch(/1200/);
    expect((await ask('owner@example.com', 'audit', 'channel')).error?.message).toMatch(/only privately/);
    expect((await ask('member@example.com', 'audit')).error?.code).toBe('forbidden');
    const shown = await ask('admin@example.com', 'audit decision:denied');
    expect(shown.error).toBeNull();
    // The member's refusal; the owner's channel request was allowed, then refused as not private.
    expect(shown.rows.map((r) => [r.actor, r.command])).toEqual([['member@example.com', 'audit']]);
  });

  it('records the operator\'s settings changes at the command line, keys only', async () => {
    const { command: cliSettings } = await import('../../src/cli/commands/settings.ts');
    const c = cli();
    expect(await cliSettings.run(['seats:4321'], c.ctx)).toBe(0);
    expect(await readAudit(store.db)).toMatchObject([{ actor: 'operator', platform: 'cli', command: 'settings', keys: ['seats'], decision: 'allowed' }]);
    expect(JSON.stringify(await readAudit(store.db))).not.toMatch(/4321/);
  });

  it('keeps the audit log append-only in the database', async () => {
    await ask('owner@example.com', 'whoami');
    await expect(sql`update audit_log set actor = 'someone else'`.execute(store.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(store.db)).rejects.toThrow(/append-only/);
    expect(await readAudit(store.db)).toHaveLength(1);
    await sql`truncate audit_log`.execute(store.db);
    expect(await readAudit(store.db)).toHaveLength(0);
  });
});
