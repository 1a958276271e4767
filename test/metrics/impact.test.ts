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

    it('every question lists every catalog answer, in catalog order, zeros included', async () => {
      const a = await impact(store.db, FEB);
      const dist = (i: number) =>
        (a.rows[i]!.answers as Array<{ answer_id: string; label: string; respondents: number }>).map((x) => [x.answer_id, x.label, x.respondents]);
      // time_saved: ann none, bob 1–3 h.
      expect(dist(1)).toEqual([
        ['none', 'No time saved', 1],
        ['under_1h', 'Less than an hour a week', 0],
        ['1_to_3h', 'One to three hours a week', 1],
        ['3_to_5h', 'Three to five hours a week', 0],
        ['over_5h', 'More than five hours a week', 0],
      ]);
      // work_quality: nobody; still five answers, all zero.
      expect(dist(2).map(([, , n]) => n)).toEqual([0, 0, 0, 0, 0]);
      // A question's answers add up to its respondents.
      for (const r of a.rows) {
        expect((r.answers as Array<{ respondents: number }>).reduce((s, x) => s + x.respondents, 0)).toBe(r.respondents);
      }
    });

    it('few respondents: the newest survey window and how to ask for it', async () => {
      const a = await impact(store.db, FEB);
      // 4 respondents < 10 (the default minimum group size). The one survey runs Feb 3 – Mar 2
      // (eve, Mar 2), which February does not hold; in it ann, bob, cat, dan, eve answered.
      expect(a.warnings).toContain(
        'Only 4 people answered the impact survey in this period, fewer than the minimum group size of 10. ' +
          'The newest survey window with responses is 3 Feb – 2 Mar 2026 (5 respondents): ask `impact from:2026-02-03 to:2026-03-02`.',
      );
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
      expect(a.warnings).toContain(
        'Nobody answered the impact survey in this period. ' +
          'The newest survey window with responses is 3 Feb – 2 Mar 2026 (5 respondents): ask `impact from:2026-02-03 to:2026-03-02`.',
      );
    });
  });

  describe('the newest survey window', () => {
    // Today Thursday 2026-10-01: last-4-weeks is Aug 30 – Sep 26.
    //   survey s-jul: ann Jul 6, bob Jul 20
    //   survey s-sep: ann Sep 1, bob Sep 9, cat Sep 14, dan Sep 30 → window 1–30 Sep, 4 respondents
    //   survey s-oct: eve Oct 5 — after today, not a window yet
    // Sales = ann, bob.
    const OCT1 = '2026-10-01';
    const LAST_4_WEEKS: MetricRequest = { range: { start: '2026-08-30', end: '2026-09-26' }, today: OCT1 };
    beforeAll(async () => {
      await clearStore(store.db);
      f = new StoreFixture(store.db);
      await f.workspace('events');
      await f.groups([['g-sales', 'Sales']]);
      await f.directory('2026-06-01', people);
      await f.impact(
        [
          ['2026-07-06', 'ann@example.com', 'productivity', 'agree'],
          ['2026-07-20', 'bob@example.com', 'productivity', 'agree'],
        ],
        { start: '2026-07-01', end: '2026-07-31' },
        's-jul',
      );
      await f.impact(
        [
          ['2026-09-01', 'ann@example.com', 'productivity', 'agree'],
          ['2026-09-09', 'bob@example.com', 'productivity', 'disagree'],
          ['2026-09-14', 'cat@example.com', 'time_saved', 'none'],
          ['2026-09-30', 'dan@example.com', 'productivity', 'neutral'],
        ],
        { start: '2026-09-01', end: '2026-09-30' },
        's-sep',
      );
      await f.impact([['2026-10-05', 'eve@example.com', 'productivity', 'agree']], { start: '2026-10-01', end: '2026-10-31' }, 's-oct');
    });

    it('the default period with fewer respondents than the minimum group size names it', async () => {
      const a = await impact(store.db, LAST_4_WEEKS);
      // ann, bob, cat answered in Aug 30 – Sep 26: 3 < 10; dan's Sep 30 answer falls after it.
      expect(a.values.respondents).toBe(3);
      expect(a.warnings).toEqual([
        'Only 3 people answered the impact survey in this period, fewer than the minimum group size of 10. ' +
          'The newest survey window with responses is 1–30 Sep 2026 (4 respondents): ask `impact from:2026-09-01 to:2026-09-30`.',
      ]);
    });

    it('no hint when the period holds that window already', async () => {
      const a = await impact(store.db, { range: { start: '2026-09-01', end: '2026-09-30' }, today: OCT1 });
      expect(a.values.respondents).toBe(4);
      expect(a.warnings).toEqual([]);
    });

    it('a group: its members’ newest window, and the team in the command', async () => {
      const a = await impact(store.db, { range: { start: '2026-06-01', end: '2026-06-30' }, today: OCT1, groupName: 'sales' });
      // Sales answered in s-jul and s-sep; in s-sep ann Sep 1 and bob Sep 9: window 1–9 Sep.
      expect(a.values.respondents).toBe(0);
      expect(a.warnings).toEqual([
        'Nobody in Sales answered the impact survey in this period. ' +
          'The newest survey window with responses is 1–9 Sep 2026 (2 respondents): ask `impact from:2026-09-01 to:2026-09-09 team:Sales`.',
      ]);
    });

    it('no hint with as many respondents as the minimum group size', async () => {
      // Seven more people answer s-sep on Sep 20: 3 + 7 = 10 in Aug 30 – Sep 26.
      const more = [1, 2, 3, 4, 5, 6, 7].map((i): [string, string, string, string] => ['2026-09-20', `x${i}@example.com`, 'productivity', 'agree']);
      await f.impact(more, { start: '2026-09-20', end: '2026-09-20' }, 's-sep');
      const a = await impact(store.db, LAST_4_WEEKS);
      expect(a.values.respondents).toBe(10);
      expect(a.warnings).toEqual([]);
    });

    it('a store without responses says so', async () => {
      await store.db.deleteFrom('impact_responses').execute();
      const a = await impact(store.db, LAST_4_WEEKS);
      expect(a.values.respondents).toBe(0);
      expect(a.warnings).toEqual(['There are no impact survey responses up to today.']);
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
      // The imported catalog's answers, in its order: q1 y ann / n bob; q2 y ann, cat / n dan; q3 none.
      expect(a.rows.map((r) => (r.answers as Array<{ answer_id: string; label: string; respondents: number }>).map((x) => [x.answer_id, x.label, x.respondents]))).toEqual([
        [['y', 'Yes', 1], ['n', 'No', 1]],
        [['y', 'Yes', 2], ['n', 'No', 1]],
        [['y', 'Yes', 0], ['n', 'No', 0]],
      ]);
    });
  });
});
