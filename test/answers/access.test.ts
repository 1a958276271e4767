/**
 * The role gate of docs/design.md §7 as a table: every role × every command, first as the pure policy,
 * then end to end through answer() on a real store (directory rows in the database).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, type AccessEvent } from '../../src/core/answer.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { needOf } from '../../src/core/registry.ts';
import { COMMANDS, registry } from '../../commands/index.ts';
import { bindArgs, parseText } from '../../src/core/grammar.ts';
import { authorize, type Need } from '../../src/core/access/policy.ts';
import { resolveIdentity, type Caller, type Grant, type Identity } from '../../src/core/access/identity.ts';
import { storeAudit } from '../../src/core/access/audit.ts';
import { storeGrants } from '../../src/core/access/grants.ts';
import { addGrants } from '../../src/store/grants.ts';
import { readAudit } from '../../src/store/audit.ts';
import { sql } from 'kysely';
import { silentLogger } from '../../src/log.ts';
import { updateSettings } from '../../src/store/settings.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { addDirectorySnapshot } from './support.ts';
import { queryLog } from '../support/query-log.ts';
import { ANALYTICS_TABLES } from '../../src/store/tables.ts';

const NOW = new Date('2026-11-26T10:00:00Z');

/** What each command needs, written out by hand from docs/design.md §7 (not read from the code). */
const NEEDS: Record<string, Need> = {
  help: 'everyone',
  whoami: 'everyone',
  overview: 'viewer',
  'active-users': 'viewer',
  messages: 'viewer',
  groups: 'viewer',
  users: 'viewer',
  benchmarks: 'viewer',
  impact: 'viewer',
  tasks: 'viewer',
  heatmap: 'viewer',
  'top-users': 'viewer',
  'power-users': 'viewer',
  gpts: 'viewer',
  projects: 'viewer',
  skills: 'viewer',
  apps: 'viewer',
  freshness: 'viewer',
  settings: 'viewer',
  'settings seats:1200': 'admin',
  grant: 'admin',
  revoke: 'admin',
  audit: 'admin',
  export: 'admin',
  digest: 'admin',
  'digest list': 'admin',
  'digest preview weekly-adoption': 'admin',
  'digest opt-out': 'everyone',
};

const REQUESTS = Object.keys(NEEDS);

type RoleCase = 'operator' | 'owner' | 'admin' | 'viewer' | 'scoped' | 'member' | 'unknown' | 'not-enabled' | 'deleted';
const ROLES: RoleCase[] = ['operator', 'owner', 'admin', 'viewer', 'scoped', 'member', 'unknown', 'not-enabled', 'deleted'];

/** Who may do what: the roles allowed for each need. */
const ALLOWED: Record<Need, RoleCase[]> = {
  everyone: ROLES,
  viewer: ['operator', 'owner', 'admin', 'viewer', 'scoped'],
  admin: ['operator', 'owner', 'admin'],
};

function person(standing: 'found' | 'unknown' | 'not-enabled' | 'no-directory', role: 'owner' | 'admin' | 'member', grants: Grant[] = []): Identity {
  return {
    kind: 'person',
    email: 'someone@example.com',
    standing,
    directoryRole: role,
    directoryAsOf: '2026-11-21',
    accounts: [],
    grants,
  };
}

const IDENTITIES: Record<RoleCase, Identity> = {
  operator: { kind: 'operator' },
  owner: person('found', 'owner'),
  admin: person('found', 'admin'),
  viewer: person('found', 'member', [{ role: 'analytics-viewer', groups: null }]),
  scoped: person('found', 'member', [{ role: 'analytics-viewer', groups: ['Sales EMEA'] }]),
  member: person('found', 'member'),
  unknown: person('unknown', 'member'),
  'not-enabled': person('not-enabled', 'member'),
  deleted: person('not-enabled', 'member'),
};

const TABLE = ROLES.flatMap((role) => REQUESTS.map((text) => [role, text] as const));

describe('the table covers every command', () => {
  it('lists each registered command', () => {
    expect(COMMANDS.map((c) => c.name).sort()).toEqual(REQUESTS.filter((r) => !r.includes(' ')).sort());
  });
});

