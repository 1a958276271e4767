/**
 * Writing events: a column-wise buffer of validated events (compact for a million of them), the
 * bulk write (a batch as one COPY payload, ids already stored looked up and left out),
 * the writer that sends batches while the source is read, and the directory look-up for unknown
 * users.
 */
import { sql } from 'kysely';
import { copyField, copyRows } from '../store/copy.ts';
import type { DbOrTx } from '../store/schema.ts';
import { OPTIONAL_FIELDS, type OptionalField, type UsageEvent } from './events-validate.ts';

/** Rows per COPY: large enough to amortise a round trip and a statement, small enough to overlap. */
export const INSERT_BATCH_SIZE = 5000;

/** Validated events, one array per column, in file order. */
export class EventColumns {
  readonly id: string[] = [];
  readonly ts: string[] = [];
  readonly day: string[] = [];
  readonly user: string[] = [];
  readonly conversationId: string[] = [];
  readonly optional = Object.fromEntries(OPTIONAL_FIELDS.map((f) => [f, [] as (string | null)[]])) as Record<
    OptionalField,
    (string | null)[]
  >;

  /**
   * One copy of each repeated value (users, days, names): a million events hold
   * a few thousand distinct values, and fewer live strings mean less memory and garbage collection.
   */
  readonly #shared = new Map<string, string>();

  get length(): number {
    return this.id.length;
  }

