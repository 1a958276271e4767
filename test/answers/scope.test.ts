/**
 * A group-scoped analytics viewer (docs/design.md §7) end to end on the small workspace: without
 * `team:` every answer is of their groups — the same numbers an owner gets asking with their
 * `team:` — and no person outside their groups appears in any command's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/core/answer.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import { storeGrants } from '../../src/core/access/grants.ts';
import { silentLogger } from '../../src/log.ts';
import { addGrants } from '../../src/store/grants.ts';
import { updateSettings } from '../../src/store/settings.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { PEOPLE, TODAY_NOW, seedSmallWorkspace } from './support.ts';

const LEAD = 'lead@example.com';

/** Every analytics command, asked about last week (those without a period as they are). */
const ASKED = [
  'overview last-week',
  'active-users last-week',
  'messages last-week',
  'groups last-week',
  'users last-week',
  'benchmarks last-week',
  'impact last-week',
  'tasks last-week',
  'heatmap last-week',
  'top-users last-week',
  'power-users last-week',
  'gpts last-week',
  'projects last-week',
  'skills last-week',
];

describe.each(backends())('a group-scoped viewer on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
    await seedSmallWorkspace(store.db);
    const snapshot = await store.db.selectFrom('directory_snapshots').select('id').executeTakeFirstOrThrow();
    await store.db
      .insertInto('scim_groups')
      .values([
        { group_id: 'g-sales', name: 'Sales EMEA', name_key: 'sales emea', named_as_of: '2026-11-21' },
        { group_id: 'g-legal', name: 'Legal', name_key: 'legal', named_as_of: '2026-11-21' },
      ])
      .execute();
    // The admin and the member are in Sales EMEA (the member in Legal too); the owner only in Legal.
    const set = async (email: string, ids: string[]) =>
      store.db.updateTable('directory_accounts').set({ group_ids: ids }).where('email_key', '=', email.toLowerCase()).execute();
    await set(PEOPLE.admin.email, ['g-sales']);
    await set(PEOPLE.member.email, ['g-sales', 'g-legal']);
    await set(PEOPLE.owner.email, ['g-legal']);
    await store.db
      .insertInto('directory_accounts')
      .values({
        snapshot_id: snapshot.id,
        account_key: 'user-lead',
        public_id: 'user-lead',
        name: 'Lead',
        email: LEAD,
        email_key: LEAD,
        role: null,
        user_role: 'standard-user',
        department: null,
        group_ids: [],
        user_status: 'enabled',
        created_or_invited_date: null,
        last_day_active: null,
        position: 9,
      })
      .execute();
    await addGrants(store.db, { email: LEAD, groupIds: ['g-sales'], source: 'manual', grantedBy: 'operator', at: TODAY_NOW });
    await updateSettings(store.db, { seatsPurchased: 40 }, TODAY_NOW);
  });
  afterAll(async () => {
    await store?.close();
  });

  const ask = (email: string, text: string) =>
    answer({
      db: store.db,
      clock: fixedClock(TODAY_NOW),
      logger: silentLogger(),
      registry,
      caller: { kind: 'person', email },
      text,
      grants: storeGrants,
    });

  it.each(ASKED)('%s: the numbers of their group, as an owner asking with team:', async (text) => {
    const scoped = await ask(LEAD, text);
    if (text.startsWith('groups ') || text.startsWith('heatmap ')) {
      // These take no team: — they break down by group; the viewer's rows are the owner's rows of their group.
      const owner = await ask(PEOPLE.owner.email, text);
      expect(scoped.error).toBeNull();
      const mine = (rows: ReadonlyArray<Record<string, unknown>>) => rows.filter((r) => !JSON.stringify(r).includes('Legal'));
      if (text.startsWith('groups ')) expect(scoped.rows).toEqual(mine(owner.rows));
      return;
    }
    const owner = await ask(PEOPLE.owner.email, `${text} team:"Sales EMEA"`);
    if (owner.error) {
      expect(scoped.error).toEqual(owner.error);
      return;
    }
    expect(scoped.error).toBeNull();
    expect(scoped.values).toEqual(owner.values);
    expect(scoped.series).toEqual(owner.series);
    expect(scoped.filters.group).toBe('Sales EMEA');
  });

  it.each(ASKED)('%s: nobody outside their groups, no other group', async (text) => {
    const scoped = await ask(LEAD, text);
    const shown = JSON.stringify({ rows: scoped.rows, table: scoped.table, summary: scoped.summary });
    expect(shown).not.toMatch(/olive|owner/i);
    expect(shown).not.toMatch(/Legal/);
  });

  it.each([...ASKED, 'settings'])('%s: no workspace-wide figure', async (text) => {
    const scoped = await ask(LEAD, text);
    for (const key of ['seats_purchased', 'gpts_total', 'projects_total']) {
      if (key in scoped.values) expect(scoped.values[key], key).toBeNull();
    }
    // The owner asking the same without team: does get them (the settings hold 40 seats).
    const owner = await ask(PEOPLE.owner.email, text);
    if (text.startsWith('users ') || text === 'settings') expect(owner.values.seats_purchased).toBe(40);
    if (text === 'settings') expect(JSON.stringify(scoped.table)).not.toContain('Seats purchased');
  });

  it('is refused a group outside the grant, told which groups it covers', async () => {
    const r = await ask(LEAD, 'overview last-week team:legal');
    expect(r.error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/covers Sales EMEA, not "legal"/) });
  });

  it('whoami shows the grant and its scope', async () => {
    const r = await ask(LEAD, 'whoami');
    expect(r.summary.join('\n')).toMatch(/analytics viewer for Sales EMEA/i);
    expect(r.rows[0]).toMatchObject({ email: LEAD, role: 'analytics-viewer', grants: [{ role: 'analytics-viewer', groups: ['Sales EMEA'] }] });
  });
});
