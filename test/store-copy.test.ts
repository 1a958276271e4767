import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { CopyIn, copyRows } from '../src/store/copy.ts';
import { backends, openTestStore, TEST_DATABASE_URL, type TestStore } from './support/store.ts';

describe.each(backends())('COPY FROM STDIN through the store (copy.ts), on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('copies text-format rows inside the transaction, between its other statements', async () => {
    const rows = await store.db.transaction().execute(async (tx) => {
      await sql`create temp table copy_probe (n integer, label text) on commit drop`.execute(tx);
      const copied = await copyRows(tx, 'copy_probe', ['n', 'label'], '1\ta\\\\b\n2\t\\N\n');
      const { rows } = await sql<{ n: number; label: string | null }>`select n, label from copy_probe order by n`.execute(tx);
      return { copied, rows };
    });
    expect(rows).toEqual({ copied: 2, rows: [{ n: 1, label: 'a\\b' }, { n: 2, label: null }] });
  });

  it("fails with the server's error on a bad row, and the store goes on working after the rollback", async () => {
    const failed = await store.db
      .transaction()
      .execute(async (tx) => {
        await sql`create temp table copy_probe (n integer) on commit drop`.execute(tx);
        await copyRows(tx, 'copy_probe', ['n'], '1\nnot a number\n');
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(String(failed)).toMatch(/invalid input syntax for type integer/);
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(store.db);
    expect(rows).toEqual([{ one: 1 }]);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('COPY FROM STDIN on a pg client with a query timeout', () => {
  /**
   * A COPY of `data` into a fresh temp table (`ddl`'s columns) on a client whose query_timeout is
   * 200 ms, then a wait past it: the query's outcome (or error), every error the query was handed
   * (an armed timer would hand it "Query read timeout"), and the client to look further.
   */
  async function copyPastTimeout(ddl: string, data: string, look: (client: pg.Client, got: { outcome: unknown; failed: unknown; errors: unknown[] }) => Promise<void>) {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, query_timeout: 200 });
    await client.connect();
    try {
      await client.query(`create temp table copy_probe (${ddl})`);
      const copy = new CopyIn('copy_probe', ['n'], data);
      const errors: unknown[] = [];
      const handleError = copy.handleError.bind(copy);
      copy.handleError = (error: unknown) => {
        errors.push(error);
        handleError(error);
      };
      const [outcome, failed] = await (client.query(copy as never) as unknown as PromiseLike<unknown>).then(
        (o) => [o, undefined],
        (e: unknown) => [undefined, e],
      );
      await new Promise((resolve) => setTimeout(resolve, 400));
      await look(client, { outcome, failed, errors });
    } finally {
      await client.end();
    }
  }

  it("ends the driver's timer with the COPY: no timeout fires once it is over", async () => {
    await copyPastTimeout('n integer', '1\n2\n', async (client, { outcome, errors }) => {
      expect((outcome as { rows: unknown }).rows).toEqual([{ rowCount: 2 }]);
      expect(errors).toEqual([]);
      const { rows } = await client.query<{ n: number }>('select count(*)::int as n from copy_probe');
      expect(rows).toEqual([{ n: 2 }]);
    });
  });
  it("ends the driver's timer when the COPY fails too, and the error still rejects it", async () => {
    await copyPastTimeout('n integer primary key', '1\n1\n', async (client, { failed, errors }) => {
      expect((failed as { code?: string }).code).toBe('23505');
      // One error: the server's, not a timeout's after it.
      expect(errors).toHaveLength(1);
      const { rows } = await client.query<{ one: number }>('select 1 as one');
      expect(rows).toEqual([{ one: 1 }]);
    });
  });
});
