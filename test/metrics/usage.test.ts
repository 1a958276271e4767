/**
 * overview, active-users, messages on the core workspace (test/metrics/core-fixture.ts), fed by
 * Users reports and by events holding the same activity: the same expected numbers for both,
 * except tool_messages (Users reports count tool-generated messages: here twice the events'
 * count) and skills/apps (not in Users reports: null).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeUsers, messages, overview, type MetricRequest } from '../../src/metrics/api.ts';
import { NotFoundError, UnanswerableError } from '../../src/core/errors.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { buildCore, TODAY } from './core-fixture.ts';

function req(start: string, end: string, extra: Partial<MetricRequest> = {}): MetricRequest {
  return { range: { start, end }, today: TODAY, ...extra };
}

const SOURCES = ['exports', 'events'] as const;

describe.each(backends())('usage metrics on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  describe.each(SOURCES)('fed by %s', (source) => {
    const ev = source === 'events';
    // Users reports count tool-generated messages (the fixture: twice the events' count).
    const tools = (n: number) => (ev ? n : 2 * n);
    // Skills and apps exist only in events.
    const evOnly = (n: number) => (ev ? n : null);

    beforeAll(async () => {
      await clearStore(store.db);
      await buildCore(store.db, source);
    });

    it('active users are distinct across weeks, with a weekly trend for whole weeks', async () => {
      const a = await activeUsers(store.db, req('2026-02-01', '2026-02-28'));
      // ann, bob, dan, hal (W1) + cat (W2) + eve (W4) = 6 distinct; weekly 4 + 3 + 3 + 3 = 13.
      expect(a.values).toEqual({ active_users: 6 });
      expect(a.grain).toBe('week');
      expect(a.series).toEqual([
        { period_start: '2026-02-01', period_end: '2026-02-07', active_users: 4 }, // ann bob dan hal
        { period_start: '2026-02-08', period_end: '2026-02-14', active_users: 3 }, // ann cat dan
        { period_start: '2026-02-15', period_end: '2026-02-21', active_users: 3 }, // ann bob dan
        { period_start: '2026-02-22', period_end: '2026-02-28', active_users: 3 }, // ann dan eve (eve: this week only)
      ]);
      expect(a.covered).toEqual({ start: '2026-02-01', end: '2026-02-28' });
      expect(a.partial).toBe(false);
      expect(a.dataThrough).toBe('2026-03-04');
      expect(a.lastUpdated).toBeInstanceOf(Date);
      expect(a.warnings).toEqual([]);
    });

    it('counts a user active in one week only once, and people deleted since', async () => {
      // W4 alone: ann, dan, eve. Eve sent messages in W4 only.
      const w4 = await activeUsers(store.db, req('2026-02-22', '2026-02-28'));
      expect(w4.values.active_users).toBe(3);
      // W1 alone: hal is deleted from Feb 21 but was active: ann, bob, dan, hal.
      const w1 = await activeUsers(store.db, req('2026-02-01', '2026-02-07'));
      expect(w1.values.active_users).toBe(4);
    });

    it('messages of every kind, with their weekly trend', async () => {
      const m = await messages(store.db, req('2026-02-01', '2026-02-28'));
      expect(m.values).toEqual({
        messages: 65, // W1 10+3+1+4=18, W2 10+5+1=16, W3 10+2+1=13, W4 10+1+7=18
        gpt_messages: 7, // ann 2 + hal 4 (W1) + cat 1 (W2)
        tool_messages: tools(5), // ann 3 + bob 1 (W1) + ann 1 (W2)
        project_messages: 3, // ann 1 (W1) + 2 (W2)
        skill_messages: evOnly(3), // ann 1 (W1) + cat 2 (W2)
        app_messages: evOnly(3), // ann 1 (W1) + eve 2 (W4)
      });
      expect(m.series).toEqual([
        { period_start: '2026-02-01', period_end: '2026-02-07', messages: 18, gpt_messages: 6, tool_messages: tools(4), project_messages: 1, skill_messages: evOnly(1), app_messages: evOnly(1) },
        { period_start: '2026-02-08', period_end: '2026-02-14', messages: 16, gpt_messages: 1, tool_messages: tools(1), project_messages: 2, skill_messages: evOnly(2), app_messages: evOnly(0) },
        { period_start: '2026-02-15', period_end: '2026-02-21', messages: 13, gpt_messages: 0, tool_messages: tools(0), project_messages: 0, skill_messages: evOnly(0), app_messages: evOnly(0) },
        { period_start: '2026-02-22', period_end: '2026-02-28', messages: 18, gpt_messages: 0, tool_messages: tools(0), project_messages: 0, skill_messages: evOnly(0), app_messages: evOnly(2) },
      ]);
      if (ev) {
        expect(m.warnings).toContain(
          'Tool messages from usage events count messages that used a tool, so they are part of all messages (Users reports count tool-generated messages separately, often more than all messages).',
        );
      } else {
        expect(m.warnings).toContain('Users reports carry no skill or app usage, so skill messages and app messages are not known for this workspace.');
      }
      // No internal key names in sentences.
      for (const w of m.warnings) expect(w).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    });

    it('overview compares with the previous week', async () => {
      const o = await overview(store.db, req('2026-02-08', '2026-02-14'));
      expect(o.values).toEqual({
        active_users: 3,
        messages: 16,
        gpt_messages: 1,
        tool_messages: tools(1),
        project_messages: 2,
        skill_messages: evOnly(2),
        app_messages: evOnly(0),
        active_users_change_pct: (3 - 4) / 4,
        messages_change_pct: (16 - 18) / 18,
        gpt_messages_change_pct: (1 - 6) / 6,
        tool_messages_change_pct: (tools(1) - tools(4)) / tools(4), // -0.75 either way
        project_messages_change_pct: (2 - 1) / 1,
        skill_messages_change_pct: ev ? (2 - 1) / 1 : null,
        app_messages_change_pct: ev ? (0 - 1) / 1 : null,
      });
      expect(o.grain).toBe('week');
      expect(o.series).toEqual([{ period_start: '2026-02-08', period_end: '2026-02-14', active_users: 3, messages: 16 }]);
    });

    it('overview of a month with no previous data has null changes', async () => {
      const o = await overview(store.db, req('2026-02-01', '2026-02-28'));
      // The previous period of four whole weeks is Jan 4–31: no data.
      expect(o.values.active_users).toBe(6);
      expect(o.values.messages).toBe(65);
      for (const k of ['active_users', 'messages', 'gpt_messages', 'tool_messages', 'project_messages', 'skill_messages', 'app_messages']) {
        expect(o.values[`${k}_change_pct`]).toBeNull();
      }
      expect(o.warnings.some((w) => w.includes('No data for the previous period'))).toBe(true);
      expect(o.series.map((s) => [s.active_users, s.messages])).toEqual([[4, 18], [3, 16], [3, 13], [3, 18]]);
    });

    it('a partial period is answered over its covered part and says so', async () => {
      // this-week asked Sun Mar 1 – Sat Mar 7; today Thu Mar 5; data through Wed Mar 4.
      const o = await overview(store.db, req('2026-03-01', '2026-03-07'));
      expect(o.range).toEqual({ start: '2026-03-01', end: '2026-03-05' });
      expect(o.covered).toEqual({ start: '2026-03-01', end: '2026-03-04' });
      expect(o.partial).toBe(true);
      expect(o.warnings[0]).toBe('Numbers cover 1–4 Mar 2026 only, not all of 1–5 Mar 2026: the data runs through Wed 4 Mar 2026.');
      // fay 2 + ann 4; previous = the whole week Feb 22–28: active 3, messages 18, apps 2.
      expect(o.values).toMatchObject({
        active_users: 2,
        messages: 6,
        active_users_change_pct: (2 - 3) / 3,
        messages_change_pct: (6 - 18) / 18,
        gpt_messages_change_pct: null, // 0 before
        tool_messages_change_pct: null,
        project_messages_change_pct: null,
        skill_messages_change_pct: null,
        app_messages_change_pct: ev ? (0 - 2) / 2 : null,
      });
      // The week has data for four of its five days so far: marked partial.
      expect(o.series).toEqual([{ period_start: '2026-03-01', period_end: '2026-03-05', active_users: 2, messages: 6, partial: true }]);
    });

    it('a partial week trends by day where the data has days, and explains otherwise', async () => {
      const a = await activeUsers(store.db, req('2026-03-01', '2026-03-07'));
      expect(a.values.active_users).toBe(2);
      if (ev) {
        expect(a.grain).toBe('day');
        // Mar 1: nobody (a real 0: the data covers it), Mar 2: fay, Mar 3: nobody, Mar 4: ann,
        // Mar 5: after the data (no data yet, not 0).
        expect(a.series.map((s) => [s.period_start, s.active_users])).toEqual([
          ['2026-03-01', 0],
          ['2026-03-02', 1],
          ['2026-03-03', 0],
          ['2026-03-04', 1],
          ['2026-03-05', null],
        ]);
        expect(a.series.some((s) => s.partial)).toBe(false);
        expect(a.warnings).toContain('No data yet for 5 Mar 2026: the data runs through Wed 4 Mar 2026.');
      } else {
        expect(a.grain).toBeNull();
        expect(a.series).toEqual([]);
        expect(a.warnings.some((w) => /no daily numbers/.test(w))).toBe(true);
      }
    });

    it('a period starting before the data is answered over the covered part', async () => {
      const a = await activeUsers(store.db, req('2026-01-25', '2026-02-14'));
      // Feb 1–14: ann, bob, dan, hal, cat.
      expect(a.values.active_users).toBe(5);
      expect(a.covered).toEqual({ start: '2026-02-01', end: '2026-02-14' });
      expect(a.warnings).toEqual([
        'Numbers cover 1–14 Feb 2026 only, not all of 25 Jan – 14 Feb 2026: the data starts Sun 1 Feb 2026.',
        'No data for 25–31 Jan 2026: the data starts Sun 1 Feb 2026.',
      ]);
      // The week before the data is unknown, not a week nobody was active in.
      expect(a.series.map((s) => s.active_users)).toEqual([null, 4, 3]);
      // By month: Jan 25–31 (no data) and Feb 1–14 (two weekly reports, or fourteen days).
      const byMonth = await activeUsers(store.db, req('2026-01-25', '2026-02-14', { grain: 'month' }));
      expect(byMonth.series).toEqual([
        { period_start: '2026-01-25', period_end: '2026-01-31', active_users: null },
        { period_start: '2026-02-01', period_end: '2026-02-14', active_users: 5 },
      ]);
    });

    it('a period with no data is unknown (null), not 0, and says what data exists', async () => {
      const m = await messages(store.db, req('2026-01-04', '2026-01-31'));
      expect(m.covered).toBeNull();
      expect(m.values).toEqual({
        messages: null,
        gpt_messages: null,
        tool_messages: null,
        project_messages: null,
        skill_messages: null,
        app_messages: null,
      });
      expect(m.warnings[0]).toBe('No data for 4–31 Jan 2026: the data starts Sun 1 Feb 2026.');
      expect(m.warnings[1]).toBe('No data for 4–31 Jan 2026 (4 weeks): the data starts Sun 1 Feb 2026.');
      expect(m.series.map((s) => s.messages)).toEqual([null, null, null, null]);
      const a = await activeUsers(store.db, req('2026-01-04', '2026-01-31'));
      expect(a.values.active_users).toBeNull();
      // After the data: today is Thu 5 Mar, the data runs through Wed 4 Mar.
      const later = await activeUsers(store.db, req('2026-03-05', '2026-03-05'));
      expect(later.values.active_users).toBeNull();
      expect(later.warnings[0]).toBe('No data yet for 5 Mar 2026: the data runs through Wed 4 Mar 2026.');
    });

    it('a group filter counts members as of the end of the period and of each entry', async () => {
      const a = await messages(store.db, req('2026-02-01', '2026-02-28', { groupName: 'SALES' }));
      // Sales as of Feb 28: ann, bob, dan (moved in Feb 21), ivy: ann 40 + bob 5 + dan 4.
      expect(a.values.messages).toBe(49);
      expect(a.group).toEqual({ name: 'Sales', ids: ['g-sales'] });
      const u = await activeUsers(store.db, req('2026-02-01', '2026-02-28', { groupName: 'sales' }));
      expect(u.values.active_users).toBe(3);
      // W1, W2 members: ann, bob, ivy; W3, W4: ann, bob, dan, ivy.
      expect(u.series.map((s) => s.active_users)).toEqual([2, 1, 3, 2]); // ann bob | ann | ann bob dan | ann dan
      const eng = await activeUsers(store.db, req('2026-02-01', '2026-02-28', { groupName: 'Engineering' }));
      // Engineering as of Feb 28: cat only (dan moved, hal deleted without groups).
      expect(eng.values.active_users).toBe(1);
      // As of Feb 7: cat, dan, hal → W1 actives dan, hal.
      expect(eng.series[0]!.active_users).toBe(2);
    });

    it('an unknown group is refused with the closest names', async () => {
      const err = await activeUsers(store.db, req('2026-02-01', '2026-02-28', { groupName: 'Sails' })).catch((e) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err.message).toMatch(/"Sales"/);
    });

    it('a range the reports do not tile gets an explanation from exports, an answer from events', async () => {
      const r = req('2026-02-04', '2026-02-20');
      if (ev) {
        const a = await activeUsers(store.db, r);
        // dan Feb 4, hal Feb 5, ann Feb 9 and 16, cat Feb 10, dan Feb 11 and 18, bob Feb 17.
        expect(a.values.active_users).toBe(5);
        const m = await messages(store.db, r);
        expect(m.values.messages).toBe(1 + 4 + 10 + 5 + 1 + 10 + 2 + 1);
      } else {
        const err = await activeUsers(store.db, r).catch((e) => e);
        expect(err).toBeInstanceOf(UnanswerableError);
        expect(err.message).toMatch(/cannot give 4–20 Feb 2026 exactly/);
      }
    });

    it('a daily trend is explained away for exports, and month grain tiles with the monthly report', async () => {
      const r = req('2026-02-01', '2026-02-28', { grain: 'day' });
      if (ev) {
        const m = await messages(store.db, r);
        expect(m.series).toHaveLength(28);
        expect(m.series[0]).toMatchObject({ period_start: '2026-02-01', messages: 10 });
        expect(m.series.reduce((t, s) => t + (s.messages as number), 0)).toBe(65);
      } else {
        await expect(messages(store.db, r)).rejects.toThrow(UnanswerableError);
      }
      const byMonth = await activeUsers(store.db, req('2026-02-01', '2026-02-28', { grain: 'month' }));
      expect(byMonth.series).toEqual([{ period_start: '2026-02-01', period_end: '2026-02-28', active_users: 6 }]);
    });
  });
});
