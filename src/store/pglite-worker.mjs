// The embedded store's thread: PGlite runs here, so a long query blocks this thread and never the
// one that reads sockets (pglite-thread.ts starts it and is the only thing that talks to it).
//
// Plain JavaScript on purpose, and with no import of the project's TypeScript: the thread starts
// PGlite at once, with no tsx module hooks in the way (as src/render/render-worker.mjs explains,
// every module load through the hooks is a round trip to their thread), while the main thread
// loads the rest of the program. The column parsers come as data (`workerData.parsers`, OID →
// 'number' | 'text') from type-parsers.ts, the one place they are defined.
//
// Messages in:  { id, sql, params, blob? }   a query; `blob` (bytes) is what COPY … FROM '/dev/blob' reads
//               { id, close: true }           close the database; the thread then ends
// Messages out: { ready: true } | { ready: false, error }   once, after PGlite.create
//               { id, rows, affectedRows, blob? }          blob: what COPY … TO '/dev/blob' wrote
//               { id, error }                              the error's own fields (SQLSTATE `code`, …)
import { parentPort, workerData } from 'node:worker_threads';

const { PGlite } = await import('@electric-sql/pglite');

/** @type {Record<string, (value: string) => unknown>} */
const PARSE = { number: (v) => Number(v), text: (v) => v };
/** @type {Record<number, (value: string) => unknown>} */
const parsers = {};
for (const [oid, kind] of Object.entries(workerData.parsers)) parsers[Number(oid)] = PARSE[kind];

/** An error as plain data: its own fields (a DatabaseError's code, detail, position, …) survive the copy. */
function plain(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const out = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    // A failed query's options may hold functions and blobs; its text and parameters are known to the caller.
    if (key === 'queryOptions' || key === 'query' || key === 'params') continue;
    if (value === undefined || typeof value === 'function') continue;
    out[key] = value;
  }
  return out;
}

/**
 * Posts a reply. One that cannot be copied to the other thread (a value structured clone refuses)
 * becomes an error reply for the same query: the caller learns why, and the thread goes on.
 */
function reply(message, transfer = []) {
  try {
    parentPort.postMessage(message, transfer);
  } catch (error) {
    parentPort.postMessage({
      id: message.id,
      error: { name: 'Error', message: `the embedded database's reply could not be sent back (${error?.message ?? error})` },
    });
  }
}

let db;
try {
  db = await PGlite.create({
    ...(workerData.dataDir ? { dataDir: workerData.dataDir } : {}),
    ...(workerData.loadDataDir ? { loadDataDir: new Blob([workerData.loadDataDir]) } : {}),
    parsers,
    relaxedDurability: false,
  });
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, error: plain(error) });
}

parentPort.on('message', async (message) => {
  if (message.close) {
    try {
      await db?.close();
      reply({ id: message.id, rows: [] });
    } catch (error) {
      reply({ id: message.id, error: plain(error) });
    }
    parentPort.close();
    return;
  }
  try {
    const result = await db.query(message.sql, message.params, {
      rowMode: 'object',
      ...(message.blob ? { blob: new Blob([message.blob]) } : {}),
    });
    const blob = result.blob ? new Uint8Array(await result.blob.arrayBuffer()) : undefined;
    reply(
      { id: message.id, rows: result.rows, affectedRows: result.affectedRows, ...(blob ? { blob } : {}) },
      blob ? [blob.buffer] : [],
    );
  } catch (error) {
    reply({ id: message.id, error: plain(error) });
  }
});
