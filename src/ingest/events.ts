/**
 * Usage event ingest (docs/design.md §4.2), shared by `wsa ingest` and `POST /api/v1/events`.
 *
 * All or nothing per file or request: every line is validated, streaming, keeping the first
 * problems with their physical line numbers; only a clean source is kept, written in one
 * transaction that also passes the workspace guard (one usage source per store) and records the
 * import. A file is written while it is read (`writeWhileReading`: the database stores one batch
 * while the process checks the next) and the transaction rolled back at the first bad line; a
 * request body is read whole before the transaction begins. Ids already stored, or repeated identically in the source, are duplicates and
 * are ignored; the same id with different content inside one source is an error. The per-day
 * facts of every (user, day) that gained events are then written once per source
 * (events-rollup.ts): counted from the source for pairs new to the store, recomputed from the
 * events table for the others.
 */
import { sql } from 'kysely';
import {
  ConflictError,
  InvalidInputError,
  MAX_REPORTED_PROBLEMS,
  type InputProblem,
} from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../log.ts';
import type { DbOrTx } from '../store/schema.ts';
import { guardWorkspace, recordImport } from './workspace-guard.ts';
import { sourceLines, type EventSource } from './events-lines.ts';
import { checkEventLine } from './events-validate.ts';
import { EventColumns, EventWriter, findUnknownUsers, storeHasEvents, type Progress } from './events-store.ts';
import { dayFactsOf, rollUpSource } from './events-rollup.ts';

export type { EventSource } from './events-lines.ts';

/** Memory for the ingest transaction's sorts and hashes (PostgreSQL's default is 4MB). */
const WORK_MEM = '64MB';

/**
 * Most events one file or request may hold: everything is validated before anything is written,
 * so a source is held in memory (about 400 bytes an event). Split larger files; each part is
 * all or nothing on its own, and ingesting them in any order gives the same facts.
 */
export const MAX_EVENTS_PER_SOURCE = 5_000_000;

/** How many unknown public_ids a summary names. */
export const UNKNOWN_USER_SAMPLE_SIZE = 10;

export interface IngestEventsOptions {
  clock: Clock;
  logger: Logger;
  /** Human name of the file or request, used in messages and the import log. */
  sourceName: string;
  /** Set by the demo loader: the store is marked demo-only (replaced by the first real import). */
  demo?: boolean;
  /** Defaults to MAX_EVENTS_PER_SOURCE. */
  maxEvents?: number;
  /**
   * Write the events while the rest of the source is read, in the same transaction (rolled back
   * at the first bad line, so still all or nothing). For sources read at disk speed (a file):
   * the transaction holds the store's write lock (the workspace row; PGlite's one connection)
   * while it reads, so a request body or stdin, which may trickle in, is read whole first.
   */
  writeWhileReading?: boolean;
}

export interface IngestSummary {
  source: string;
  /** Events read (non-blank lines). */
  rows: number;
  /** Events newly stored. */
  accepted: number;
  /** Events ignored: ids already stored, or repeated identically in the source. */
  duplicates: number;
  /** Users of the source's events that no directory import knows; their events still count. */
  unknownUsers: { count: number; events: number; sample: string[] };
  /** UTC days the source's events fall on. */
  days: { count: number; first: string | null; last: string | null };
  /** (user, day) fact rows recomputed. */
  userDays: number;
  /** True when this ingest emptied a store that held only the demo workspace. */
  replacedDemo: boolean;
  importId: number;
  /**
   * Where the time went: reading and validating (with `writeWhileReading`, storing the events
   * too), then the writing left after the last line (of which the roll-up).
   */
  timings: { readMs: number; writeMs: number; rollupMs: number };
}

interface ReadResult {
  columns: EventColumns;
  rows: number;
  duplicatesInSource: number;
  eventsByUser: Map<string, number>;
  days: Set<string>;
}

/** Lines read between two `ingest.progress` records while reading. */
const PROGRESS_EVERY = 25_000;

/**
 * Reads and checks every line into `columns`. With a `writer`, events go to the store while the
 * rest is read, until the first problem (the transaction is then rolled back; the reading goes on
 * to list the problems).
 */
