/** users (seats), benchmarks and groups on the core workspace (test/metrics/core-fixture.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { benchmarks, groups, users, type MetricRequest } from '../../src/metrics/api.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { buildCore, TODAY } from './core-fixture.ts';

function req(start: string, end: string, extra: Partial<MetricRequest> = {}): MetricRequest {
  return { range: { start, end }, today: TODAY, ...extra };
}

const FEB = ['2026-02-01', '2026-02-28'] as const;

describe.each(backends())('seats, benchmarks and groups on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  describe.each(['exports', 'events'] as const)('fed by %s', (source) => {
    beforeAll(async () => {
      await clearStore(store.db);
      await buildCore(store.db, source);
    });

    it('users: seats, invites and activation as of the end of the period', async () => {
      const u = await users(store.db, req(...FEB));
      expect(u.values).toEqual({
        seats_purchased: 20,
        // As of Feb 28: ann bob cat dan eve ivy enabled (hal deleted, fay not yet there).
        seats_enabled: 6,
        pending_invites: 1, // gus
        activated_users: 5, // ann bob cat dan eve (ivy never sent a message)
        active_users: 6, // ann bob cat dan eve + hal (deleted since)
      });
      // Week 1: as of Feb 7 hal is enabled (7 seats); activated by then: ann bob dan hal.
      const w1 = await users(store.db, req('2026-02-01', '2026-02-07'));
      expect(w1.values).toEqual({ seats_purchased: 20, seats_enabled: 7, pending_invites: 1, activated_users: 4, active_users: 4 });
    });

    it('users in a group count the group’s accounts, with a note on seats purchased', async () => {
      const u = await users(store.db, req(...FEB, { groupName: 'Sales' }));
      // Sales as of Feb 28: ann bob dan ivy; activated ann bob dan; active ann bob dan.
      expect(u.values).toEqual({ seats_purchased: null, seats_enabled: 4, pending_invites: 0, activated_users: 3, active_users: 3 });
      expect(u.warnings).toContain('Seats purchased is left out: it is the workspace-wide setting, not a figure of the group.');
    });

    it('a period before the data: seats from the oldest directory after it, no activation', async () => {
      const u = await users(store.db, req('2026-01-04', '2026-01-31'));
      // No snapshot ends by Jan 31: the oldest after it (Feb 7) gives 7 seats and 1 invite;
      // nobody had sent a message by Jan 31. Active users in a period with no data: unknown, not 0.
      expect(u.values).toEqual({ seats_purchased: 20, seats_enabled: 7, pending_invites: 1, activated_users: 0, active_users: null });
    });

    it('benchmarks over the complete weeks of the period', async () => {
      const b = await benchmarks(store.db, req(...FEB));
      // Weekly actives 4, 3, 3, 3 (sum 13), messages 65 → wau 13/4; messages per wau 65/13.
      expect(b.values).toEqual({
        activation_rate: 5 / 6,
        wau_per_activated_user: 13 / 4 / 5,
        messages_per_wau: 65 / 13,
        activated_users: 5,
        seats_enabled: 6,
        wau: 13 / 4,
      });
      expect(b.rows).toEqual([
        { metric: 'activation_rate', value: 5 / 6, median: 0.82, industry: 'Technology', illustrative: true },
        { metric: 'wau_per_activated_user', value: 0.65, median: 0.61, industry: 'Technology', illustrative: true },
        { metric: 'messages_per_wau', value: 5, median: 48, industry: 'Technology', illustrative: true },
      ]);
      expect(b.warnings.some((w) => w.includes('illustrative'))).toBe(true);
    });

    it('benchmarks in a group count each week’s actives among that week’s members', async () => {
      const b = await benchmarks(store.db, req(...FEB, { groupName: 'sales' }), { industry: 'healthcare' });
      // W1 (ann bob ivy): ann bob = 2, 13 msgs; W2: ann = 1, 10; W3 (dan joined): ann bob dan = 3, 13; W4: ann dan = 2, 11.
      expect(b.values).toEqual({
        activation_rate: 3 / 4,
        wau_per_activated_user: 2 / 3, // wau (2+1+3+2)/4 = 2 over 3 activated
        messages_per_wau: 47 / 8,
        activated_users: 3,
        seats_enabled: 4,
        wau: 2,
      });
      expect(b.rows[0]).toMatchObject({ industry: 'Healthcare', median: 0.66 });
    });

    it('benchmarks: a custom range averages its complete weeks only', async () => {
      // Feb 4–20 holds one complete week, Feb 8–14: 3 actives, 16 messages.
      const b = await benchmarks(store.db, req('2026-02-04', '2026-02-20'));
      // As of Feb 20 (directory of Feb 14): 7 enabled; activated by Feb 20: ann bob dan hal cat.
      expect(b.values).toEqual({
        activation_rate: 5 / 7,
        wau_per_activated_user: 3 / 5,
        messages_per_wau: 16 / 3,
        activated_users: 5,
        seats_enabled: 7,
        wau: 3,
      });
    });

    it('benchmarks: no complete week gives null wau and null ratios over it', async () => {
      const b = await benchmarks(store.db, req('2026-03-01', '2026-03-07'));
      // As of Mar 5 (directory of Mar 4): 7 enabled incl. fay; activated: ann bob cat dan eve fay.
      expect(b.values).toEqual({
        activation_rate: 6 / 7,
        wau_per_activated_user: null,
        messages_per_wau: null,
        activated_users: 6,
        seats_enabled: 7,
        wau: null,
      });
    });

    /** February's group rows, worked out by hand from the fixture, and those of its first week and of one group. */
    async function expectFebruaryGroups(): Promise<void> {
      const g = await groups(store.db, req(...FEB));
      expect(g.values).toEqual({ groups_hidden: 0 });
      expect(g.rows).toEqual([
        { group: 'Sales', members: 4, active_users: 3, messages: 49 }, // ann 40 + bob 5 + dan 4
        { group: 'Engineering', members: 1, active_users: 1, messages: 5 }, // cat
      ]);
      const w1 = await groups(store.db, req('2026-02-01', '2026-02-07'));
      expect(w1.rows).toEqual([
        { group: 'Sales', members: 3, active_users: 2, messages: 13 }, // ann bob ivy: 10 + 3
        { group: 'Engineering', members: 3, active_users: 2, messages: 5 }, // cat dan hal: 1 + 4
      ]);
      const one = await groups(store.db, req(...FEB, { groupName: 'ENGINEERING' }));
      expect(one.rows).toEqual([{ group: 'Engineering', members: 1, active_users: 1, messages: 5 }]);
    }

    it('groups: members as of the end, their activity in the period', async () => {
      await expectFebruaryGroups();
    });

    it('groups: the same rows when the statement runs in two halves by account key', async () => {
      // The halves split at the middle key of group_members' statistics, which exist once the
      // table is analyzed (before that the statement runs whole: the test above). Here they
      // list the seven members (ann bob cat dan fay hal ivy), so the split falls inside Sales
      // (ann bob | dan ivy) and Engineering (cat | dan hal).
      await sql`analyze group_members`.execute(store.db);
      const { rows } = await sql<{ keys: string[] | null }>`
        select coalesce(histogram_bounds, most_common_vals)::text::text[] as keys from pg_stats
        where schemaname = current_schema() and tablename = 'group_members' and attname = 'account_key'`.execute(store.db);
      expect(rows[0]?.keys?.length).toBeGreaterThanOrEqual(3);
      await expectFebruaryGroups();
    });

    it('groups in the aggregate form hide groups under the minimum size', async () => {
      const g = await groups(store.db, req(...FEB, { aggregateOnly: true }));
      // Minimum 10: Sales (4) and Engineering (1) are both left out.
      expect(g.values).toEqual({ groups_hidden: 2 });
      expect(g.groupsHidden).toBe(2);
      expect(g.rows).toEqual([]);
    });

    it('groups: two SCIM groups of one name are one row, a member of both counted once', async () => {
      // "SALES" (g-sales-2) holds ann and dan as of Feb 7: with Sales (ann bob ivy) that is
      // ann bob ivy dan, 3 of them active in week 1: ann 10 + bob 3 + dan 1. dan stays in
      // Engineering too (dan 1 + hal 4).
      await sql`insert into scim_groups (group_id, name, name_key, named_as_of) values ('g-sales-2', 'SALES', 'sales', '2026-01-01')`.execute(store.db);
      await sql`update directory_accounts set group_ids = group_ids || '{g-sales-2}'::text[]
        where account_key in ('user-ann', 'user-dan')
          and snapshot_id in (select id from directory_snapshots where as_of = '2026-02-07')`.execute(store.db);
      try {
        const w1 = await groups(store.db, req('2026-02-01', '2026-02-07'));
        expect(w1.rows).toEqual([
          { group: 'Sales', members: 4, active_users: 3, messages: 14 },
          { group: 'Engineering', members: 3, active_users: 2, messages: 5 },
        ]);
      } finally {
        await sql`update directory_accounts set group_ids = array_remove(group_ids, 'g-sales-2')`.execute(store.db);
        await sql`delete from scim_groups where group_id = 'g-sales-2'`.execute(store.db);
      }
    });
  });

  describe('directory history of Users reports', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      await buildCore(store.db, 'exports');
      // Make the monthly February snapshot differ from the weekly one ending the same day:
      // there, ivy is still a pending invite.
      await sql`
        update directory_accounts set user_status = 'pending'
        where account_key = 'user-ivy' and snapshot_id = (
          select s.id from directory_snapshots s join reports r on r.id = s.report_id
          where r.grain = 'month' and r.period_start = '2026-02-01')`.execute(store.db);
      // jon: in every report, never active in the imported weeks, but last active on Jan 20.
      await sql`
        insert into directory_accounts (snapshot_id, account_key, public_id, email, email_key, user_status, last_day_active, group_ids)
        select id, 'user-jon', 'user-jon', 'jon@example.com', 'jon@example.com', 'enabled', '2026-01-20'::date, '{}'::text[]
        from directory_snapshots`.execute(store.db);
    });

    it('the shorter of two snapshots ending the same day wins', async () => {
      const u = await users(store.db, req(...FEB));
      // Weekly W4 (Feb 22–28) over monthly February: ivy enabled; 6 + jon = 7 seats, 1 invite.
      expect(u.values.seats_enabled).toBe(7);
      expect(u.values.pending_invites).toBe(1);
    });

    it('last_day_active remembers activity from before the imported history', async () => {
      // Jan 4–31: directory of Feb 7 (oldest after); jon last active Jan 20 → activated.
      const u = await users(store.db, req('2026-01-04', '2026-01-31'));
      expect(u.values.activated_users).toBe(1);
      expect(u.values.active_users).toBeNull(); // no usage data in January
      // February: ann bob cat dan eve + jon.
      const feb = await users(store.db, req(...FEB));
      expect(feb.values.activated_users).toBe(6);
    });

    it('activity after the directory snapshot activates too', async () => {
      // ivy (enabled, never active as of Feb 28) sends her first message on Mon Mar 2, in the
      // Partial Weekly report Mar 1–4.
      await sql`
        insert into user_facts (report_id, grain, period_start, period_end, public_id,
          first_day_active_in_period, last_day_active_in_period, messages, last_day_active)
        select id, 'week', '2026-03-01', '2026-03-04', 'user-ivy', '2026-03-02', '2026-03-02', 3, '2026-03-02'
        from reports where kind = 'users' and grain = 'week' and period_start = '2026-03-01'`.execute(store.db);
      // Feb 22 – Mar 3: the directory as of Mar 3 is the week ending Feb 28 (ivy enabled, never
      // active there); her Mar 2 activity counts: ann bob cat dan eve jon + ivy.
      const u = await users(store.db, req('2026-02-22', '2026-03-03'));
      expect(u.values.seats_enabled).toBe(7);
      expect(u.values.activated_users).toBe(7);
      // Up to Mar 1 she had not started yet.
      const before = await users(store.db, req('2026-02-22', '2026-03-01'));
      expect(before.values.activated_users).toBe(6);
    });
  });
});
