import { describe, expect, it } from 'vitest';
import { SENDER_COLUMNS, senderRowsPage } from '../../src/metrics/sender-rows.ts';
import { SenderRowsThread } from '../../src/metrics/sender-rows-thread.ts';
import { rowsOf } from './fixtures.ts';

/** A statement row's text for person `i` (in the directory when even), with two facts' maps. */
function senderRow(i: number, maps = `[[{"m":${i}},{"m":1}],[null,{"g":2}],[{"t":1},null],[null,null]]`): string {
  const r: Record<string, unknown> = {
    public_id: `p${i}`,
    first_day: '2026-02-01',
    last_day: '2026-02-07',
    messages: 100 - i,
    gpt_messages: 2,
    tool_messages: 1,
    project_messages: 0,
    projects_created: 0,
    credits_used: null,
    last_day_active: '2026-02-07',
    rk: i,
    directory_last_day_active: i % 2 ? null : '2026-02-09',
    ...(i % 2 ? {} : { account_key: `p${i}`, name: `Person ${i}`, group_ids: ['g1', 'g9'], user_status: 'enabled' }),
  };
  return `[${JSON.stringify(SENDER_COLUMNS.map((c) => r[c] ?? null))},${maps}]`;
}

describe("the JSON answer's row thread", () => {
  it('builds pages in the order they were sent, as the same code on this thread does', async () => {
    const groupNames = new Map([['g1', 'Sales']]);
    const pages = [[1, 2, 3], [4], [5, 6]].map((ids) => ids.map((i) => senderRow(i)));
    const thread = new SenderRowsThread(6, groupNames);
    try {
      const built = await Promise.all(pages.map((rows) => thread.build(rows)));
      expect(built).toEqual(pages.map((rows) => senderRowsPage(rows, 6, groupNames)));
      const first = rowsOf(built[0]!)[0]!;
      expect(first).toMatchObject({ public_id: 'p1', messages: 99, messages_rank: 1, name: null, groups: [] });
      expect(first.model_to_messages).toEqual({ m: 2 });
      expect(rowsOf(built[0]!)[1]).toMatchObject({ name: 'Person 2', groups: ['Sales', 'g9'], last_day_active: '2026-02-09' });
    } finally {
      await thread.close();
    }
  });

  it('fails the page it cannot build, and builds the next', async () => {
    const thread = new SenderRowsThread(2, new Map());
    try {
      const bad = thread.build([senderRow(1, '[[{"m":')]);
      const good = thread.build([senderRow(2)]);
      await expect(bad).rejects.toThrow(/could not be built: .*JSON/);
      expect((await good).count).toBe(1);
    } finally {
      await thread.close();
    }
  });

  it('fails the pages not yet built once the thread has ended', async () => {
    const thread = new SenderRowsThread(1, new Map());
    const page = thread.build([senderRow(1)]);
    page.catch(() => undefined);
    await thread.close();
    await expect(page).rejects.toThrow(/thread ended/);
    await expect(thread.build([senderRow(2)])).rejects.toThrow(/thread ended/);
  });
});
