/** gpts, projects and skills on the core workspace, with GPT and Project reports as the catalog. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpts, projects, skills, type MetricRequest } from '../../src/metrics/api.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { buildCore, TODAY } from './core-fixture.ts';

const FEB: MetricRequest = { range: { start: '2026-02-01', end: '2026-02-28' }, today: TODAY };

describe.each(backends())('GPTs, projects and skills on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  describe.each(['exports', 'events'] as const)('fed by %s', (source) => {
    const ev = source === 'events';
    beforeAll(async () => {
      await clearStore(store.db);
      const f = await buildCore(store.db, source);
      // An older weekly GPT report names g-1 differently; the February one is newer.
      await f.catalogReport('gpt', { grain: 'week', start: '2026-02-01', end: '2026-02-07', rows: [{ id: 'g-1', name: 'Writer (beta)', messages: 99 }] });
      await f.catalogReport('gpt', {
        grain: 'month',
        start: '2026-02-01',
        end: '2026-02-28',
        rows: [
          { id: 'g-1', name: 'Writer', creator: 'user-ann', messages: 99, unique: 9 },
          { id: 'g-2', name: 'Coder', config: 'draft' },
          { id: 'g-3', name: 'Unused' },
        ],
      });
      // A GPT first reported in March is not known in February.
      await f.catalogReport('gpt', { grain: 'week', start: '2026-03-01', end: '2026-03-04', rows: [{ id: 'g-4', name: 'Later' }] });
      await f.catalogReport('project', {
        grain: 'month',
        start: '2026-02-01',
        end: '2026-02-28',
        rows: [{ id: 'g-p-1', name: 'Launch' }, { id: 'g-p-2', name: 'Idle' }],
      });
    });

    it('gpts: catalog totals, activity from the usage facts, per-item usage and reach', async () => {
      const g = await gpts(store.db, FEB);
      // Known by Feb 28: g-1, g-2, g-3. Used: g-1 by ann (2) and cat (1), g-2 by hal (4).
      expect(g.values).toEqual({ gpts_total: 3, gpts_created: null, gpts_active: 2 });
      expect(g.warnings.some((w) => w.includes('GPTs created is not known'))).toBe(true);
      // Usage comes from the facts, never from the GPT report's own columns (99 above).
      expect(g.rows.map((r) => [r.gpt_id, r.gpt_name, r.config_type, r.is_active, r.messages_workspace, r.unique_messagers_workspace])).toEqual([
        ['g-2', 'Coder', 'draft', 1, 4, 1],
        ['g-1', 'Writer', 'live', 1, 3, 2],
        ['g-3', 'Unused', 'live', 0, 0, 0],
      ]);
      expect(g.rows[1]).toMatchObject({
        gpt_creator_public_id: 'user-ann',
        gpt_url: 'https://chatgpt.com/g/g-1',
        // Days per item exist only in day facts.
        first_day_active_in_period: ev ? '2026-02-01' : null,
        last_day_active_in_period: ev ? '2026-02-10' : null,
      });
    });

    it('gpts in a group, and in a period with a later catalog', async () => {
      const g = await gpts(store.db, { ...FEB, groupName: 'Sales' });
      // Sales as of Feb 28: ann bob dan ivy — only ann used a GPT (g-1, 2 messages). The catalog's
      // total (3) is the workspace's: not given for a group, and only the GPT the group used is listed.
      expect(g.values).toEqual({ gpts_total: null, gpts_created: null, gpts_active: 1 });
      expect(g.rows).toHaveLength(1);
      expect(g.rows[0]).toMatchObject({ gpt_id: 'g-1', messages_workspace: 2, unique_messagers_workspace: 1 });
      expect(g.warnings).toContain("GPTs known is left out: the catalog is the whole workspace's, not the group's.");
      const march = await gpts(store.db, { range: { start: '2026-03-01', end: '2026-03-07' }, today: TODAY });
      expect(march.values).toEqual({ gpts_total: 4, gpts_created: null, gpts_active: 0 });
    });

    it('the previous period of a comparison: *_active alone, as the full answer counts it', async () => {
      // Same counts as above, by hand: GPTs g-1 and g-2 used in February (g-1 only in Sales),
      // project g-p-1; nothing in the first March week; no catalog read, so no total.
      const cmp = { ...FEB, comparedOnly: true };
      expect((await gpts(store.db, cmp)).values).toEqual({ gpts_active: 2 });
      expect((await gpts(store.db, { ...cmp, groupName: 'Sales' })).values).toEqual({ gpts_active: 1 });
      expect((await projects(store.db, cmp)).values).toEqual({ projects_active: 1 });
      const march = await gpts(store.db, { range: { start: '2026-03-01', end: '2026-03-07' }, today: TODAY, comparedOnly: true });
      expect(march.values).toEqual({ gpts_active: 0 });
      expect(march.rows).toEqual([]);
    });

    it('gpts without any GPT report: total unknown', async () => {
      const g = await gpts(store.db, { range: { start: '2026-01-04', end: '2026-01-31' }, today: TODAY });
      expect(g.values).toEqual({ gpts_total: null, gpts_created: null, gpts_active: 0 });
      expect(g.rows).toEqual([]);
    });

    it('projects: created from Users reports only', async () => {
      const p = await projects(store.db, FEB);
      // g-p-1: ann 1 + 2 = 3 messages, 1 messager. ann created one project (Users reports only).
      expect(p.values).toEqual({ projects_total: 2, projects_created: ev ? null : 1, projects_active: 1 });
      expect(p.rows.map((r) => [r.project_id, r.project_name, r.messages_workspace, r.unique_messagers_workspace, r.is_active])).toEqual([
        ['g-p-1', 'Launch', 3, 1, 1],
        ['g-p-2', 'Idle', 0, 0, 0],
      ]);
    });

    it('skills come from events only', async () => {
      const s = await skills(store.db, FEB);
      if (ev) {
        // pdf: ann 1 (Feb 1) + cat 2 (Feb 10).
        expect(s.values).toEqual({ skill_messages: 3 });
        expect(s.rows).toEqual([{ skill: 'pdf', messages: 3, unique_users: 2 }]);
        expect(s.grain).toBe('week');
        expect(s.series.map((x) => x.skill_messages)).toEqual([1, 2, 0, 0]);
      } else {
        expect(s.values).toEqual({ skill_messages: null });
        expect(s.rows).toEqual([]);
        expect(s.warnings.some((w) => w.includes('carry no skill usage'))).toBe(true);
      }
    });
  });
});
