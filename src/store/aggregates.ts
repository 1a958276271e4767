/**
 * Reading the pre-aggregates of `user_facts` (migrations/0004_activity_aggregates.ts, which
 * keeps them exact with triggers inside every writing transaction):
 * - `period_totals`: per fact key (grain, period_start), active users and summed counts;
 * - `activity_bits`: per user and block of 64 periods of a series, one bit per period with
 *   messages.
 * The series and ordinal of a fact key here must match `activity_series` / `activity_ordinal`
 * of the migration.
 */
import { sql, type RawBuilder } from 'kysely';
import { dayNumber, weekday } from '../core/periods.ts';
import type { DbOrTx } from './schema.ts';

/** The series and ordinal of a fact key, as the migration's SQL functions compute them. */
export function activityKey(grain: string, day: string): { series: string; ord: number } {
  const days = dayNumber(day);
  if (grain === 'week' && weekday(day) === 0) return { series: 'week', ord: (days - 3) / 7 };
  if (grain === 'month' && day.endsWith('-01')) {
    return { series: 'month', ord: Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1 };
  }
  return { series: grain === 'day' ? 'day' : `${grain}:day`, ord: days };
}

export interface BitsFilter {
  /** `(b.series = … and b.bucket = … and b.mask & … <> 0) or …` over `activity_bits b`. */
  where: RawBuilder<unknown>;
  /** How many (series, bucket) blocks: with more than one, a user may match several rows. */
  blocks: number;
}

/** The condition on `activity_bits b` for "active in any of these fact keys". */
export function bitsFilter(keys: ReadonlyArray<{ grain: string; pstart: string }>): BitsFilter {
  const blocks = new Map<string, { series: string; bucket: number; mask: bigint }>();
  for (const k of keys) {
    const { series, ord } = activityKey(k.grain, k.pstart);
    const bucket = ord >> 6;
    const id = `${series}|${bucket}`;
    const bit = 1n << BigInt(ord & 63);
    const b = blocks.get(id);
    if (b) b.mask |= bit;
    else blocks.set(id, { series, bucket, mask: bit });
  }
  const terms = [...blocks.values()].map(
    (b) =>
      sql`(b.series = ${b.series} and b.bucket = ${b.bucket}::int and b.mask & ${BigInt.asIntN(64, b.mask).toString()}::bigint <> 0)`,
  );
  return { where: terms.length === 0 ? sql`false` : sql.join(terms, sql` or `), blocks: blocks.size };
}

/**
 * Distinct users active in any of the keys; `members` (a subquery of account keys) limits them.
 */
export async function countActiveUsers(
  db: DbOrTx,
  keys: ReadonlyArray<{ grain: string; pstart: string }>,
  members: RawBuilder<unknown> | null = null,
): Promise<number> {
  if (keys.length === 0) return 0;
  const f = bitsFilter(keys);
  const only = members === null ? sql`` : sql`and b.public_id in (${members})`;
  const { rows } =
    f.blocks === 1
      ? await sql<{ n: number }>`select count(*) as n from activity_bits b where (${f.where}) ${only}`.execute(db)
      : await sql<{ n: number }>`
          select count(*) as n from (
            select distinct b.public_id from activity_bits b where (${f.where}) ${only}) d`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export interface KeyTotals {
  grain: string;
  period_start: string;
  active_users: number;
  messages: number;
  gpt_messages: number;
  tool_messages: number;
  project_messages: number;
  projects_created: number;
  skill_messages: number;
  app_messages: number;
}

/** The totals of each key that has facts (keys without a row have none). */
export async function keyTotals(
  db: DbOrTx,
  keys: ReadonlyArray<{ grain: string; pstart: string }>,
): Promise<KeyTotals[]> {
  if (keys.length === 0) return [];
  const rows = keys.map((k) => sql`(${k.grain}::text, ${k.pstart}::date)`);
  const { rows: out } = await sql<KeyTotals>`
    select t.grain, t.period_start, t.active_users, t.messages, t.gpt_messages, t.tool_messages,
      t.project_messages, t.projects_created, t.skill_messages, t.app_messages
    from period_totals t
    where (t.grain, t.period_start) in (values ${sql.join(rows)})`.execute(db);
  return out.map((r) => ({
    grain: r.grain,
    period_start: r.period_start,
    active_users: Number(r.active_users),
    messages: Number(r.messages),
    gpt_messages: Number(r.gpt_messages),
    tool_messages: Number(r.tool_messages),
    project_messages: Number(r.project_messages),
    projects_created: Number(r.projects_created),
    skill_messages: Number(r.skill_messages),
    app_messages: Number(r.app_messages),
  }));
}
