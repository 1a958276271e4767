/**
 * Writing events: a column-wise buffer of validated events (compact for a million of them), the
 * bulk insert (`unnest` of one array per column, ids already stored skipped), the writer that
 * sends batches while the source is read, and the directory look-up for unknown users.
 */
import { sql } from 'kysely';
import type { DbOrTx } from '../store/schema.ts';
import { OPTIONAL_FIELDS, type OptionalField, type UsageEvent } from './events-validate.ts';

/** Rows per INSERT: large enough to amortise a round trip, small enough for one message. */
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

/**
 * Elements [from, to) of `values` as a PostgreSQL array literal (`{"a","b",NULL}`), sent as one
 * text parameter: the driver's own array encoding escaped every element with a regular
 * expression, a second of process CPU for 300,000 events. Validated values hold no control
 * characters; only `"` and `\` need a backslash inside the quotes.
 */
export function textArrayLiteral(values: readonly (string | null)[], from: number, to: number): string {
  // Parts joined once: a string grown by `+=` is a rope the driver must flatten again to send.
  const parts = new Array<string>(to - from);
  for (let i = from; i < to; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i - from] = 'NULL';
    else if (v.includes('"') || v.includes('\\')) parts[i - from] = `"${v.replace(/[\\"]/g, '\\$&')}"`;
    else parts[i - from] = `"${v}"`;
  }
  return `{${parts.join(',')}}`;
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
 * Inserts events [from, to) of `columns`; with `skipStored`, ids already stored are skipped
 * (`on conflict do nothing`: a look-up in the primary key before each row goes in, a third of the
 * insert's server time); without, the caller knows none is (storeHasEvents) and the rows go in
 * as they are — concurrent ingests cannot add one meanwhile, each holding the workspace row until
 * it commits, and the primary key would still refuse a duplicate outright. Returns how many rows
 * went in. Which (user, day) pairs gained events is worked out once per source afterwards
 * (events-rollup.ts `collectGained`), not per batch.
 */
export async function insertEventSlice(
  db: DbOrTx,
  columns: EventColumns,
  from: number,
  to: number,
  importId: number,
  skipStored: boolean,
): Promise<number> {
  const a = (values: readonly (string | null)[]) => textArrayLiteral(values, from, to);
  const o = columns.optional;
  const result = await sql`
    insert into events (id, ts, day, public_id, conversation_id, gpt_id, project_id, tool, skill,
                        app, model, task_type, topic, import_id)
    select t.id, t.ts::timestamptz, t.day::date, t.public_id, t.conversation_id, t.gpt_id,
           t.project_id, t.tool, t.skill, t.app, t.model, t.task_type, t.topic, ${importId}::int
    from unnest(${a(columns.id)}::text[], ${a(columns.ts)}::text[], ${a(columns.day)}::text[],
                ${a(columns.user)}::text[], ${a(columns.conversationId)}::text[],
                ${a(o.gpt_id)}::text[], ${a(o.project_id)}::text[], ${a(o.tool)}::text[],
                ${a(o.skill)}::text[], ${a(o.app)}::text[], ${a(o.model)}::text[],
                ${a(o.task_type)}::text[], ${a(o.topic)}::text[])
      as t(id, ts, day, public_id, conversation_id, gpt_id, project_id, tool, skill, app, model,
           task_type, topic)
    ${skipStored ? sql`on conflict (id) do nothing` : sql``}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
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
