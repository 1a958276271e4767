/**
 * The embedded database on a thread of its own (docs/design.md §3, §10). PGlite is PostgreSQL
 * compiled to WebAssembly: a query runs synchronously on the thread that calls it, so in-process
 * a 4-second `heatmap last-12-months` held the server's event loop for 4 seconds and Slack's
 * acks waited behind it. Here PGlite lives in a worker thread (pglite-worker.mjs) and this side
 * sends it one query at a time as a message: the main thread only copies the rows in.
 *
 * The thread is started, and PGlite created in it, by `startPGliteThread`; a query sent before
 * PGlite is ready waits for it. Errors come back with their own fields (`code` is the SQLSTATE,
 * `detail`, `position`, …) and the message PGlite gave, as a `PGliteError` whose stack is the
 * caller's. Queries reach the thread in the order they were called (a COPY's blob read first does
 * not let a later query overtake it), and a close answers the queries called before it and refuses
 * those after at once. If the thread dies (its memory cap, a WebAssembly abort) every waiting query fails
 * and so does every later one.
 *
 * Why not PGlite's own `@electric-sql/pglite/worker`: it is written for browser tabs (leader
 * election through `navigator.locks` and `BroadcastChannel`), which Node 20 does not have.
 */
import { Worker } from 'node:worker_threads';
import { parserKinds } from './type-parsers.ts';

const WORKER_ENTRY = new URL('./pglite-worker.mjs', import.meta.url);

/** What the Kysely dialect needs of PGlite: PGlite itself, or this thread's client. */
export interface PGliteQueryable {
  query<R>(
    sql: string,
    params: unknown[],
    options: { rowMode: 'object'; blob?: Blob },
  ): Promise<{ rows: R[]; affectedRows?: number; blob?: Blob | File }>;
}

/** An error from PostgreSQL in the thread, with the fields PGlite's DatabaseError carries. */
export class PGliteError extends Error {
  /** SQLSTATE, e.g. 23505. */
  code?: string;
  severity?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  routine?: string;
}

export interface PGliteThreadOptions {
  /** A persisted database's directory; without it, in memory. */
  dataDir?: string;
  /** Start from a dumped data directory (a migrated template). */
  loadDataDir?: Blob;
}

interface Pending {
  resolve: (result: { rows: unknown[]; affectedRows?: number; blob?: Blob }) => void;
  reject: (error: Error) => void;
  /** The caller's stack, given to an error from the thread. */
  stack: string | undefined;
}

type Reply =
  | { ready: true }
  | { ready: false; error: Record<string, unknown> }
  | { id: number; rows: unknown[]; affectedRows?: number; blob?: Uint8Array }
  | { id: number; error: Record<string, unknown> };

export class PGliteThread implements PGliteQueryable {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  readonly #ready: Promise<void>;
  #nextId = 1;
  /** Set once the thread can take no more queries: why. */
  #stopped: string | undefined;
  #closing: Promise<void> | undefined;
  /** Settles once the last query called has been posted to the thread (or failed to be). */
  #sendQueue: Promise<void> = Promise.resolve();

