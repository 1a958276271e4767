/**
 * `apps` and `impact` through answer() on small stores, numbers worked out by hand: the JSON, the
 * text a person reads, and charts that compile without a Vega-Lite warning.
 *
 * Today Thursday 2026-10-01. Directory: ann, bob, cat, dan, enabled (4 seats).
 * Events (apps): ann Sep 6 4 messages, drive 3; bob Sep 15 2 messages, drive 1 + slack 1;
 *                cat Sep 26 1 message, slack 1.
 * Impact survey s-sep: ann Sep 1 productivity agree; bob Sep 9 productivity disagree;
 *                      cat Sep 14 time_saved none; dan Sep 30 productivity neutral.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/core/answer.ts';
import { registry } from '../../commands/index.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { renderText } from '../../src/core/format.ts';
import { toJson, type Reply } from '../../src/core/reply.ts';
import { silentLogger } from '../../src/log.ts';
import { compileChartSpec } from '../../src/render/chart-renderer.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { StoreFixture, type Account, type Act } from '../metrics/fixtures.ts';

const NOW = new Date('2026-10-01T12:00:00Z');
const PEOPLE: Account[] = ['ann', 'bob', 'cat', 'dan'].map((n) => ({ id: `user-${n}`, email: `${n}@example.com`, status: 'enabled' }));
const ACTS: Act[] = [
  { u: 'user-ann', d: '2026-09-06', n: 4, conv: 'c-ann', app: { drive: 3 } },
  { u: 'user-bob', d: '2026-09-15', n: 2, conv: 'c-bob', app: { drive: 1, slack: 1 } },
  { u: 'user-cat', d: '2026-09-26', n: 1, conv: 'c-cat', app: { slack: 1 } },
];
const WEEKS = [
  ['2026-09-06', '2026-09-12'],
  ['2026-09-13', '2026-09-19'],
  ['2026-09-20', '2026-09-26'],
] as const;

async function compilesCleanly(r: Reply) {
  for (const c of r.charts) {
    expect(c.altText.length).toBeGreaterThan(0);
    expect(c.fallbackText.length).toBeGreaterThan(0);
    const compiled = await compileChartSpec(c.spec);
    expect(compiled.warnings).toEqual([]);
  }
}

describe.each(backends())('apps and impact commands on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  const ask = (text: string): Promise<Reply> =>
    answer({ db: store.db, clock: fixedClock(NOW), logger: silentLogger(), registry, caller: { kind: 'operator' }, text });

  describe('an event-fed store', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace('events');
      await f.events(ACTS);
      await f.directory('2026-09-01', PEOPLE);
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
    });

    it('apps: per app messages and people, the weekly trend, two charts', async () => {
      const r = await ask('apps from:2026-09-06 to:2026-09-26');
      // drive: ann 3 + bob 1 = 4 by 2; slack: bob 1 + cat 1 = 2 by 2. Weeks: 3, 2 (bob), 1 (cat).
      expect(toJson(r)).toMatchObject({
        command: 'apps',
        period: { start: '2026-09-06', end: '2026-09-26', grain: 'week' },
        values: { app_messages: 6 },
        series: [
          { period_start: '2026-09-06', period_end: '2026-09-12', app_messages: 3 },
          { period_start: '2026-09-13', period_end: '2026-09-19', app_messages: 2 },
          { period_start: '2026-09-20', period_end: '2026-09-26', app_messages: 1 },
        ],
        rows: [
          { app: 'drive', messages: 4, unique_users: 2 },
          { app: 'slack', messages: 2, unique_users: 2 },
        ],
        warnings: [],
      });
      expect(r.charts.map((c) => c.kind)).toEqual(['trend', 'top-n']);
      const text = renderText(r);
      expect(text).toContain('6 messages used an app; the most used was drive.');
      expect(text).toMatch(/App\s+Messages\s+People/);
      await compilesCleanly(r);
    });

    it('impact: the answers of each question, the most chosen one, two charts and the newest window', async () => {
      const r = await ask('impact');
      // last-4-weeks = Aug 30 – Sep 26: ann, bob, cat answered (dan's Sep 30 answer is after it).
      const j = toJson(r) as unknown as { period: unknown; values: Record<string, unknown>; rows: Array<Record<string, unknown>>; warnings: string[] };
      expect(j.period).toMatchObject({ start: '2026-08-30', end: '2026-09-26' });
      expect(j.values).toMatchObject({ respondents: 3, participation_rate: 3 / 4, share_positive_productivity: 1 / 2, share_positive_time_saved: 0 });
      // productivity: agree ann, disagree bob; every catalog answer listed, in order.
      expect((j.rows[0]!.answers as Array<Record<string, unknown>>).map((a) => [a.answer_id, a.respondents])).toEqual([
        ['strongly_agree', 0],
        ['agree', 1],
        ['neutral', 0],
        ['disagree', 1],
        ['strongly_disagree', 0],
      ]);
      expect(j.rows[0]!.answers).toContainEqual({ answer_id: 'agree', label: 'Agree', positive: true, respondents: 1 });
      expect(j.warnings).toEqual([
        'Only 3 people answered the impact survey in this period, fewer than the minimum group size of 10. ' +
          'The newest survey window with responses is 1–30 Sep 2026 (4 respondents): ask `impact from:2026-09-01 to:2026-09-30`.',
      ]);
      const text = renderText(r);
      expect(text).toContain('Most chosen');
      expect(text).toContain('50% Agree / Disagree'); // a tie names both
      expect(text).toContain('100% No time saved');
      expect(r.charts.map((c) => c.kind)).toEqual(['impact-dimensions', 'answer-distribution']);
      expect(r.charts[1]!.fallbackText).toContain('Agree (+)');
      await compilesCleanly(r);
    });

    it('impact for the window it names: everyone in it, no hint', async () => {
      const r = await ask('impact from:2026-09-01 to:2026-09-30');
      expect(r.values).toMatchObject({ respondents: 4 });
      expect(r.warnings).toEqual([]);
    });

    it('impact without answers in the period: no charts, the newest window', async () => {
      const r = await ask('impact from:2026-06-01 to:2026-06-30');
      expect(r.summary).toEqual(['Nobody answered the impact survey in this period.']);
      expect(r.charts).toEqual([]);
      expect(renderText(r)).toContain('ask `impact from:2026-09-01 to:2026-09-30`');
    });
  });

  describe('a store fed by Users reports', () => {
    beforeAll(async () => {
      await clearStore(store.db);
      const f = new StoreFixture(store.db);
      await f.workspace('exports');
      for (const [start, end] of WEEKS) await f.usersReport({ grain: 'week', start, end, accounts: PEOPLE, acts: ACTS });
    });

    it('apps: no data rather than zero, said in plain words', async () => {
      const r = await ask('apps from:2026-09-06 to:2026-09-26');
      expect(toJson(r)).toMatchObject({ values: { app_messages: null }, rows: [], series: [] });
      expect(r.warnings).toContain('Apps come from usage events; Users reports carry no app usage, so app messages are not known for this workspace.');
      expect(r.charts).toEqual([]);
      expect(renderText(r)).not.toMatch(/App messages\s+0/);
    });
  });
});
