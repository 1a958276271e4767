/**
 * The Users report (docs/design.md §4.1): every row becomes an account of the report's
 * directory snapshot (pending invites included); rows with any activity also become a user fact
 * at the report's grain. Users reports carry no skills or apps: those fact columns stay null.
 */
import type { RowReader } from './cells.ts';
import { BatchPipeline } from './batches.ts';
import { encodeRow, type BulkColumn } from './bulk-insert.ts';
import { Oddities, type CsvImportContext, type RowWriter } from './csv-import-context.ts';
import { accountRows, accountKeyStage, encodeAccount, encodeAccountKey, readIdentity, reportDuplicateAccounts } from './account-columns.ts';
import { BatchWrites, TableRows } from './table-batches.ts';
import { checkInPeriod, checkSamePeriod, type ReportPeriod } from './report-period.ts';
import { GroupNames } from './scim-groups.ts';
import type { CountMap } from '../store/schema.ts';

const COUNT_COLUMNS = [
  'messages',
  'gpt_messages',
  'gpts_messaged',
  'tool_messages',
  'tools_messaged',
  'project_messages',
  'projects_messaged',
  'projects_created',
] as const;
type CountColumn = (typeof COUNT_COLUMNS)[number];

const MAP_COLUMNS = ['model_to_messages', 'gpt_to_messages', 'tool_to_messages', 'project_to_messages'] as const;
type MapColumn = (typeof MAP_COLUMNS)[number];

/** Every usage column: blank (or zero) on a pending invite that has no public_id. */
const USAGE_COLUMNS = [
  'is_active',
  'first_day_active_in_period',
  'last_day_active_in_period',
  'messages_rank',
  'last_day_active',
  'credits_used',
  ...COUNT_COLUMNS,
  ...MAP_COLUMNS,
] as const;

/** The usage columns but `last_day_active` (which remembers activity before the period). */
const ACTIVITY_COLUMNS = USAGE_COLUMNS.filter((c) => c !== 'last_day_active');

const FACT_COLUMNS: BulkColumn[] = [
  { name: 'public_id', type: 'text' },
  { name: 'is_active', type: 'boolean' },
  { name: 'first_day_active_in_period', type: 'date' },
  { name: 'last_day_active_in_period', type: 'date' },
  { name: 'messages_rank', type: 'integer' },
  ...COUNT_COLUMNS.map((name) => ({ name, type: 'integer' })),
  { name: 'credits_used', type: 'numeric' },
  { name: 'last_day_active', type: 'date' },
  ...MAP_COLUMNS.map((name) => ({ name, type: 'jsonb' })),
];

/** A row as it waits for its batch: encoded (encodeRow), so a batch is a few thousand strings. */
interface Queued {
  /** The row's key and line, for the duplicate check (null: the row has no key). */
  key: string | null;
  /** The account and the fact to write (null: none, or the row failed). */
  account: string | null;
  fact: string | null;
}

export class UsersReportWriter implements RowWriter {
  readonly #ctx: CsvImportContext;
  readonly #period: ReportPeriod;
  readonly #snapshotId: number;
  readonly #pipeline: BatchPipeline<Queued>;
  readonly #groups = new GroupNames();
  readonly #odd = new Oddities();
  readonly #keys = accountKeyStage();
  readonly #writes = new BatchWrites();
  readonly #accounts: TableRows;
  readonly #facts: TableRows;
  facts = 0;