  private constructor(options: PGliteThreadOptions, loadDataDir: Uint8Array | undefined) {
    this.#worker = new Worker(WORKER_ENTRY, {
      workerData: {
        dataDir: options.dataDir,
        loadDataDir,
        parsers: parserKinds,
      },
      // The entry is plain JavaScript: the parent's own loader flags (--import tsx) are not for it.
      execArgv: [],
      ...(loadDataDir ? { transferList: [loadDataDir.buffer as ArrayBuffer] } : {}),
    });
    // An idle store does not keep the process alive (as PGlite in-process did not); opening it and
    // a query running in it do (the thread stays referenced until PGlite is ready).
    let settle!: { resolve: () => void; reject: (error: Error) => void };
    this.#ready = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Handled here so an unawaited readiness never becomes an unhandled rejection; callers await it.
    this.#ready.catch(() => undefined);
    this.#worker.on('message', (reply: Reply) => {
      if ('ready' in reply) {
        if (reply.ready) {
          if (this.#pending.size === 0) this.#worker.unref();
          settle.resolve();
        } else {
          this.#stopped = 'the embedded database could not be opened';
          settle.reject(toError(reply.error, undefined));
          void this.#worker.terminate();
        }
        return;
      }
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) this.#worker.unref();
      if ('error' in reply) pending.reject(toError(reply.error, pending.stack));
      else {
        pending.resolve({
          rows: reply.rows,
          ...(reply.affectedRows === undefined ? {} : { affectedRows: reply.affectedRows }),
          ...(reply.blob ? { blob: new Blob([reply.blob]) } : {}),
        });
      }
    });
    let failure: string | undefined;
    this.#worker.on('error', (error) => {
      failure ??= error.message;
    });
    this.#worker.on('exit', (code) => {
      const why = this.#closing
        ? 'the embedded database is closed'
        : `the embedded database's thread stopped (exit code ${code}${failure ? `: ${failure}` : ''})`;
      this.#stopped ??= why;
      settle.reject(new Error(why));
      for (const pending of this.#pending.values()) pending.reject(new Error(this.#stopped));
      this.#pending.clear();
    });
  }

  /**
   * Starts the thread and PGlite in it. Resolves once PGlite is ready (or rejects with why it
   * could not open); `whenStarted: false` resolves at once, leaving the wait to the first query.
   */
  static async start(options: PGliteThreadOptions = {}, whenStarted = true): Promise<PGliteThread> {
    // The bytes go to the thread without a copy (transferred), so they are read here first.
    const bytes = options.loadDataDir ? new Uint8Array(await options.loadDataDir.arrayBuffer()) : undefined;
    const thread = new PGliteThread(options, bytes);
    if (whenStarted) {
      try {
        await thread.#ready;
      } catch (error) {
        await thread.#worker.terminate();
        throw error;
      }
    }
    return thread;
  }

  /** Resolves once PGlite is open in the thread. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  query<R>(
    sql: string,
    params: unknown[],
    options: { rowMode: 'object'; blob?: Blob },
  ): Promise<{ rows: R[]; affectedRows?: number; blob?: Blob }> {
    // The caller's stack, for an error that comes back from the thread.
    const stack = new Error().stack;
    if (this.#closing) return Promise.reject(new Error(this.#stopped ?? 'the embedded database is closing'));
    // Queries reach the thread in the order they were called: a COPY whose blob is still being
    // read must not be overtaken by a query called after it.
    const sent = this.#sendQueue.then(() => this.#send(sql, params, options.blob, stack));
    this.#sendQueue = sent.then(
      () => undefined,
      () => undefined,
    );
    return sent.then((s) => s.result) as Promise<{ rows: R[]; affectedRows?: number; blob?: Blob }>;
  }

  /** Posts one query once PGlite is ready; resolves (with the reply still to come) once posted. */
  async #send(
    sql: string,
    params: unknown[],
    blobIn: Blob | undefined,
    stack: string | undefined,
  ): Promise<{ result: Promise<{ rows: unknown[]; affectedRows?: number; blob?: Blob }> }> {
    await this.#ready;
    if (this.#stopped) throw new Error(this.#stopped);
    const blob = blobIn ? new Uint8Array(await blobIn.arrayBuffer()) : undefined;
    const id = this.#nextId++;
    const result = new Promise<{ rows: unknown[]; affectedRows?: number; blob?: Blob }>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, stack });
    });
    this.#worker.ref();
    try {
      this.#worker.postMessage({ id, sql, params, ...(blob ? { blob } : {}) }, blob ? [blob.buffer as ArrayBuffer] : []);
    } catch (error) {
      // A parameter the thread cannot be sent (a function, a symbol): nothing is waiting for it.
      this.#pending.delete(id);
      if (this.#pending.size === 0) this.#worker.unref();
      throw error;
    }
    return { result };
  }

  /** Closes the database (after the queries already sent) and ends the thread. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#stopped) {
        await this.#worker.terminate();
        return;
      }
      // Queries called before the close are posted first (and answered: the thread takes messages in order).
      await this.#sendQueue;
      if (this.#stopped) {
        await this.#worker.terminate();
        return;
      }
      const id = this.#nextId++;
      const closed = new Promise<unknown>((resolve, reject) => {
        this.#pending.set(id, { resolve, reject, stack: undefined });
      });
      this.#worker.ref();
      this.#worker.postMessage({ id, close: true });
      try {
        await closed;
      } finally {
        this.#stopped ??= 'the embedded database is closed';
        // PGlite has closed (and synced its files) by now: nothing is left in the thread to lose.
        await this.#worker.terminate();
      }
    })();
    return this.#closing;
  }
}

/** The thread's plain error data as an Error here: its message, its fields, the caller's stack. */
function toError(data: Record<string, unknown>, callerStack: string | undefined): Error {
  const message = typeof data.message === 'string' ? data.message : 'unknown error in the embedded database';
  const error = 'code' in data || 'severity' in data ? new PGliteError(message) : new Error(message);
  for (const [key, value] of Object.entries(data)) {
    if (key !== 'message' && key !== 'stack') (error as unknown as Record<string, unknown>)[key] = value;
  }
  if (callerStack) error.stack = `${error.name}: ${message}\n${callerStack.split('\n').slice(1).join('\n')}`;
  return error;
}