async function readEvents(
  source: EventSource,
  columns: EventColumns,
  options: IngestEventsOptions,
  writer?: EventWriter,
): Promise<ReadResult> {
  const now = options.clock.now();
  const indexById = new Map<string, number>();
  const lineOf: number[] = [];
  const eventsByUser = new Map<string, number>();
  const days = new Set<string>();
  const problems: InputProblem[] = [];
  let totalProblems = 0;
  let rows = 0;
  let duplicatesInSource = 0;
  const report = (line: number, message: string) => {
    totalProblems++;
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push({ line, message });
  };
  const maxEvents = options.maxEvents ?? MAX_EVENTS_PER_SOURCE;

  let nextProgress = PROGRESS_EVERY;
  reading: for await (const group of sourceLines(source)) {
    if (rows >= nextProgress) {
      options.logger.debug({ source: options.sourceName, phase: 'reading', done: rows, total: 0 }, 'ingest.progress');
      nextProgress = rows + PROGRESS_EVERY;
    }
    for (const item of group) {
      if ('problem' in item) {
        rows++;
        report(item.line, item.problem);
        continue;
      }
      if (item.text.trim() === '') continue;
      rows++;
      const checked = checkEventLine(item.text, now);
      if (!checked.ok) {
        for (const message of checked.problems) report(item.line, message);
        continue;
      }
      const event = checked.event;
      const seen = indexById.get(event.id);
      if (seen !== undefined) {
        if (columns.sameAs(seen, event)) duplicatesInSource++;
        else {
          report(
            item.line,
            `id ${JSON.stringify(event.id)} was already used on line ${lineOf[seen]} with different content`,
          );
        }
        continue;
      }
      if (columns.length >= maxEvents) {
        report(
          item.line,
          `more than ${maxEvents.toLocaleString('en-US')} events in one source; split it into smaller files (each is all or nothing, in any order)`,
        );
        break reading;
      }
      indexById.set(event.id, columns.push(event));
      lineOf.push(item.line);
      eventsByUser.set(event.user, (eventsByUser.get(event.user) ?? 0) + 1);
      days.add(event.day);
      if (writer?.due() && totalProblems === 0) await writer.offer();
    }
  }

  if (totalProblems > 0) throw new InvalidInputError(options.sourceName, problems, totalProblems);
  if (rows === 0) {
    throw new InvalidInputError(options.sourceName, [
      { line: 0, message: 'holds no events (expected one JSON object per line)' },
    ]);
  }
  return { columns, rows, duplicatesInSource, eventsByUser, days };
}

/** The transaction's first steps: the workspace guard, the import log entry, the memory. */
interface WriteSession {
  importId: number;
  replacedDemo: boolean;
  /** Whether the store held events when the ingest began (else no id can be stored already). */
  hadEvents: boolean;
  /** The guard's refusal, kept to be thrown once the source is known to be valid. */
  refused?: ConflictError;
}

async function beginWrite(tx: DbOrTx, options: IngestEventsOptions): Promise<WriteSession> {
  let replacedDemo = false;
  try {
    ({ replacedDemo } = await guardWorkspace(tx, {
      usageSource: 'events',
      source: options.sourceName,
      ...(options.demo ? { demo: true } : {}),
    }));
  } catch (error) {
    // A bad source is reported as such even into a store it may not go into (as when the
    // source was read whole before the guard ran).
    if (error instanceof ConflictError) return { importId: 0, replacedDemo: false, hadEvents: true, refused: error };
    throw error;
  }
  const importId = await recordImport(tx, {
    kind: 'events',
    source: options.sourceName,
    rows: 0,
    at: options.clock.now(),
  });
  // Hash joins and aggregates of a large batch stay in memory (this transaction only).
  await sql`set local work_mem = '${sql.raw(WORK_MEM)}'`.execute(tx);
  return { importId, replacedDemo, hadEvents: await storeHasEvents(tx) };
}

async function finishWrite(
  tx: DbOrTx,
  session: WriteSession,
  read: ReadResult,
  writer: EventWriter,
  progress: Progress,
): Promise<Omit<IngestSummary, 'timings' | 'source' | 'rows' | 'days'> & { rollupMs: number }> {
  const { importId, replacedDemo } = session;
  const { columns } = read;
  const accepted = await writer.finish();
  progress('summing up days', columns.length, columns.length);
  const rollupStarted = performance.now();
  // Pairs new to the store get the facts the process counted; the others are recomputed from
  // every stored event of the pair.
  const userDays = await rollUpSource(tx, dayFactsOf(columns), { importId, accepted, unique: columns.length });
  const rollupMs = Math.round(performance.now() - rollupStarted);

  const unknown = await findUnknownUsers(tx, [...read.eventsByUser.keys()]);
  const unknownUsers = {
    count: unknown.length,
    events: unknown.reduce((n, id) => n + (read.eventsByUser.get(id) ?? 0), 0),
    sample: unknown.slice(0, UNKNOWN_USER_SAMPLE_SIZE),
  };
  const duplicates = read.rows - accepted;
  await sql`
    update import_log
    set rows = ${accepted},
        detail = ${JSON.stringify({
          events_read: read.rows,
          duplicates,
          unknown_users: unknownUsers.count,
          user_days: userDays,
        })}::jsonb
    where id = ${importId}`.execute(tx);
  return { accepted, duplicates, unknownUsers, userDays, replacedDemo, importId, rollupMs };
}

