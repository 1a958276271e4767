/**
 * The export row of `npm run bench` on its own (docs/design.md §10): a generated weekly Users report
 * of N rows imported into a fresh store, then exported by `wsa export users` as a child process —
 * wall time and peak RSS beside an idle `wsa` process and the database's own COPY of the same rows.
 *
 *   node --import tsx bench/export-users.ts [--rows 100000] [--backend both|postgres|pglite]
 *        [--database-url postgresql://postgres@127.0.0.1:5432/test]
 */
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { fixedClock } from '../src/core/clock.ts';
import { importFile } from '../src/ingest/import-files.ts';
import { silentLogger } from '../src/log.ts';
import { openStore, pgliteDataPath } from '../src/store/open.ts';
import { writeUsersReport } from '../test/ingest/support/users-report-generator.ts';
import { wsaEnv } from './lib/children.ts';
import { measureUsersExport } from './lib/exports.ts';
import { adminQuery, urlWithSchema, type Backend } from './lib/stores.ts';
import { usageOnHelp } from './lib/usage.ts';

usageOnHelp(import.meta.url);
const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    backend: { type: 'string', default: 'both' },
    'database-url': { type: 'string', default: 'postgresql://postgres@127.0.0.1:5432/test' },
  },
});
const ROWS = Number(args.rows);
const WORK = fileURLToPath(new URL('./.work/', import.meta.url));
mkdirSync(WORK, { recursive: true });
const WEEK = { start: '2025-10-26', end: '2025-11-01' };
const file = join(WORK, `users-weekly-${ROWS}.csv`);
if (!existsSync(file)) await writeUsersReport(file, { rows: ROWS });
const backends: Backend[] = args.backend === 'both' ? ['postgres', 'pglite'] : [args.backend as Backend];
const databaseUrl = args['database-url']!;

for (const backend of backends) {
  const out = join(mkdtempSync(join(tmpdir(), 'wsa-bench-export-')), 'users.csv');
  let env: NodeJS.ProcessEnv;
  let floor: { psqlUrl: string } | { pgliteDir: string };
  let cleanup: () => Promise<void>;
  if (backend === 'postgres') {
    const schema = `wsa_bench_export_${randomBytes(4).toString('hex')}`;
    await adminQuery(databaseUrl, `create schema ${schema}`);
    const store = await openStore({ databaseUrl, schema, poolSize: 2 });
    await importFile(store.db, file, { clock: fixedClock(new Date('2025-11-05T00:00:00Z')), logger: silentLogger() });
    // As the benchmark store is after its load: statistics for the planner.
    await sql`analyze`.execute(store.db);
    await store.close();
    env = wsaEnv({ databaseUrl: urlWithSchema(databaseUrl, schema) });
    floor = { psqlUrl: urlWithSchema(databaseUrl, schema) };
    cleanup = () => adminQuery(databaseUrl, `drop schema if exists ${schema} cascade`).then(() => undefined);
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'wsa-bench-export-store-'));
    const store = await openStore({ dataDir });
    await importFile(store.db, file, { clock: fixedClock(new Date('2025-11-05T00:00:00Z')), logger: silentLogger() });
    await sql`analyze`.execute(store.db);
    await store.close();
    env = wsaEnv({ dataDir });
    floor = { pgliteDir: pgliteDataPath(dataDir) };
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  try {
    const f = await measureUsersExport(backend, env, floor, WEEK, out);
    console.log(
      `${backend}: wsa export users, ${f.rows.toLocaleString('en-US')} rows (${(f.bytes / 1e6).toFixed(1)} MB): ` +
        `${(f.childMs / 1000).toFixed(2)} s, peak RSS ${f.childRssMb.toFixed(0)} MB; ` +
        `idle wsa (migrate) ${(f.idleMs / 1000).toFixed(2)} s, ${f.idleRssMb.toFixed(0)} MB (+${(f.childRssMb - f.idleRssMb).toFixed(0)} MB); ` +
        `floor ${(f.floorMs / 1000).toFixed(2)} s (${f.floorLabel})`,
    );
  } finally {
    await cleanup();
    rmSync(join(out, '..'), { recursive: true, force: true });
  }
}
