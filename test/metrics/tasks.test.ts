/** Task insights: task types, the heat map by SCIM group (with privacy) or by topic. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heatmap, tasks, type MetricRequest } from '../../src/metrics/api.ts';
import { UnanswerableError } from '../../src/core/errors.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { buildCore, TODAY } from './core-fixture.ts';
import { StoreFixture, type Account, type Act } from './fixtures.ts';

const FEB: MetricRequest = { range: { start: '2026-02-01', end: '2026-02-28' }, today: TODAY };
const W1: MetricRequest = { range: { start: '2026-02-01', end: '2026-02-07' }, today: TODAY };

/**
 * Privacy workspace: five disjoint SCIM groups, each member with one conversation in week 1.
 *   A 15 members: 15 writing            B 12: 6 writing, 6 coding
 *   C 10: 5 coding, 5 analysis          D 6: 6 analysis          E 3: 3 analysis
 */
const SIZES: Array<[string, number, Array<[string, number]>]> = [
  ['A', 15, [['writing', 15]]],
  ['B', 12, [['writing', 6], ['coding', 6]]],
  ['C', 10, [['coding', 5], ['analysis', 5]]],
  ['D', 6, [['analysis', 6]]],
  ['E', 3, [['analysis', 3]]],
];

async function buildPrivacy(store: TestStore) {
  const f = new StoreFixture(store.db);
  await f.workspace('events');
  await f.groups(SIZES.map(([g]) => [`g-${g}`, `Group ${g}`]));
  const accounts: Account[] = [];
  const acts: Act[] = [];
  for (const [g, size, work] of SIZES) {
    let i = 0;
    for (const [task, n] of work) {
      for (let k = 0; k < n; k++, i++) {
        const id = `user-${g}${String(i).padStart(2, '0')}`;
        accounts.push({ id, email: `${id}@example.com`, status: 'enabled', groups: [`g-${g}`] });
        acts.push({ u: id, d: '2026-02-03', n: 2, conv: `conv-${id}`, task, topic: 'Ops' });
      }
    }
    expect(i).toBe(size);
  }
  await f.events(acts);
  await f.directory('2026-02-07', accounts);
}

