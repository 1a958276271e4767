/**
 * The rules every import and ingest obeys before writing (docs/design.md §3, §4), run inside the
 * import's own transaction so a refused file changes nothing:
 * - one store holds one workspace (`account_id`);
 * - one usage source (exports or events), fixed by the first usage import;
 * - the first real import into a store holding only the demo workspace empties it first, settings
 *   made while trying the demo included.
 * And afterwards, `recordImport` writes the import log entry that gives "last updated".
 */
import { sql } from 'kysely';
import { ConflictError } from '../core/errors.ts';
import type { DbOrTx, ImportKind } from '../store/schema.ts';
import { DATA_TABLES } from '../store/tables.ts';

export type UsageSource = 'exports' | 'events';

export interface WorkspaceState {
  accountId: string | null;
  usageSource: UsageSource | null;
  demoOnly: boolean;
}

export async function readWorkspace(db: DbOrTx, options: { forUpdate?: boolean } = {}): Promise<WorkspaceState> {
  const query = db.selectFrom('workspace').selectAll().where('id', '=', 1);
  const row = await (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
  return {
    accountId: row?.account_id ?? null,
    usageSource: row?.usage_source ?? null,
    demoOnly: row?.demo_only ?? false,
  };
}

/** Empties every data table (settings are kept) and leaves an unclaimed workspace row. */
export async function emptyWorkspace(db: DbOrTx): Promise<void> {
  for (const table of DATA_TABLES) await sql`delete from ${sql.table(table)}`.execute(db);
  await db.insertInto('workspace').values({ id: 1, account_id: null, usage_source: null }).execute();
}

/** Whether anything has been imported or ingested. */
export async function hasData(db: DbOrTx): Promise<boolean> {
  const row = await db.selectFrom('import_log').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

export interface GuardOptions {
  /** The workspace id the file names (Users/GPT/Project/Impact reports); none for events. */
  accountId?: string | undefined;
  /** Set when the file carries usage (Users reports, events). */
  usageSource?: UsageSource | undefined;
  /** The demo loader marks its imports so the first real import can replace them. */
  demo?: boolean;
  /** Human name of the file or request, for messages. */
  source: string;
}

export interface GuardOutcome {
  /** True when this import emptied a demo-only store first. */
  replacedDemo: boolean;
  /** With replacedDemo: settings had been set while the store held the demo, and were cleared. */
  clearedSettings: boolean;
}

/**
 * Checks the file against the store's workspace and claims account and usage source for it.
 * Call inside the import transaction, before writing rows.
 */
export async function guardWorkspace(db: DbOrTx, options: GuardOptions): Promise<GuardOutcome> {
  // Serialise concurrent imports on the singleton row (PostgreSQL; PGlite is one connection).
  await db
    .insertInto('workspace')
    .values({ id: 1, account_id: null, usage_source: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  let state = await readWorkspace(db, { forUpdate: true });
  let replacedDemo = false;
  let clearedSettings = false;
  if (state.demoOnly && !options.demo) {
    await emptyWorkspace(db);
    // Seats, industry and the rest typed while trying the demo describe the demo, not this workspace.
    clearedSettings = (await db.deleteFrom('settings').returning('id').execute()).length > 0;
    state = { accountId: null, usageSource: null, demoOnly: false };
    replacedDemo = true;
  }

  if (options.accountId && state.accountId && options.accountId !== state.accountId) {
    throw new ConflictError(
      `${options.source} belongs to workspace ${options.accountId}, but this store holds workspace ${state.accountId}. ` +
        'One store holds one workspace: use another store (WSA_DATA_DIR or DATABASE_URL) for the other workspace.',
    );
  }
  if (options.usageSource && state.usageSource && options.usageSource !== state.usageSource) {
    const held = state.usageSource === 'exports' ? 'ChatGPT Users reports' : 'usage events';
    const offered = options.usageSource === 'exports' ? 'a Users report' : 'usage events';
    throw new ConflictError(
      `${options.source} is ${offered}, but this store's usage comes from ${held}. ` +
        'Two usage sources for the same people would count their messages twice; use one source per store.',
    );
  }
  await db
    .updateTable('workspace')
    .set({
      account_id: state.accountId ?? options.accountId ?? null,
      usage_source: state.usageSource ?? options.usageSource ?? null,
      demo_only: options.demo ? true : state.demoOnly,
    })
    .where('id', '=', 1)
    .execute();
  return { replacedDemo, clearedSettings };
}

export interface ImportRecord {
  kind: ImportKind;
  source: string;
  sha256?: string | undefined;
  rows: number;
  detail?: Record<string, unknown>;
  at: Date;
}

/** Writes the import log entry; returns its id (rows written by the import reference it). */
export async function recordImport(db: DbOrTx, record: ImportRecord): Promise<number> {
  const row = await db
    .insertInto('import_log')
    .values({
      kind: record.kind,
      source: record.source,
      sha256: record.sha256 ?? null,
      rows: record.rows,
      detail: JSON.stringify(record.detail ?? {}),
      imported_at: record.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
