/**
 * Writing events: a column-wise buffer of validated events (compact for a million of them), the
 * bulk insert (`unnest` of one array per column, `ON CONFLICT (id) DO NOTHING`) that returns
 * which (user, day) pairs gained events, and the directory look-up for unknown users.
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
 * The (user, day) pairs that gained events in this transaction, with how many each gained,
 * gathered in a temporary table (dropped at commit) so the roll-up can join them with real row
 * estimates. A pair may appear once per insert statement; sum its rows.
 */
export const TOUCHED_TABLE = 'wsa_ingest_touched';

export async function prepareTouched(db: DbOrTx): Promise<void> {
  await sql`create temp table if not exists ${sql.table(TOUCHED_TABLE)} (public_id text not null, day date not null, gained integer not null) on commit drop`.execute(db);
  await sql`truncate ${sql.table(TOUCHED_TABLE)}`.execute(db);
}

/**
 * Inserts events [from, to) of `columns`; ids already stored are skipped. The (user, day) pairs
 * of the rows that went in are added to the touched table (call `prepareTouched` first).
 * Returns how many rows went in.
 */
export async function insertEventSlice(
  db: DbOrTx,
  columns: EventColumns,
  from: number,
  to: number,
  importId: number,
): Promise<number> {
  const slice = <T>(a: T[]) => a.slice(from, to);
  const o = columns.optional;
  const { rows } = await sql<{ n: number }>`
    with ins as (
      insert into events (id, ts, day, public_id, conversation_id, gpt_id, project_id, tool, skill,
                          app, model, task_type, topic, import_id)
      select t.id, t.ts::timestamptz, t.day::date, t.public_id, t.conversation_id, t.gpt_id,
             t.project_id, t.tool, t.skill, t.app, t.model, t.task_type, t.topic, ${importId}::int
      from unnest(${slice(columns.id)}::text[], ${slice(columns.ts)}::text[], ${slice(columns.day)}::text[],
                  ${slice(columns.user)}::text[], ${slice(columns.conversationId)}::text[],
                  ${slice(o.gpt_id)}::text[], ${slice(o.project_id)}::text[], ${slice(o.tool)}::text[],
                  ${slice(o.skill)}::text[], ${slice(o.app)}::text[], ${slice(o.model)}::text[],
                  ${slice(o.task_type)}::text[], ${slice(o.topic)}::text[])
        as t(id, ts, day, public_id, conversation_id, gpt_id, project_id, tool, skill, app, model,
             task_type, topic)
      on conflict (id) do nothing
      returning public_id, day
    ),
    touched as (
      insert into ${sql.table(TOUCHED_TABLE)} (public_id, day, gained)
      select public_id, day, count(*) from ins group by public_id, day
    )
    select count(*)::int as n from ins`.execute(db);
  return rows[0]?.n ?? 0;
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
