/**
 * The contract between the core and the Teams card renderer: every example of every command,
 * answered by the real core on a small generated workspace, renders as an Adaptive Card that the
 * official library reads with no parse or validation event — with its charts drawn inline, and
 * with their text fallbacks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import { silentLogger } from '../../src/log.ts';
import { loadDemo } from '../../src/local/load-demo.ts';
import { coreAnswer } from '../../src/adapters/teams/core-answer.ts';
import { chartImages } from '../../src/adapters/teams/chart-images.ts';
import { noticeCard, replyCard } from '../../src/adapters/teams/render-card.ts';
import { teamsWording } from '../../src/adapters/teams/wording.ts';
import { createChartRenderer, type ChartRenderer } from '../../src/render/chart-renderer.ts';
import { backends, openTestStore, type TestStore } from '../support/store.ts';
import { enabledOwnerEmail } from '../support/directory.ts';
import { cardElements, cardProblems } from './adaptive-cards.ts';

const clock = fixedClock(new Date('2026-11-25T09:00:00Z'));

describe.each(backends())('real Replies as Adaptive Cards on %s', (backend) => {
  let store: TestStore;
  let owner: string;
  let renderer: ChartRenderer;
  beforeAll(async () => {
    store = await openTestStore(backend);
    renderer = createChartRenderer({ workers: 0 });
    const dir = await mkdtemp(join(tmpdir(), 'wsa-teams-cards-'));
    try {
      await loadDemo(store.db, { clock, logger: silentLogger(), dir, demo: false, generate: { users: 400, weeks: 8, source: 'events', today: '2026-11-25' } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    owner = await enabledOwnerEmail(store.db);
  }, 120_000);
  afterAll(async () => {
    await renderer?.close();
    await store?.close();
  });

  const texts = registry.commands.flatMap((c) => c.examples.filter((e) => !/^settings .+:/.test(e)));

  it('notices parse too', () => {
    for (const text of Object.values(teamsWording)) {
      const sentence = (text as (arg: string) => string)('report.csv');
      expect(cardProblems(noticeCard(sentence))).toEqual([]);
    }
  });

  it.each(texts)('%s', { timeout: 120_000 }, async (text) => {
    const { reply } = await coreAnswer({ db: store.db, clock, logger: silentLogger(), registry })(
      { email: owner },
      text,
      { toChannel: false },
    );
    const { images } = await chartImages(reply, (spec) => renderer.renderPng(spec), silentLogger());
    expect(images.size).toBe(reply.charts.length);
    const drawn = replyCard(reply, { chartImages: images });
    expect(cardProblems(drawn)).toEqual([]);
    expect(cardElements(drawn).filter((n) => n.type === 'Image')).toHaveLength(reply.charts.length);
    expect(cardProblems(replyCard(reply, { chartsFailed: true }))).toEqual([]);
  });
});
