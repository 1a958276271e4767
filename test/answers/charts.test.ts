/**
 * The charts commands attach, through answer() on a real store holding the small workspace of
 * support.ts (events 8–21 Nov 2026, today Thursday 26 Nov): the data values of the specs, worked
 * out by hand from the events listed there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/core/answer.ts';
import { registry } from '../../commands/index.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Reply } from '../../src/core/reply.ts';
import { silentLogger } from '../../src/log.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { TODAY_NOW, seedSmallWorkspace } from './support.ts';

type Spec = Record<string, unknown>;

describe.each(backends())('charts of answers on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
    await seedSmallWorkspace(store.db);
  });
  afterAll(async () => {
    await store?.close();
  });

  const ask = (text: string): Promise<Reply> =>
    answer({ db: store.db, clock: fixedClock(TODAY_NOW), logger: silentLogger(), registry, caller: { kind: 'operator' }, text });
  const rows = (spec: Spec, style: string) =>
    (spec['data'] as { values: Spec[] }).values.filter((r) => r['style'] === style).map((r) => [r['period_start'], r['value'], r['compared_day']]);
  const subtitle = (spec: Spec) => (spec['title'] as { subtitle?: string[] }).subtitle;

  it('active-users by day over 6 days: the previous 6 days moved one week, Tuesday over Tuesday', async () => {
    // Mon 16 – Sat 21 Nov against Tue 10 – Sun 15 Nov. One week back, 17–21 Nov meet 10–14 Nov;
    // 16 Nov would need 9 Nov, outside the previous period. Active per day: 10th owner (1), 11th
    // nobody (0), 12th admin (1), 13th and 14th nobody (0).
    const [chart] = (await ask('active-users from:2026-11-16 to:2026-11-21 by:day')).charts;
    expect(rows(chart!.spec, 'current')).toEqual([
      ['2026-11-16', 1, undefined],
      ['2026-11-17', 1, undefined],
      ['2026-11-18', 1, undefined],
      ['2026-11-19', 0, undefined],
      ['2026-11-20', 1, undefined],
      ['2026-11-21', 1, undefined],
    ]);
    expect(rows(chart!.spec, 'previous')).toEqual([
      ['2026-11-16', null, null],
      ['2026-11-17', 1, '2026-11-10'],
      ['2026-11-18', 0, '2026-11-11'],
      ['2026-11-19', 1, '2026-11-12'],
      ['2026-11-20', 0, '2026-11-13'],
      ['2026-11-21', 0, '2026-11-14'],
    ]);
    expect(subtitle(chart!.spec)).toContain('Grey: the same weekday 1 week earlier, so weekdays line up.');
  });

  it('active-users by day over 3 days: the previous 3 days share no weekday, so they are not drawn', async () => {
    const [chart] = (await ask('active-users from:2026-11-19 to:2026-11-21 by:day')).charts;
    expect(rows(chart!.spec, 'previous')).toEqual([]);
    expect(subtitle(chart!.spec)).toContain('Previous period not drawn: none of its days lines up by weekday.');
    expect(chart!.altText).toMatch(/Previous period not drawn: none of its days lines up by weekday\.$/);
  });

  it('users: a seats funnel of enabled, activated and active, without the unset seats purchased', async () => {
    const reply = await ask('users last-week');
    expect(reply.charts.map((c) => c.kind)).toEqual(['funnel']);
    const spec = reply.charts[0]!.spec;
    // 3 enabled; all 3 have sent a message (100%); all 3 sent one last week (100%)
    expect((spec['data'] as { values: Spec[] }).values.map((r) => [r['label'], r['value'], r['text']])).toEqual([
      ['Seats enabled', 3, '3'],
      ['Activated users', 3, '3 · 100% of seats enabled'],
      ['Active users', 3, '3 · 100% of activated users'],
    ]);
    expect(subtitle(spec)).toContain('Seats purchased: not set (settings seats:N), so not drawn.');
  });

  it('messages: all messages and tool messages above, the smaller kinds on their own scale below', async () => {
    const [chart] = (await ask('messages last-week')).charts;
    expect(chart!.kind).toBe('series-panels');
    const panels = (chart!.spec['vconcat'] as Spec[]).map((p) =>
      (p['data'] as { values: Spec[] }).values.map((r) => [r['series'], r['value']]),
    );
    // last week: 7 messages, 1 with a tool; no GPT or project messages (real zeros, drawn)
    expect(panels[0]).toEqual([
      ['Messages', 7],
      ['Tool messages', 1],
    ]);
    expect(panels[1]!.slice(0, 2)).toEqual([
      ['GPT messages', 0],
      ['Project messages', 0],
    ]);
  });
});