describe('access policy: every role × every command', () => {
  it.each(TABLE)('%s → %s', (role, text) => {
    const parsed = parseText(text);
    const command = registry.find(parsed.command as string);
    if (!command) throw new Error(`no command ${text}`);
    const args = bindArgs(command.name, command.args, parsed.args, '2026-11-26', registry.keys);
    const need = needOf(command, args);
    expect(need).toBe(NEEDS[text]);
    const decision = authorize(IDENTITIES[role], { command: command.name, need, group: null, where: 'cli' });
    expect(decision.allow).toBe(ALLOWED[need].includes(role));
  });
});

describe('access policy: reasons and scopes', () => {
  const ask = (identity: Identity, need: Need, group: string | null = null) =>
    authorize(identity, { command: 'overview', need, group, where: 'cli', action: 'Changing settings' });

  it('tells each refused person why', () => {
    const reason = (d: ReturnType<typeof ask>) => (d.allow ? '' : d.reason);
    expect(reason(ask(IDENTITIES.member, 'viewer'))).toMatch(/owner, admin or analytics-viewer role; your role is member/);
    expect(reason(ask(IDENTITIES.unknown, 'viewer'))).toMatch(/someone@example\.com is not in the workspace directory.*as a member/);
    expect(reason(ask(IDENTITIES['not-enabled'], 'viewer'))).toMatch(/no enabled account/);
    expect(reason(ask(IDENTITIES.viewer, 'admin'))).toMatch(/Changing settings needs the owner or admin role; your role is analytics viewer/);
    expect(reason(ask(person('no-directory', 'member'), 'viewer'))).toMatch(
      /No workspace directory has been imported yet/,
    );
  });

  it('limits a group-scoped viewer to their groups, whatever the case', () => {
    const scoped = person('found', 'member', [{ role: 'analytics-viewer', groups: ['Sales EMEA'] }]);
    expect(ask(scoped, 'viewer', 'sales emea')).toEqual({
      allow: true,
      role: 'analytics-viewer',
      scope: { groups: ['Sales EMEA'], aggregateOnly: false },
    });
    expect(ask(scoped, 'viewer')).toMatchObject({ allow: true, scope: { groups: ['Sales EMEA'] } });
    expect(ask(scoped, 'viewer', 'Legal')).toMatchObject({
      allow: false,
      reason: 'Your analytics-viewer grant covers Sales EMEA, not "Legal".',
    });
  });

  it('ignores a grant for someone without an enabled account', () => {
    const gone = person('not-enabled', 'member', [{ role: 'analytics-viewer', groups: null }]);
    expect(ask(gone, 'viewer').allow).toBe(false);
  });
});


const CALLERS: Record<RoleCase, Caller> = {
  operator: { kind: 'operator' },
  owner: { kind: 'person', email: 'OWNER@example.com' },
  admin: { kind: 'person', email: 'admin@example.com' },
  viewer: { kind: 'person', email: 'viewer@example.com' },
  scoped: { kind: 'person', email: 'Lead@Example.com' },
  member: { kind: 'person', email: 'member@example.com' },
  unknown: { kind: 'person', email: 'stranger@example.com' },
  'not-enabled': { kind: 'person', email: 'pending@example.com' },
  deleted: { kind: 'person', email: 'gone@example.com' },
};

