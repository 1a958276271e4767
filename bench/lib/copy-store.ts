/**
 * The PGlite benchmark store as a copy of the PostgreSQL one: the same migrations (PGlite's own,
 * run by openStore), then every table's rows copied as they are — `psql \copy (select …) to
 * stdout` on the server side, `COPY … FROM '/dev/blob'` in PGlite, in chunks of whole lines —
 * with triggers and foreign-key checks off (`session_replication_role = replica`), since the
 * aggregate tables the triggers keep are copied too. Indexes other than primary keys and unique
 * constraints are dropped before and built again after (a GIN index built at once costs far less
 * than one grown row by row). Serial sequences are set past the copied ids, and every table's row
 * count is checked against the source. All in one transaction: a failed copy leaves nothing
 * behind but the empty store, which the caller removes.
 *
 * Why: loading the 202 files of the 100k workspace through PGlite's import path took 25–38 min
 * (PGlite runs PostgreSQL in WebAssembly on one thread), which alone spent the fresh run's
 * 30-minute budget; copying the rows the PostgreSQL import wrote takes a fraction of that. The
 * import path itself is measured on PGlite under "Data in", into a fresh store.
 */
import { spawn } from 'node:child_process';
import { PGlite } from '@electric-sql/pglite';
import { openStore, pgliteDataPath } from '../../src/store/open.ts';
import { adminQuery, urlWithSchema } from './stores.ts';

/** Bytes of COPY text sent to PGlite at a time (cut at a line end). */
const CHUNK_BYTES = 32 * 1024 * 1024;

/** Tables that are not the application's: the migrator's own and the bench's digest. */
const SKIPPED = new Set(['kysely_migration', 'kysely_migration_lock', 'bench_workspace']);

interface TableShape {
  name: string;
  columns: string[];
  serial: string[];
}

async function tablesOf(databaseUrl: string, schema: string): Promise<TableShape[]> {
  const { rows } = await adminQuery(
    databaseUrl,
    `select c.table_name, c.column_name, coalesce(c.column_default like 'nextval(%', false) as serial
     from information_schema.columns c
     join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
     where c.table_schema = '${schema.replace(/'/g, "''")}' and t.table_type = 'BASE TABLE'
     order by c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, TableShape>();
  for (const r of rows as Array<{ table_name: string; column_name: string; serial: boolean }>) {
    if (SKIPPED.has(r.table_name)) continue;
    const t = tables.get(r.table_name) ?? { name: r.table_name, columns: [], serial: [] };
    t.columns.push(r.column_name);
    if (r.serial) t.serial.push(r.column_name);
    tables.set(r.table_name, t);
  }
  return [...tables.values()];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Streams `select cols from table` out of PostgreSQL in COPY text format, a chunk of whole lines at a time. */
async function* copyOut(databaseUrl: string, schema: string, table: TableShape): AsyncGenerator<Buffer> {
  const select = `select ${table.columns.map(quote).join(', ')} from ${quote(table.name)}`;
  const child = spawn('psql', [urlWithSchema(databaseUrl, schema), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy (${select}) to stdout`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  let pending: Buffer[] = [];
  let size = 0;
  for await (const data of child.stdout as AsyncIterable<Buffer>) {
    pending.push(data);
    size += data.length;
    if (size < CHUNK_BYTES) continue;
    const all = Buffer.concat(pending);
    const cut = all.lastIndexOf(0x0a) + 1;
    if (cut > 0) yield all.subarray(0, cut);
    pending = [all.subarray(cut)];
    size = all.length - cut;
  }
  const code = await exited;
  if (code !== 0) throw new Error(`psql \\copy of ${table.name} exited with ${code}: ${stderr.slice(-1000)}`);
  if (size > 0) yield Buffer.concat(pending);
}

export async function copyPostgresToPglite(
  source: { databaseUrl: string; schema: string },
  dataDir: string,
  log: (line: string) => void,
): Promise<{ rows: number; tables: number }> {
  // The schema as PGlite's migrations make it.
  const migrated = await openStore({ dataDir });
  await migrated.close();
  const tables = await tablesOf(source.databaseUrl, source.schema);
  const db = await PGlite.create({ dataDir: pgliteDataPath(dataDir) });
  let copied = 0;
  try {
    const { rows: mine } = await db.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
    );
    for (const t of tables) {
      const here = mine.filter((r) => r.table_name === t.name).map((r) => r.column_name);
      if (here.join() !== t.columns.join()) {
        throw new Error(`table ${t.name} differs between the PostgreSQL store (${t.columns.join(', ')}) and PGlite (${here.join(', ')})`);
      }
    }
    await db.exec(`begin; set local session_replication_role = replica; set local maintenance_work_mem = '256MB'`);
    // Secondary indexes (not those of a primary key or unique constraint), built again after.
    const { rows: secondary } = await db.query<{ name: string; def: string }>(
      `select i.indexname as name, i.indexdef as def from pg_indexes i
       where i.schemaname = 'public'
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
    );
    for (const i of secondary) await db.exec(`drop index ${quote(i.name)}`);
    for (const t of tables) {
      const started = performance.now();
      const into = `copy ${quote(t.name)} (${t.columns.map(quote).join(', ')}) from '/dev/blob'`;
      for await (const chunk of copyOut(source.databaseUrl, source.schema, t)) {
        await db.query(into, [], { blob: new Blob([chunk]) });
      }
      const { rows: counted } = await db.query<{ n: number }>(`select count(*)::int as n from ${quote(t.name)}`);
      const { rows: expected } = await adminQuery(source.databaseUrl, `select count(*)::int as n from ${source.schema}.${quote(t.name)}`);
      const n = counted[0]!.n;
      if (n !== (expected[0] as { n: number }).n) {
        throw new Error(`copied ${n} rows of ${t.name}, but the PostgreSQL store holds ${(expected[0] as { n: number }).n}`);
      }
      for (const c of t.serial) {
        await db.query(`select setval(pg_get_serial_sequence($1, $2), coalesce(max(${quote(c)}), 0) + 1, false) from ${quote(t.name)}`, [t.name, c]);
      }
      copied += n;
      if (n > 100_000) log(`pglite: copied ${n.toLocaleString('en-US')} rows of ${t.name} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    const indexed = performance.now();
    for (const i of secondary) await db.exec(i.def);
    log(`pglite: built ${secondary.length} indexes in ${((performance.now() - indexed) / 1000).toFixed(0)} s`);
    await db.exec('commit');
  } finally {
    await db.close();
  }
  return { rows: copied, tables: tables.length };
}
