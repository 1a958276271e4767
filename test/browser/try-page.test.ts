/**
 * The try-it page in a real browser (Debian's Chromium driven by playwright-core): a person types
 * `/wsa …`, the page asks the real core on a generated workspace, and the official Adaptive Cards
 * renderer draws the answer as Teams would. Screenshots go to test/browser/screenshots/ (not kept
 * in git) to be looked at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { answer } from '../../src/core/answer.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { loadDemo } from '../../src/local/load-demo.ts';
import { tryPageRoutes } from '../../src/local/try-page.ts';
import { createChartRenderer, type ChartRenderer } from '../../src/render/chart-renderer.ts';
import { createHttpServer, type HttpServer } from '../../src/server/http.ts';
import { backends, openTestStore, type TestStore } from '../support/store.ts';
import { enabledOwnerEmail } from '../support/directory.ts';

export const CHROMIUM = '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const clock = fixedClock(new Date('2026-11-25T09:00:00Z'));

describe('the try-it page in Chromium', { timeout: 120_000 }, () => {
  let store: TestStore;
  let renderer: ChartRenderer;
  let http: HttpServer;
  let browser: Browser;
  let page: Page;
  let base: string;
  let owner: string;

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is needed (apt-get install chromium)`).toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    store = await openTestStore(backends()[0]!);
    const dir = await mkdtemp(join(tmpdir(), 'wsa-try-'));
    try {
      await loadDemo(store.db, { clock, logger: silentLogger(), dir, demo: false, generate: { users: 300, weeks: 12, source: 'events', today: '2026-11-25' } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    owner = await enabledOwnerEmail(store.db);
    renderer = createChartRenderer({ workers: 0 });
    const routes = tryPageRoutes({
      answer: (text, as) =>
        answer({ db: store.db, clock, logger: silentLogger(), registry, caller: as ? { kind: 'person', email: as } : { kind: 'operator' }, text, where: 'direct', rowLimit: 10 }),
      renderChart: (spec) => renderer.renderPng(spec),
      logger: silentLogger(),
    });
    http = createHttpServer({ routes, logger: silentLogger(), health: { ready: () => true, detail: () => ({}) } });
    base = `http://127.0.0.1:${(await http.listen(0, '127.0.0.1')).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    await page.goto(`${base}/`);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await http?.close();
    await renderer?.close();
    await store?.close();
  });

  async function ask(text: string, as = ''): Promise<string> {
    const before = Number((await page.getAttribute('body', 'data-answered')) ?? 0);
    await page.fill('#text', text);
    await page.fill('#as', as);
    await page.click('button[type=submit]');
    await page.waitForFunction(
      (n: number) => Number((globalThis as unknown as { document: { body: { dataset: { answered?: string } } } }).document.body.dataset.answered ?? 0) > n,
      before,
    );
    return (await page.locator('#card').innerText()).trim();
  }

  async function images(): Promise<Array<{ width: number; height: number; alt: string }>> {
    return page.$$eval('#card img', (nodes) =>
      nodes.map((n) => {
        const img = n as unknown as { naturalWidth: number; naturalHeight: number; getAttribute(name: string): string | null };
        return { width: img.naturalWidth, height: img.naturalHeight, alt: img.getAttribute('alt') ?? '' };
      }),
    );
  }

  it('overview: the card with its figures and an inline chart', async () => {
    const text = await ask('/wsa overview');
    expect(text).toMatch(/^Overview\n/);
    expect(text).toMatch(/Active users\s*\n?\s*[\d,]+/);
    const drawn = await images();
    expect(drawn).toHaveLength(1);
    expect(drawn[0]!.width).toBeGreaterThan(200);
    expect(drawn[0]!.alt).toMatch(/active users/i);
    await page.locator('#card').screenshot({ path: join(SHOTS, 'overview.png') });
  });

  it('active-users with a team filter', async () => {
    const text = await ask('/wsa active-users team:Engineering last-12-weeks');
    expect(text).toMatch(/Active users/);
    expect(text).toContain('Engineering');
    expect(await images()).toHaveLength(1);
    await page.locator('#card').screenshot({ path: join(SHOTS, 'active-users-engineering.png') });
  });

  it('groups: the table under the chart', async () => {
    const text = await ask('/wsa groups');
    expect(text).toMatch(/^Groups\n/);
    expect(text).toContain('Engineering');
    expect(text).toMatch(/… and \d+ more groups|Members/);
    await page.locator('#card').screenshot({ path: join(SHOTS, 'groups.png') });
  });

  it('top-users as an owner, refused as someone the directory does not know', async () => {
    const text = await ask('/wsa top-users', owner);
    expect(text).toMatch(/^Top users\n/);
    expect(text).toMatch(/@/);
    await page.locator('#card').screenshot({ path: join(SHOTS, 'top-users.png') });
    const refused = await ask('/wsa top-users', 'nobody@example.com');
    expect(refused).toMatch(/^Not allowed\n/);
    expect(refused).not.toMatch(/@tailspin/);
  });

  it('an error reads as one', async () => {
    const text = await ask('/wsa actve-users');
    expect(text).toMatch(/^Cannot answer that\n.*active-users/s);
    await page.locator('#card').screenshot({ path: join(SHOTS, 'error.png') });
  });

  it('shows the Slack Block Kit of the same answer on request', async () => {
    await ask('/wsa overview');
    await page.check('#show-slack');
    const json = JSON.parse(await page.locator('#slack').innerText()) as Array<{ blocks: Array<{ type: string }> }>;
    expect(json[0]!.blocks[0]!.type).toBe('header');
    expect(await page.locator('#card').isVisible()).toBe(false);
    await page.uncheck('#show-slack');
  });
});