describe.each(backends())('the gate end to end on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
    await addDirectorySnapshot(store.db, '2026-11-21', [
      { email: 'Owner@Example.com', user_role: 'account-owner' },
      { email: 'Admin@example.com', user_role: 'account-admin' },
      { email: 'viewer@example.com', user_role: 'standard-user' },
      { email: 'member@example.com', user_role: 'standard-user' },
      { email: 'pending@example.com', user_role: 'account-admin', user_status: 'pending', public_id: null },
      { email: 'lead@example.com', user_role: 'standard-user' },
      { email: 'gone@example.com', user_role: 'account-owner', user_status: 'deleted' },
    ]);
    await store.db
      .insertInto('scim_groups')
      .values({ group_id: 'g-sales', name: 'Sales EMEA', name_key: 'sales emea', named_as_of: '2026-11-21' })
      .execute();
    // Stored grants, as `wsa grant` makes them (a deleted account's grant counts for nothing).
    for (const [email, groups] of [
      ['viewer@example.com', null],
      ['lead@example.com', ['g-sales']],
      ['gone@example.com', null],
    ] as const) {
      await addGrants(store.db, { email, groupIds: groups, source: 'manual', grantedBy: 'operator', at: NOW });
    }
  });
  afterAll(async () => {
    await store?.close();
  });

  const log = queryLog();
  const analyticsRead = () => [...log.tables()].filter((t) => ANALYTICS_TABLES.includes(t));
  const run = (role: RoleCase, text: string) =>
    answer({
      db: store.db.withPlugin(log.plugin),
      clock: fixedClock(NOW),
      logger: silentLogger(),
      registry,
      caller: CALLERS[role],
      text,
      grants: storeGrants,
      onDecision: storeAudit(store.db),
    });

  it.each(TABLE)('%s → %s', async (role, text) => {
    await sql`truncate audit_log`.execute(store.db);
    log.clear();
    const reply = await run(role, text);
    // A refusal reads no analytics table (the check runs first); an answer to a question of
    // analytics does read them, so the log can tell.
    if (!ALLOWED[NEEDS[text] as Need].includes(role)) expect(analyticsRead()).toEqual([]);
    else if (NEEDS[text] === 'viewer' && text !== 'settings') expect(analyticsRead().length).toBeGreaterThan(0);
    const allowed = ALLOWED[NEEDS[text] as Need].includes(role);
    if (allowed) expect(reply.error?.code).not.toBe('forbidden');
    else expect(reply.error?.code).toBe('forbidden');
    // Every request leaves one audit entry; a refusal is recorded with its reason.
    const entries = await readAudit(store.db);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: role === 'operator' ? 'operator' : (CALLERS[role] as { email: string }).email.toLowerCase(),
      // `digest` is recorded with its action (`digest list`); other commands by their name alone.
      command: text.startsWith('digest ') ? text.split(' ').slice(0, 2).join(' ') : text.split(' ')[0],
      decision: allowed ? 'allowed' : 'denied',
    });
    if (!allowed) expect(entries[0]?.reason).toBe(reply.error?.message);
  });

  // Requests not understood are refused before anyone is looked up: nothing is read, and the audit
  // log records them as denied, "not understood", with the command as `unknown (N chars)`.
  it.each(ROLES.flatMap((role) => ['frobnicate last-week', 'overview period:someday'].map((text) => [role, text] as const)))(
    '%s → %s (not understood)',
    async (role, text) => {
      await sql`truncate audit_log`.execute(store.db);
      log.clear();
      const reply = await run(role, text);
      expect(reply.error?.code).toBe('usage');
      // (the audit hook writes through its own handle)
      expect([...log.tables()]).toEqual([]);
      const entries = await readAudit(store.db);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        command: text.startsWith('frobnicate') ? 'unknown (10 chars)' : 'overview',
        decision: 'denied',
        reason: 'not understood (usage)',
      });
    },
  );

  it('checks the role before the command reads anything', async () => {
    await updateSettings(store.db, { taskInsights: false }, NOW);
    // A member asking about task insights that are off, or about a group that does not exist,
    // is refused for their role, not told about the setting or the groups.
    expect((await run('member', 'tasks')).error?.code).toBe('forbidden');
    expect((await run('member', 'overview team:"No Such Team"')).error?.code).toBe('forbidden');
    expect((await run('admin', 'tasks')).error).toMatchObject({ code: 'unanswerable', message: expect.stringMatching(/Task insights are off/) });
    await updateSettings(store.db, { taskInsights: null }, NOW);
  });

  it('reports each decision to the audit hook, refusals included', async () => {
    const events: AccessEvent[] = [];
    await answer({
      db: store.db,
      clock: fixedClock(NOW),
      logger: silentLogger(),
      registry,
      caller: CALLERS.member,
      text: 'overview last-week',
      onDecision: (event) => {
        events.push(event);
      },
    });
    expect(events).toEqual([
      {
        at: NOW,
        caller: CALLERS.member,
        command: 'overview',
        keys: [],
        where: 'cli',
        channelId: null,
        decision: { allow: false, role: 'member', reason: expect.stringMatching(/your role is member/) },
        outcome: null,
        detail: null,
        audience: null,
      },
    ]);
  });

  it('resolves the role case-insensitively', async () => {
    const identity = await resolveIdentity(store.db, { kind: 'person', email: ' ADMIN@EXAMPLE.COM ' });
    expect(identity).toMatchObject({ kind: 'person', standing: 'found', directoryRole: 'admin' });
  });
});
