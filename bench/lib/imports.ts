/**
 * Data-in figures (docs/design.md §10): a 100k-row Users CSV through `wsa import`, and an events file
 * through `wsa ingest`, each as a child process into a fresh store, beside a raw COPY of the same
 * file into an equivalent table measured in the same run (`psql -c "\copy …"` on PostgreSQL,
 * COPY FROM '/dev/blob' on PGlite).
 */
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readFileSync, readSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openStore } from '../../src/store/open.ts';
import { adminQuery, urlWithSchema, type Backend } from './stores.ts';
import { runChild, runWsa, wsaEnv } from './children.ts';

export interface DataInResult {
  backend: Backend;
  rows: number;
  /** `wsa migrate` on the same (already migrated) store: node + tsx start-up and opening the store. */
  startupMs: number;
  /** The whole `wsa import|ingest` child, start-up included. */
  childMs: number;
  /** The raw COPY of the same file. */
  copyMs: number;
  copyLabel: string;
}

/** The header of a CSV file, split on commas (the report headers hold no quoted commas). */
export function csvHeader(file: string): string[] {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(64 * 1024);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const first = buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0]!;
  return first.split(',').map((c) => c.replace(/^"|"$/g, ''));
}

/** CREATE TABLE of text columns c1…cN: the rawest table a Users report can be copied into. */
export function textTableDdl(table: string, columns: number): string {
  return `create table ${table} (${Array.from({ length: columns }, (_, i) => `c${i + 1} text`).join(', ')})`;
}

/** COPY options reading NDJSON one line per row into one jsonb column (no CSV quoting applies). */
const NDJSON_COPY = `(format csv, quote E'\\x01', delimiter E'\\x02')`;
const CSV_COPY = '(format csv, header true)';

interface Fresh {
  env: NodeJS.ProcessEnv;
  drop: () => Promise<void>;
  copy: (ddl: string, table: string, file: string, options: string) => Promise<number>;
  copyLabel: string;
}

/** A fresh, migrated store for a child process, and the raw COPY floor beside it. */
async function freshStore(backend: Backend, databaseUrl: string, workRoot: string, tag: string): Promise<Fresh> {
  if (backend === 'postgres') {
    const schema = `wsa_bench_${tag}_${process.pid}`;
    await adminQuery(databaseUrl, `drop schema if exists ${schema} cascade; create schema ${schema}`);
    const store = await openStore({ databaseUrl, schema, poolSize: 1 });
    await store.close();
    return {
      env: wsaEnv({ databaseUrl: urlWithSchema(databaseUrl, schema) }),
      drop: () => adminQuery(databaseUrl, `drop schema if exists ${schema} cascade`).then(() => undefined),
      copyLabel: 'psql \\copy of the same file',
      copy: async (ddl, table, file, options) => {
        await adminQuery(databaseUrl, `set search_path = ${schema}; ${ddl}`);
        const r = await runChild('psql', [urlWithSchema(databaseUrl, schema), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${table} from '${file}' with ${options}`]);
        return r.ms;
      },
    };
  }
  const dataDir = join(workRoot, `tmp-${tag}-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  const store = await openStore({ dataDir });
  await store.close();
  return {
    env: wsaEnv({ dataDir }),
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    copyLabel: "PGlite COPY FROM '/dev/blob' (file read included)",
    copy: async (ddl, table, file, options) => {
      // A PGlite of its own (the store's is locked by design), in memory: the floor of the engine.
      const db = await PGlite.create();
      try {
        await db.exec(ddl);
        const started = performance.now();
        const blob = new Blob([readFileSync(file)]);
        await db.query(`copy ${table} from '/dev/blob' with ${options}`, [], { blob });
        return performance.now() - started;
      } finally {
        await db.close();
      }
    },
  };
}

/** `wsa import FILE` of one Users report into a fresh store, beside a COPY of the same file. */
export async function measureImport(backend: Backend, databaseUrl: string, workRoot: string, file: string, rows: number): Promise<DataInResult> {
  const fresh = await freshStore(backend, databaseUrl, workRoot, 'import');
  try {
    const startup = await runWsa(['migrate'], fresh.env);
    const child = await runWsa(['import', file], fresh.env);
    const copyMs = await fresh.copy(textTableDdl('bench_copy_users', csvHeader(file).length), 'bench_copy_users', file, CSV_COPY);
    return { backend, rows, startupMs: startup.ms, childMs: child.ms, copyMs, copyLabel: fresh.copyLabel };
  } finally {
    await fresh.drop();
  }
}

/**
 * The first `count` lines of an NDJSON events file, written once beside the work files and reused:
 * the ingest rate is measured on a prefix (events are in time order, so the prefix is a few whole
 * weeks of the workspace) because the whole 1.5M-event file takes over ten minutes on PGlite.
 */
export async function eventsPrefix(file: string, count: number, out: string): Promise<string> {
  if (existsSync(out)) return out;
  const tmp = `${out}.partial`;
  const writer = createWriteStream(tmp);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    if (!writer.write(`${line}\n`)) await once(writer, 'drain');
    if (++n === count) break;
  }
  lines.close();
  writer.end();
  await once(writer, 'finish');
  renameSync(tmp, out);
  return out;
}

/** `wsa ingest FILE` of an NDJSON events file into a fresh store, beside a COPY of its lines into jsonb. */
export async function measureIngest(backend: Backend, databaseUrl: string, workRoot: string, file: string, events: number): Promise<DataInResult> {
  const fresh = await freshStore(backend, databaseUrl, workRoot, 'ingest');
  try {
    const startup = await runWsa(['migrate'], fresh.env);
    const child = await runWsa(['ingest', file], fresh.env);
    const copyMs = await fresh.copy('create table bench_copy_events (e jsonb)', 'bench_copy_events', file, NDJSON_COPY);
    return { backend, rows: events, startupMs: startup.ms, childMs: child.ms, copyMs, copyLabel: `${fresh.copyLabel} into one jsonb column` };
  } finally {
    await fresh.drop();
  }
}