  #intern(value: string): string {
    const known = this.#shared.get(value);
    if (known !== undefined) return known;
    this.#shared.set(value, value);
    return value;
  }

  push(event: UsageEvent): number {
    this.id.push(event.id);
    this.ts.push(event.ts);
    this.day.push(this.#intern(event.day));
    this.user.push(this.#intern(event.user));
    this.conversationId.push(event.conversationId);
    for (const f of OPTIONAL_FIELDS) {
      const value = event.optional[f];
      this.optional[f].push(value === null ? null : this.#intern(value));
    }
    return this.id.length - 1;
  }

  /** Whether the event at `index` says exactly what `event` says (same id assumed). */
  sameAs(index: number, event: UsageEvent): boolean {
    return (
      this.ts[index] === event.ts &&
      this.user[index] === event.user &&
      this.conversationId[index] === event.conversationId &&
      OPTIONAL_FIELDS.every((f) => this.optional[f][index] === event.optional[f])
    );
  }
}

/** The columns of `events` an ingest writes, in the order of its COPY rows. */
const EVENT_COLUMNS = [
  'id', 'ts', 'day', 'public_id', 'conversation_id', 'gpt_id', 'project_id', 'tool', 'skill',
  'app', 'model', 'task_type', 'topic', 'import_id',
] as const;

/**
 * Events [from, to) of `columns` (but those whose id is in `skip`) as COPY text rows in
 * EVENT_COLUMNS order, as one string.
 * Validated values hold no control characters (no tab, line feed or carriage return): copyField
 * has only backslashes to escape. Each row's fields are joined, then the rows, so every string is
 * built flat once (a template of many parts is a rope flattened again when sent: 1.5× the CPU
 * measured).
 */
export function copyRowsOf(
  columns: EventColumns,
  from: number,
  to: number,
  importId: number,
  skip: ReadonlySet<string> | null = null,
): string {
  const o = columns.optional;
  const rows: string[] = [];
  const last = `\t${importId}`;
  for (let i = from; i < to; i++) {
    if (skip !== null && skip.has(columns.id[i]!)) continue;
    rows.push(
      [
        copyField(columns.id[i]!), columns.ts[i], columns.day[i], copyField(columns.user[i]!),
        copyField(columns.conversationId[i]!), copyField(o.gpt_id[i]!), copyField(o.project_id[i]!),
        copyField(o.tool[i]!), copyField(o.skill[i]!), copyField(o.app[i]!), copyField(o.model[i]!),
        copyField(o.task_type[i]!), copyField(o.topic[i]!),
      ].join('\t') + last,
    );
  }
  // Every row ends in a line feed.
  rows.push('');
  return rows.join('\n');
}

/**
 * Whether the store holds any event. Asked once an ingest holds the workspace row (every import
 * and ingest takes it, so no other can add events until this one ends): when it holds none, no id
 * of the source can be stored already, and the inserts skip looking.
 */
export async function storeHasEvents(db: DbOrTx): Promise<boolean> {
  const { rows } = await sql<{ any: boolean }>`select exists (select 1 from events) as any`.execute(db);
  return rows[0]?.any === true;
}

/**
 * The ids of events [from, to) of `columns` that the store holds already: one look-up in the
 * primary key per id (the ids sent as one JSON array, which the driver need not escape).
 */
async function storedIds(db: DbOrTx, columns: EventColumns, from: number, to: number): Promise<Set<string>> {
  const ids = JSON.stringify(columns.id.slice(from, to));
  const { rows } = await sql<{ id: string }>`
    select e.id from jsonb_array_elements_text(${ids}::jsonb) as i(id) join events e on e.id = i.id`.execute(db);
  return new Set(rows.map((r) => r.id));
}

/**
 * Stores events [from, to) of `columns` through COPY (store/copy.ts): the rows as one payload the
 * server parses itself, straight into `events`. Without `skipStored` the caller knows no id is
 * stored (storeHasEvents); with it, the ids the store holds already are looked up first and
 * those events left out of the payload. Either way no other ingest can add an event meanwhile
 * (each holds the workspace row until it commits), and the primary key would still refuse a
 * duplicate outright. One look-up and one COPY per batch: a small request (an HTTP post of a
 * few events) pays two statements, not a landing table's four (created, filled, moved on with
 * `on conflict`, emptied), which cost such a request about a tenth of its rate. Returns how many
 * rows went into `events`. Which (user, day) pairs gained events is worked out once per source
 * afterwards (events-rollup.ts `collectGained`), not per batch.
 */
export async function insertEventSlice(
  db: DbOrTx,
  columns: EventColumns,
  from: number,
  to: number,
  importId: number,
  skipStored: boolean,
): Promise<number> {
  const stored = skipStored ? await storedIds(db, columns, from, to) : null;
  if (stored !== null && stored.size === to - from) return 0;
  return copyRows(db, 'events', EVENT_COLUMNS, copyRowsOf(columns, from, to, importId, stored));
}

/** Reports how far a phase is (`ingest.progress`, for a console's progress bar). */
export type Progress = (phase: string, done: number, total: number) => void;

/**
 * Sends validated events to the store in batches of about INSERT_BATCH_SIZE, at most one batch in
 * flight: while the database stores one, the process reads and checks the next lines.
 */
export class EventWriter {
  #accepted = 0;
  #sent = 0;
  #inFlight: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;

  constructor(
    private readonly tx: DbOrTx,
    private readonly columns: EventColumns,
    private readonly importId: number,
    /** Whether ids may be stored already (storeHasEvents). */
    private readonly skipStored: boolean,
    private readonly progress: Progress,
  ) {}

  /** Whether a batch's worth of events has been read since the last batch was sent. */
  due(): boolean {
    return this.columns.length - this.#sent >= INSERT_BATCH_SIZE;
  }

  /** Sends the events read since the last batch (after the batch in flight is stored). */
  async offer(): Promise<void> {
    await this.#send(false);
  }

  /** Sends what is left, a batch at a time, and waits for every batch; returns how many went in. */
  async finish(): Promise<number> {
    while (this.#sent < this.columns.length) await this.#send(true);
    await this.#wait();
    return this.#accepted;
  }

  /** Waits for the batch in flight, whatever its outcome: the transaction is being rolled back. */
  async abandon(): Promise<void> {
    await this.#inFlight;
  }

  async #send(afterReading: boolean): Promise<void> {
    await this.#wait();
    const from = this.#sent;
    const to = Math.min(from + INSERT_BATCH_SIZE, this.columns.length);
    this.#sent = to;
    // While the source is still being read its size is unknown: the reading's progress stands
    // for both; what is stored after the last line is counted against the whole.
    if (afterReading) this.progress('storing', from, this.columns.length);
    this.#inFlight = insertEventSlice(this.tx, this.columns, from, to, this.importId, this.skipStored).then(
      (n) => {
        this.#accepted += n;
      },
      (error: unknown) => {
        this.#failure = { error };
      },
    );
  }

  async #wait(): Promise<void> {
    if (this.#inFlight) await this.#inFlight;
    this.#inFlight = undefined;
    if (this.#failure) throw this.#failure.error;
  }
}

/** Of the given public_ids, those no directory snapshot knows, sorted. */
export async function findUnknownUsers(db: DbOrTx, publicIds: string[]): Promise<string[]> {
  if (publicIds.length === 0) return [];
  const { rows } = await sql<{ public_id: string }>`
    select u.public_id
    from unnest(${publicIds}::text[]) as u(public_id)
    where not exists (select 1 from directory_accounts d where d.public_id = u.public_id)
    order by u.public_id collate "C"`.execute(db);
  return rows.map((r) => r.public_id);
}
