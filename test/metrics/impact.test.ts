/** impact: respondents, participation, share positive per question and pooled per dimension. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impact, IMPACT_DIMENSIONS, type MetricRequest } from '../../src/metrics/api.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { StoreFixture, type Account } from './fixtures.ts';

const TODAY = '2026-03-05';
const FEB: MetricRequest = { range: { start: '2026-02-01', end: '2026-02-28' }, today: TODAY };

const people: Account[] = ['ann', 'bob', 'cat', 'dan', 'eve'].map((n) => ({
  id: `user-${n}`,
  email: `${n}@example.com`,
  status: 'enabled',
  groups: n === 'ann' || n === 'bob' ? ['g-sales'] : [],
}));

describe.each(backends())('impact on %s', (backend) => {
  let store: TestStore;
  let f: StoreFixture;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  describe('with the built-in catalog', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      f = new StoreFixture(store.db);
      await f.workspace('events');
      await f.groups([['g-sales', 'Sales']]);
      await f.directory('2026-02-28', people);
      await f.impact(
        [
          ['2026-02-03', 'ann@example.com', 'productivity', 'strongly_agree'],
          ['2026-02-03', 'ANN@Example.com', 'time_saved', 'none'], // same person, other case
          ['2026-02-04', 'bob@example.com', 'productivity', 'agree'],
          ['2026-02-04', 'bob@example.com', 'time_saved', '1_to_3h'],
          ['2026-02-25', 'bob@example.com', 'productivity', 'disagree'], // bob's latest answer
          ['2026-02-10', 'cat@example.com', 'productivity', 'agree'],
          ['2026-02-10', 'cat@example.com', 'q-not-in-catalog', 'yes'],
          ['2026-02-20', 'dan@example.com', 'q-not-in-catalog', 'no'], // participation only
          ['2026-03-02', 'eve@example.com', 'productivity', 'agree'], // March: outside February
        ],
        { start: '2026-02-01', end: '2026-03-04' },
      );
    });

    it('counts respondents by email, case-insensitively, and shares per dimension', async () => {
      const a = await impact(store.db, FEB);
      // Respondents in February: ann, bob, cat, dan = 4 of 5 enabled seats.
      // productivity: ann yes, bob (latest: disagree) no, cat yes → 2/3.
      // time_saved: ann none → no, bob 1–3 h → yes → 1/2. Other dimensions: nobody → null.
      const expected: Record<string, number | null> = {
        respondents: 4,
        participation_rate: 4 / 5,
      };
      for (const d of IMPACT_DIMENSIONS) expected[`share_positive_${d}`] = null;
      expected.share_positive_productivity = 2 / 3;
      expected.share_positive_time_saved = 1 / 2;
      expect(a.values).toEqual(expected);
      expect(a.rows.map((r) => [r.question_id, r.dimension, r.respondents, r.share_positive])).toEqual([
        ['productivity', 'productivity', 3, 2 / 3],
        ['time_saved', 'time_saved', 2, 1 / 2],
        ['work_quality', 'work_quality', 0, null],
        ['work_satisfaction', 'work_satisfaction', 0, null],
        ['new_tasks', 'new_tasks', 0, null],
        ['stakeholder_service', 'stakeholder_service', 0, null],
      ]);
      const answers = (a.rows[0]!.answers as Array<{ answer_id: string; respondents: number }>).map((x) => [x.answer_id, x.respondents]);
      expect(answers).toEqual([
        ['strongly_agree', 1],
        ['agree', 1],
        ['neutral', 0],
        ['disagree', 1],
        ['strongly_disagree', 0],
      ]);
      expect(a.warnings.some((w) => w.includes('q-not-in-catalog'))).toBe(true);
    });

    it('a group counts its members’ answers against its seats', async () => {
      const a = await impact(store.db, { ...FEB, groupName: 'Sales' });
      // ann and bob: 2 respondents of 2 seats; productivity ann yes, bob no; time ann no, bob yes.
      expect(a.values).toMatchObject({
        respondents: 2,
        participation_rate: 1,
        share_positive_productivity: 1 / 2,
        share_positive_time_saved: 1 / 2,
      });
    });

    it('a period without responses', async () => {
      const a = await impact(store.db, { range: { start: '2026-01-01', end: '2026-01-31' }, today: TODAY });
      expect(a.values.respondents).toBe(0);
      expect(a.values.participation_rate).toBe(0); // 0 of 5 seats
      expect(a.values.share_positive_productivity).toBeNull();
    });
  });

  describe('with an imported catalog', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      f = new StoreFixture(store.db);
      await f.workspace('events');
      await f.directory('2026-02-28', people);
      const yesNo = [
        { answer_id: 'y', label: 'Yes', positive: true },
        { answer_id: 'n', label: 'No', positive: false },
      ];
      await f.impactQuestions([
        { id: 'q1', dimension: 'productivity', answers: yesNo },
        { id: 'q2', dimension: 'productivity', answers: yesNo },
        { id: 'q3', dimension: 'quality', answers: yesNo },
      ]);
      await f.impact(
        [
          ['2026-02-02', 'ann@example.com', 'q1', 'y'],
          ['2026-02-02', 'bob@example.com', 'q1', 'n'],
          ['2026-02-02', 'ann@example.com', 'q2', 'y'],
          ['2026-02-02', 'cat@example.com', 'q2', 'y'],
          ['2026-02-02', 'dan@example.com', 'q2', 'n'],
        ],
        { start: '2026-02-01', end: '2026-02-28' },
      );
    });

    it('pools share positive over a dimension’s questions', async () => {
      const a = await impact(store.db, FEB);
      // q1: 1 of 2; q2: 2 of 3; productivity pooled (1 + 2) / (2 + 3) = 3/5 (not the mean of shares).
      expect(a.values).toEqual({
        respondents: 4,
        participation_rate: 4 / 5,
        share_positive_productivity: 3 / 5,
        share_positive_quality: null,
      });
      expect(a.rows.map((r) => [r.question_id, r.respondents, r.share_positive])).toEqual([
        ['q1', 2, 1 / 2],
        ['q2', 3, 2 / 3],
        ['q3', 0, null],
      ]);
    });
  });
});
