/**
 * A workspace whose only sender is a power user: Ann sends 100 messages with 3 tools in each of
 * three weeks from 29 Nov 2026 (the top 20 % of one sender, ≥ 75 a week, ≥ 3 tools — §5).
 */
import { clearStore } from '../support/store.ts';
import { StoreFixture } from '../metrics/fixtures.ts';
import type { Db } from '../../src/store/schema.ts';

export async function seedOnePowerUser(db: Db): Promise<void> {
  await clearStore(db);
  const f = new StoreFixture(db);
  await f.workspace('events');
  await f.directory('2026-11-01', [{ id: 'user-ann', email: 'ann@example.com', name: 'Ann Example', status: 'enabled' }]);
  const tools = { Search: 1, Canvas: 1, 'Image Gen': 1 };
  await f.events(['2026-12-02', '2026-12-08', '2026-12-15'].map((d, i) => ({ u: 'user-ann', d, n: 100, conv: `c${i}`, tool: tools })));
}