  constructor(ctx: CsvImportContext, reportId: number, snapshotId: number) {
    this.#ctx = ctx;
    this.#period = ctx.period!;
    this.#snapshotId = snapshotId;
    this.#accounts = accountRows(snapshotId);
    this.#facts = new TableRows('user_facts', FACT_COLUMNS, [
      { name: 'report_id', type: 'integer', value: reportId },
      { name: 'grain', type: 'text', value: this.#period.grain },
      { name: 'period_start', type: 'date', value: this.#period.start },
      { name: 'period_end', type: 'date', value: this.#period.end },
    ]);
    this.#pipeline = new BatchPipeline(ctx.batchRows, (rows) => this.#flush(rows));
  }

  async add(row: RowReader): Promise<void> {
    const period = this.#period;
    if (row.line !== this.#ctx.firstLine) checkSamePeriod(row, period, this.#ctx.firstLine);
    const identity = readIdentity(row);
    const publicId = row.text('public_id');
    let fact: string | null = null;
    let lastDayActive: string | null = null;
    const status = row.raw('user_status');
    if (status === 'pending') {
      // an invite has no usage: its cells are blank (docs/design.md §4.1), or zero
      this.#checkNoUsage(row);
    } else if (publicId === null) {
      // readIdentity reported it: only pending invites lack a public_id
    } else if (status === 'deleted' && ACTIVITY_COLUMNS.every((c) => row.raw(c) === '')) {
      // a deleted account written without usage cells: no activity in the period
      lastDayActive = row.date('last_day_active');
    } else {
      const isActive = row.flag('is_active');
      const first = row.date('first_day_active_in_period');
      const last = row.date('last_day_active_in_period');
      checkInPeriod(row, 'first_day_active_in_period', first, period);
      checkInPeriod(row, 'last_day_active_in_period', last, period);
      if (first !== null && last !== null && last < first) {
        row.problem('last_day_active_in_period', `${last} is before first_day_active_in_period ${first}`);
      }
      const counts = {} as Record<CountColumn, number>;
      for (const c of COUNT_COLUMNS) counts[c] = row.count(c) ?? 0;
      const rank = row.count('messages_rank', false);
      if (rank === 0) row.problem('messages_rank', 'is 0; ranks start at 1');
      const maps = {} as Record<MapColumn, CountMap | null>;
      let mapsOk = true;
      for (const c of MAP_COLUMNS) {
        const m = row.countMap(c);
        if (m === undefined) mapsOk = false;
        maps[c] = m ?? null;
      }
      lastDayActive = row.date('last_day_active');
      const credits = row.decimal('credits_used');
      if (!row.rowFailed && mapsOk) {
        if (isActive && counts.messages === 0) this.#odd.note('is_active 1 but messages 0', row.line);
        if (isActive === false && counts.messages > 0) this.#odd.note('is_active 0 but messages above 0', row.line);
        const active =
          isActive === true ||
          COUNT_COLUMNS.some((c) => counts[c] > 0) ||
          MAP_COLUMNS.some((c) => maps[c] !== null) ||
          first !== null ||
          (credits !== null && Number(credits) > 0);
        if (active) {
          // in FACT_COLUMNS order
          fact = encodeRow(FACT_COLUMNS, [
            publicId,
            isActive,
            first,
            last,
            rank,
            ...COUNT_COLUMNS.map((c) => counts[c]),
            credits,
            lastDayActive,
            ...MAP_COLUMNS.map((c) => maps[c]),
          ]);
        }
      }
    }
    let account: string | null = null;
    if (identity.account && !row.rowFailed) {
      identity.account.last_day_active = lastDayActive;
      account = encodeAccount(identity.account);
      this.#groups.note(identity.groups);
    } else fact = null;
    const key = identity.key === null ? null : encodeAccountKey(identity.key, row.line);
    await this.#pipeline.add({ key, account, fact });
  }

  #checkNoUsage(row: RowReader): void {
    for (const c of USAGE_COLUMNS) {
      const v = row.raw(c);
      if (v === '' || v === '0' || v === '{}') continue;
      row.problem(c, `is ${JSON.stringify(v)} on a pending invite; an invite carries no usage (blank)`);
      return;
    }
  }

  /**
   * Stages a batch's keys and writes its accounts and facts into the real tables (rolled back
   * with the file if it has any problem; once it has one, its rows are no longer written).
   */
  async #flush(rows: Queued[]): Promise<void> {
    const { db, problems } = this.#ctx;
    const keys: string[] = [];
    const accounts: string[] = [];
    const facts: string[] = [];
    for (const r of rows) {
      if (r.key !== null) keys.push(r.key);
      if (r.account !== null) accounts.push(r.account);
      if (r.fact !== null) facts.push(r.fact);
    }
    await this.#keys.append(db, keys);
    if (problems.any) return;
    await this.#writes.write(db, async () => {
      await this.#accounts.insert(db, accounts);
      await this.#facts.insert(db, facts);
    });
  }

  async finish(warnings: string[]): Promise<void> {
    await this.#pipeline.finish();
    const { db, problems } = this.#ctx;
    reportDuplicateAccounts(problems, await this.#keys.duplicates(db, 'account_key'), 'report');
    if (!problems.any) {
      this.#writes.checkNoClash();
      this.facts = this.#facts.written;
      await this.#groups.save(db, this.#period.end, this.#snapshotId);
    }
    warnings.push(...this.#odd.warnings(), ...this.#groups.warnings());
  }
}