/**
 * Reads, validates and stores usage events from `source`. Throws InvalidInputError (nothing
 * written) when any line is bad, ConflictError when the store's usage comes from exports.
 */
export async function ingestEvents(
  db: DbOrTx,
  source: EventSource,
  options: IngestEventsOptions,
): Promise<IngestSummary> {
  const started = performance.now();
  let readDone = started;
  const columns = new EventColumns();
  // How far the write is, for a console's progress bar (debug: JSON logs at info leave it out).
  const progress: Progress = (phase, done, total) =>
    options.logger.debug({ source: options.sourceName, phase, done, total }, 'ingest.progress');
  const inTransaction = <T>(work: (tx: DbOrTx) => Promise<T>): Promise<T> =>
    db.isTransaction ? work(db) : db.transaction().execute(work);
  const read = async (writer?: EventWriter): Promise<ReadResult> => {
    try {
      return await readEvents(source, columns, options, writer);
    } catch (error) {
      if (error instanceof InvalidInputError) {
        options.logger.warn({ source: options.sourceName, problems: error.totalProblems }, 'ingest.rejected');
      }
      throw error;
    } finally {
      readDone = performance.now();
    }
  };
  progress('reading', 0, 0);

  let result: { read: ReadResult; written: Awaited<ReturnType<typeof finishWrite>> };
  if (options.writeWhileReading) {
    result = await inTransaction(async (tx) => {
      const session = await beginWrite(tx, options);
      const writer = session.refused ? undefined : new EventWriter(tx, columns, session.importId, session.hadEvents, progress);
      let events: ReadResult;
      try {
        events = await read(writer);
      } catch (error) {
        await writer?.abandon();
        throw error;
      }
      if (session.refused || !writer) throw session.refused;
      return { read: events, written: await finishWrite(tx, session, events, writer, progress) };
    });
  } else {
    const events = await read();
    result = await inTransaction(async (tx) => {
      const session = await beginWrite(tx, options);
      if (session.refused) throw session.refused;
      const writer = new EventWriter(tx, columns, session.importId, session.hadEvents, progress);
      return { read: events, written: await finishWrite(tx, session, events, writer, progress) };
    });
  }
  const done = performance.now();

  const sortedDays = [...result.read.days].sort();
  const { rollupMs, ...outcome } = result.written;
  const summary: IngestSummary = {
    source: options.sourceName,
    rows: result.read.rows,
    ...outcome,
    days: {
      count: sortedDays.length,
      first: sortedDays[0] ?? null,
      last: sortedDays.at(-1) ?? null,
    },
    timings: { readMs: Math.round(readDone - started), writeMs: Math.round(done - readDone), rollupMs },
  };
  options.logger.info(
    {
      source: summary.source,
      rows: summary.rows,
      accepted: summary.accepted,
      duplicates: summary.duplicates,
      unknown_users: summary.unknownUsers.count,
      user_days: summary.userDays,
      replaced_demo: summary.replacedDemo,
      read_ms: summary.timings.readMs,
      write_ms: summary.timings.writeMs,
      rollup_ms: summary.timings.rollupMs,
    },
    'ingest.completed',
  );
  return summary;
}

/** The summary as the HTTP endpoint and `wsa ingest --json` print it (snake_case keys). */
export function summaryToJson(summary: IngestSummary): Record<string, unknown> {
  return {
    source: summary.source,
    rows: summary.rows,
    accepted: summary.accepted,
    duplicates: summary.duplicates,
    unknown_users: summary.unknownUsers,
    days: summary.days,
    user_days: summary.userDays,
    replaced_demo: summary.replacedDemo,
  };
}

/** The summary for people (CLI). Names public_ids only, never emails. */
export function formatSummary(summary: IngestSummary): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    `${summary.source}: ${plural(summary.rows, 'event')} read, ${summary.accepted} stored, ${plural(summary.duplicates, 'duplicate')} ignored.`,
  ];
  if (summary.days.count > 0) {
    lines.push(
      summary.days.count === 1
        ? `Day: ${summary.days.first} (UTC).`
        : `Days: ${summary.days.first} … ${summary.days.last} (UTC, ${summary.days.count} with events).`,
    );
  }
  if (summary.unknownUsers.count > 0) {
    const { count, events, sample } = summary.unknownUsers;
    lines.push(
      `${plural(count, 'user')} not in the directory (${plural(events, 'event')}; they count in totals, in no group): ` +
        `${sample.join(', ')}${count > sample.length ? ', …' : ''}. Import a directory CSV to place them in groups.`,
    );
  }
  if (summary.replacedDemo) lines.push('The demo workspace was removed first: this store now holds your data only.');
  return lines.join('\n');
}
