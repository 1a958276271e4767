import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from '../src/store/open.ts';
import { inOneSnapshot, runsSideBySide } from '../src/store/one-snapshot.ts';
import { backends, openTestStore, TEST_DATABASE_URL, type TestStore } from './support/store.ts';

const noSetup = async () => undefined;

describe.each(backends())('side by side (one-snapshot.ts), on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('runs side by side on a pool, never on the embedded store', () => {
    expect(runsSideBySide(store.db)).toBe(backend === 'postgres');
  });
});

describe.skipIf(!TEST_DATABASE_URL)('statements side by side in one snapshot (one-snapshot.ts)', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('postgres');
    await sql`create table snap_probe (n integer)`.execute(store.db);
  });
  afterAll(async () => {
    await store?.close();
  });

  const count = async (db: Parameters<Parameters<typeof inOneSnapshot>[1][number]>[0]) =>
    Number((await sql<{ n: string }>`select count(*) as n from snap_probe`.execute(db)).rows[0]!.n);

  it('does not let a write committed while they run reach one of them and not the other', async () => {
    await sql`truncate snap_probe`.execute(store.db);
    await sql`insert into snap_probe values (1)`.execute(store.db);
    let committed!: () => void;
    const written = new Promise<void>((resolve) => {
      committed = resolve;
    });
    const counts = await inOneSnapshot(
      store.db,
      [
        async (trx) => {
          // Another session adds a row and commits while both transactions are open.
          await sql`insert into snap_probe values (2)`.execute(store.db);
          committed();
          return count(trx);
        },
        async (trx) => {
          await written;
          // Its first query after the commit: its own snapshot would hold two rows.
          return count(trx);
        },
      ],
      noSetup,
    );
    expect(counts).toEqual([1, 1]);
    expect(await count(store.db as never)).toBe(2);
  });

  it('gives null when a partner can only start once the first has ended (one connection free)', async () => {
    const one: Store = await openStore({ databaseUrl: TEST_DATABASE_URL!, schema: store.schema!, poolSize: 1 });
    try {
      expect(await inOneSnapshot(one.db, [count, count], noSetup)).toBeNull();
    } finally {
      await one.close();
    }
  });

  it('throws what a statement throws', async () => {
    await expect(
      inOneSnapshot(store.db, [count, async (trx) => Number((await sql<{ n: number }>`select 1 / 0 as n`.execute(trx)).rows[0]!.n)], noSetup),
    ).rejects.toThrow(/division by zero/);
  });
});
