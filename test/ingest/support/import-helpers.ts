/** Shared pieces of the import tests: options, table dumps, imports from text. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { fixedClock } from '../../../src/core/clock.ts';
import { importStream, type ImportOptions, type ImportResult } from '../../../src/ingest/import-files.ts';
import { silentLogger } from '../../../src/log.ts';
import type { Db } from '../../../src/store/schema.ts';
import { DATA_TABLES } from '../../../src/store/tables.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/exports/', import.meta.url));
export const fixture = (name: string) => `${FIXTURES}${name}`;
export const fixtureText = (name: string) => readFileSync(fixture(name), 'utf8');

/** The workspace of every fixture. */
export const ACCOUNT = '0f3c2a9d8e7b6a5948372615a4b3c2d1';

export function options(now = '2025-11-05T10:00:00Z', extra: Partial<ImportOptions> = {}): ImportOptions {
  return { clock: fixedClock(new Date(now)), logger: silentLogger(), ...extra };
}

/** Imports text (or bytes), fed in small chunks like a stream. */
export async function importText(
  db: Db,
  name: string,
  content: string | Buffer,
  opts: ImportOptions = options(),
): Promise<ImportResult> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 4096) chunks.push(bytes.subarray(i, i + 4096));
  return importStream(db, chunks, name, opts);
}

/** Every row of every application table, in a stable order: to show a store did not change. */
export async function dumpStore(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of [...DATA_TABLES, 'settings'] as const) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    out[table] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

/**
 * The data an import leaves, without the ids and import log that a re-import renews: equal
 * before and after re-importing the same file means no number changed.
 */
export async function dataDump(db: Db): Promise<Record<string, unknown[]>> {
  const q = async (query: ReturnType<typeof sql>) =>
    ((await query.execute(db)).rows as unknown[]).map((r) => JSON.stringify(r)).sort();
  return {
    workspace: await q(sql`select account_id, usage_source, demo_only from workspace`),
    reports: await q(sql`select kind, grain, cadence, period_start, period_end from reports`),
    snapshots: await q(sql`select source, period_start, as_of, (select count(*) from directory_accounts a where a.snapshot_id = s.id) as accounts from directory_snapshots s`),
    accounts: await q(sql`
      select s.as_of, a.account_key, a.public_id, a.name, a.email, a.email_key, a.role, a.user_role,
             a.department, a.group_ids, a.user_status, a.created_or_invited_date, a.last_day_active, a.position
      from directory_accounts a join directory_snapshots s on s.id = a.snapshot_id`),
    groups: await q(sql`select * from scim_groups`),
    facts: await q(sql`
      select grain, period_start, period_end, public_id, first_day_active_in_period, last_day_active_in_period,
             messages, messages_rank, gpt_messages, gpts_messaged, tool_messages, tools_messaged,
             project_messages, projects_messaged, projects_created, skill_messages, app_messages,
             credits_used, last_day_active, model_to_messages, gpt_to_messages, tool_to_messages,
             project_to_messages, skill_to_messages, app_to_messages
      from user_facts`),
    gpts: await q(sql`select r.period_start, to_jsonb(g) - 'report_id' as row from gpt_report_rows g join reports r on r.id = g.report_id`),
    projects: await q(sql`select r.period_start, to_jsonb(p) - 'report_id' as row from project_report_rows p join reports r on r.id = p.report_id`),
    impact: await q(sql`select r.period_start, to_jsonb(i) - 'report_id' as row from impact_responses i join reports r on r.id = i.report_id`),
    questions: await q(sql`select * from impact_questions`),
  };
}

/** Strips the report ids from rows (they are serial numbers). */
export function withoutIds<T extends Record<string, unknown>>(rows: T[], ...keys: string[]): Record<string, unknown>[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k))));
}