describe.each(backends())('task insights on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  describe('core workspace fed by events', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      await buildCore(store.db, 'events');
    });

    it('counts each conversation once, under the task type of its first event in the period', async () => {
      const t = await tasks(store.db, FEB);
      // 12 conversations in February; c-eve-1 has no task type, so shares divide by 11.
      // c-ann-1 starts Feb 1 as writing (its Feb 9 events say coding): writing = c-ann-1,
      // c-cat-1, c-ann-2, c-bob-2; coding = c-dan-1, c-hal-1, c-dan-2, c-dan-4;
      // analysis = c-bob-1, c-dan-3, c-ann-3.
      expect(t.values).toEqual({ conversations: 12 });
      expect(t.rows).toEqual([
        { task_type: 'coding', conversations: 4, share: 4 / 11 },
        { task_type: 'writing', conversations: 4, share: 4 / 11 },
        { task_type: 'analysis', conversations: 3, share: 3 / 11 },
      ]);
      expect(t.warnings.some((w) => w.includes('1 conversation has no task type'))).toBe(true);
      // Week 2 alone: c-ann-1's first event in the week is Feb 9 (coding); c-cat-1 writing; c-dan-2 coding.
      const w2 = await tasks(store.db, { range: { start: '2026-02-08', end: '2026-02-14' }, today: TODAY });
      expect(w2.values).toEqual({ conversations: 3 });
      expect(w2.rows).toEqual([
        { task_type: 'coding', conversations: 2, share: 2 / 3 },
        { task_type: 'writing', conversations: 1, share: 1 / 3 },
      ]);
    });

    it('a group below the minimum size gets no task breakdown', async () => {
      const t = await tasks(store.db, { ...FEB, groupName: 'Sales' });
      expect(t.values).toEqual({ conversations: null });
      expect(t.rows).toEqual([]);
      expect(t.warnings.some((w) => w.includes('fewer than the minimum group size of 10'))).toBe(true);
    });

    it('the heat map leaves out both small groups', async () => {
      const h = await heatmap(store.db, FEB);
      // Sales 4 members, Engineering 1: both under 10.
      expect(h.values).toEqual({ groups_hidden: 2 });
      expect(h.rows).toEqual([]);
    });

    it('a period with no data', async () => {
      const t = await tasks(store.db, { range: { start: '2026-01-04', end: '2026-01-31' }, today: TODAY });
      // Wholly before the data: unknown, not 0.
      expect(t.values).toEqual({ conversations: null });
      expect(t.rows).toEqual([]);
    });
  });

  describe('privacy in the heat map', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      await buildPrivacy(store);
    });

    it('hides small groups and the next smallest until the hidden reach the minimum', async () => {
      const h = await heatmap(store.db, W1);
      // D (6) and E (3) are under 10 and together only 9, so C (10) is left out too.
      expect(h.values).toEqual({ groups_hidden: 3 });
      expect(h.rows).toEqual([
        { task_type: 'writing', column: 'Group A', conversations: 15, column_kind: 'group' },
        { task_type: 'writing', column: 'Group B', conversations: 6, column_kind: 'group' },
        { task_type: 'coding', column: 'Group A', conversations: 0, column_kind: 'group' },
        { task_type: 'coding', column: 'Group B', conversations: 6, column_kind: 'group' },
        { task_type: 'analysis', column: 'Group A', conversations: 0, column_kind: 'group' },
        { task_type: 'analysis', column: 'Group B', conversations: 0, column_kind: 'group' },
      ]);
    });

    it('what shown cells leave of a total mixes at least the minimum number of people', async () => {
      const h = await heatmap(store.db, W1);
      const t = await tasks(store.db, W1);
      // Totals: writing 15 + 6 = 21, coding 6 + 5 = 11, analysis 5 + 6 + 3 = 14.
      expect(t.rows.map((r) => [r.task_type, r.conversations])).toEqual([
        ['writing', 21],
        ['analysis', 14],
        ['coding', 11],
      ]);
      const shown = (task: string) =>
        h.rows.filter((r) => r.task_type === task).reduce((s, r) => s + (r.conversations as number), 0);
      const residue = Object.fromEntries(t.rows.map((r) => [r.task_type, (r.conversations as number) - shown(r.task_type as string)]));
      // Residues are C, D and E together (19 people): coding 5 = C's alone only because D and E
      // have none — E's 3 analysis conversations are never isolated: analysis leaves 5 + 6 + 3.
      expect(residue).toEqual({ writing: 0, coding: 5, analysis: 14 });
      // Had only D and E been hidden, analysis would have left exactly D + E = 9 people's worth.
      expect(residue.analysis).not.toBe(6 + 3);
      expect(h.rows.every((r) => r.column === 'Group A' || r.column === 'Group B')).toBe(true);
    });

    it('a larger minimum hides more', async () => {
      await store.db.insertInto('settings').values({ id: 1, seats_purchased: null, benchmark_industry: null, task_insights: null, min_group_size: 13 }).execute();
      try {
        const h = await heatmap(store.db, W1);
        // Under 13: B 12, C 10, D 6, E 3 (31 ≥ 13): only A remains.
        expect(h.values).toEqual({ groups_hidden: 4 });
        expect([...new Set(h.rows.map((r) => r.column))]).toEqual(['Group A']);
      } finally {
        await store.db.deleteFrom('settings').execute();
      }
    });
  });

  describe('heat map by topic without SCIM groups', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace('events');
      await f.events([
        { u: 'user-a', d: '2026-02-02', n: 1, conv: 't1', task: 'writing', topic: 'Sales' },
        { u: 'user-b', d: '2026-02-02', n: 1, conv: 't2', task: 'writing', topic: 'Sales' },
        { u: 'user-a', d: '2026-02-03', n: 1, conv: 't3', task: 'coding', topic: 'Engineering' },
        { u: 'user-b', d: '2026-02-03', n: 1, conv: 't4', task: 'coding', topic: null },
      ]);
      await f.directory('2026-02-07', [
        { id: 'user-a', email: 'a@example.com', status: 'enabled' },
        { id: 'user-b', email: 'b@example.com', status: 'enabled' },
      ]);
    });

    it('crosses task types with topics, nothing hidden', async () => {
      const h = await heatmap(store.db, W1);
      expect(h.values).toEqual({ groups_hidden: 0 });
      // Columns by conversations: Sales 2, then (no topic) 1 and Engineering 1 by name.
      expect(h.rows.map((r) => [r.task_type, r.column, r.conversations, r.column_kind])).toEqual([
        ['coding', 'Sales', 0, 'topic'],
        ['coding', '(no topic)', 1, 'topic'],
        ['coding', 'Engineering', 1, 'topic'],
        ['writing', 'Sales', 2, 'topic'],
        ['writing', '(no topic)', 0, 'topic'],
        ['writing', 'Engineering', 0, 'topic'],
      ]);
    });
  });

  describe('settings and sources', () => {
    it('task insights off: both commands say so', async () => {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace('events');
      await f.settings({ taskInsights: false });
      await expect(tasks(store.db, W1)).rejects.toThrow(/Task insights are off/);
      await expect(heatmap(store.db, W1)).rejects.toThrow(UnanswerableError);
    });

    it('EU data residency turns them off by default', async () => {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace('events');
      await f.settings({ eu: true });
      await expect(tasks(store.db, W1)).rejects.toThrow(/EU data residency/);
    });

    it('export-fed stores have no conversations', async () => {
      await clearStore(store.db);
      await buildCore(store.db, 'exports');
      const t = await tasks(store.db, FEB);
      expect(t.values).toEqual({ conversations: null });
      expect(t.warnings.some((w) => w.includes('carry no conversations'))).toBe(true);
      const h = await heatmap(store.db, FEB);
      expect(h.values).toEqual({ groups_hidden: null });
    });
  });
});
