/**
 * `COPY table (columns) FROM STDIN` of rows already in COPY's text format, on the connection of
 * `db` (a Kysely handle or a transaction: then inside it), on either backend. The rows travel as
 * one payload that the server parses natively, instead of array parameters it must take apart
 * and a statement that unnests them.
 *
 * - PostgreSQL: `CopyIn` is a query the pg driver runs through its own queue (a "submittable"),
 *   handed to it by Kysely as the compiled statement, so it takes its turn among the
 *   transaction's other statements. It sends the data and CopyDone as soon as the server asks.
 * - PGlite: the PGlite connection (pglite-dialect.ts) runs a `CopyIn` as its own COPY through
 *   `/dev/blob` (as `pgliteCopy` does), the data as the blob.
 */
import { sql, type Kysely } from 'kysely';

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** The parts of pg's connection a COPY FROM uses. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

interface CopyOutcome {
  command: 'COPY';
  rows: { rowCount: number }[];
}

export class CopyIn implements PromiseLike<CopyOutcome> {
  /**
   * Set by pg's Client when it takes the query (its `query_timeout` wraps it to clear its timer),
   * called once the query is over, as pg's own queries do: without it a timeout set in the
   * connection's URL would still fire after the COPY, and keep a finished CLI process waiting.
   */
  callback?: (error: unknown, outcome?: CopyOutcome) => void;
  readonly #done: Promise<CopyOutcome>;
  #resolve!: (outcome: CopyOutcome) => void;
  #reject!: (error: unknown) => void;
  #rowCount = 0;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
    /** Rows in COPY's text format, each ending in a line feed. */
    readonly data: string,
  ) {
    for (const name of [table, ...columns]) if (!IDENT.test(name)) throw new Error(`copy: bad identifier ${name}`);
    this.#done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** The statement, reading from `source` (`stdin`, or PGlite's `'/dev/blob'`). */
  statement(source: string): string {
    return `copy ${this.table} (${this.columns.join(', ')}) from ${source}`;
  }

  // The driver's side (pg's Client calls these while this query is the active one).
  submit(connection: CopyConnection): void {
    connection.query(this.statement('stdin'));
  }
  handleCopyInResponse(connection: CopyConnection): void {
    connection.sendCopyFromChunk(Buffer.from(this.data, 'utf8'));
    connection.endCopyFrom();
  }
  handleCommandComplete(message: { text?: string }): void {
    this.#rowCount = Number(/^COPY (\d+)/.exec(message.text ?? '')?.[1] ?? 0);
  }
  handleError(error: unknown): void {
    // The driver lets go of a query when its error arrives: no ReadyForQuery reaches it after.
    this.#reject(error);
    this.#end(error);
  }
  handleReadyForQuery(): void {
    const outcome: CopyOutcome = { command: 'COPY', rows: [{ rowCount: this.#rowCount }] };
    this.#resolve(outcome);
    this.#end(null, outcome);
  }

  /** Tells the driver the query is over, once. */
  #end(error: unknown, outcome?: CopyOutcome): void {
    const callback = this.callback;
    this.callback = undefined;
    callback?.(error, outcome);
  }

  then<A = CopyOutcome, B = never>(
    onFulfilled?: ((value: CopyOutcome) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#done.then(onFulfilled, onRejected);
  }
}

/**
 * A value as a field of COPY's text format, for values without control characters (tab, line
 * feed, carriage return; the caller has refused those): only a backslash needs escaping, and
 * null is `\N`.
 */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return value.includes('\\') ? value.replaceAll('\\', '\\\\') : value;
}

/** Characters COPY's text format escapes with a backslash, and their escapes. */
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const COPY_SPECIAL = /[\\\t\n\r]/;

/** Any text as a field of COPY's text format (tab, line feed and carriage return escaped too); null is `\N`. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  return COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : value;
}

/**
 * Copies `data` (rows in COPY's text format: columns separated by tabs, `\N` for null, `\\` for a
 * backslash, each row ending in a line feed) into `columns` of `table`; returns the rows copied.
 */
export async function copyRows(db: Kysely<any>, table: string, columns: readonly string[], data: string): Promise<number> {
  const copy = new CopyIn(table, columns, data);
  // Compiled as any statement (so the handle's plugins see it), then Kysely hands the compiled
  // `sql` to the connection as it is: pg runs a submittable there (its count as a row), PGlite's
  // connection runs its own COPY (its count as the rows affected).
  const compiled = sql.raw<{ rowCount: number }>(copy.statement('stdin')).compile(db);
  const result = await db.executeQuery<{ rowCount: number }>({ ...compiled, sql: copy as unknown as string });
  return Number(result.numAffectedRows ?? result.rows[0]?.rowCount ?? 0);
}
