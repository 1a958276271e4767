/**
 * Hand-written SQL for the numbers of four representative answers, over the same store: the
 * floor an answer is compared with. Each reads only what the number needs, straight from the
 * weekly facts and the newest directory snapshot, in one statement. Checked by hand against the
 * answers' values on the quick workspace: active users (the total row: people active in the 12
 * weeks), the benchmarks values and power users/senders are the same numbers; the groups floor
 * counts active members per group as of the newest snapshot. runFloor() returns the rows so the
 * JSON shows them beside the answer's values.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DbOrTx } from '../../src/store/schema.ts';

/** Sunday-started weeks: the first Sunday of the last `weeks` complete weeks ending on `endDate`. */
export function firstWeekStart(endDate: string, weeks: number): string {
  const end = new Date(`${endDate}T00:00:00Z`);
  return new Date(end.getTime() - (weeks * 7 - 1) * 86_400_000).toISOString().slice(0, 10);
}

export interface SqlFloor {
  /** The command text whose answer this floor stands beside. */
  command: string;
  label: string;
  query: (endDate: string) => RawBuilder<Record<string, unknown>>;
}

export const SQL_FLOORS: readonly SqlFloor[] = [
  {
    command: 'active-users last-12-weeks',
    label: 'weekly active users, 12 weeks',
    query: (end) => sql`
      select period_start::text as week, count(distinct public_id)::int as active_users
      from user_facts
      where grain = 'week' and messages > 0 and period_start between ${firstWeekStart(end, 12)}::date and ${end}::date
      group by grouping sets ((period_start), ()) order by period_start nulls last`,
  },
  {
    command: 'groups last-4-weeks',
    label: 'active users per SCIM group, 4 weeks',
    query: (end) => sql`
      with snap as (select id from directory_snapshots where as_of <= ${end}::date order by as_of desc, id desc limit 1),
      active as (
        select distinct public_id from user_facts
        where grain = 'week' and messages > 0 and period_start between ${firstWeekStart(end, 4)}::date and ${end}::date
      )
      select g.name, count(a.public_id)::int as active_users, count(distinct d.account_key)::int as members
      from directory_accounts d
      cross join lateral unnest(d.group_ids) as m(group_id)
      join scim_groups g on g.group_id = m.group_id
      left join active a on a.public_id = d.public_id
      where d.snapshot_id = (select id from snap) and d.user_status = 'enabled'
      group by g.name order by g.name`,
  },
  {
    command: 'benchmarks last-4-weeks',
    label: 'activated share, average WAU, messages per WAU, 4 weeks',
    query: (end) => sql`
      with snap as (select id from directory_snapshots where as_of <= ${end}::date order by as_of desc, id desc limit 1),
      seats as (
        select count(*)::int as seats_enabled, (count(*) filter (where last_day_active is not null))::int as activated_users
        from directory_accounts where snapshot_id = (select id from snap) and user_status = 'enabled'
      ),
      weeks as (
        select count(*)::float / 4 as wau, sum(messages)::float / nullif(count(*), 0) as messages_per_wau
        from user_facts
        where grain = 'week' and messages > 0 and period_start between ${firstWeekStart(end, 4)}::date and ${end}::date
      )
      select activated_users, seats_enabled, activated_users::float / nullif(seats_enabled, 0) as activation_rate, wau,
             wau / nullif(activated_users, 0) as wau_per_activated_user, messages_per_wau
      from seats, weeks`,
  },
  {
    command: 'power-users last-4-weeks',
    label: 'top 20% of senders with ≥ 75 messages a week and ≥ 3 tools, 4 weeks',
    query: (end) => sql`
      with facts as (
        select public_id, messages, tool_to_messages from user_facts
        where grain = 'week' and messages > 0 and period_start between ${firstWeekStart(end, 4)}::date and ${end}::date
      ),
      per as (select public_id, sum(messages) as m from facts group by public_id),
      ranked as (select public_id, m, rank() over (order by m desc) as rk, count(*) over () as senders from per),
      tools as (
        select f.public_id, count(distinct k) as tools
        from facts f cross join lateral jsonb_object_keys(coalesce(f.tool_to_messages, '{}'::jsonb)) as k
        group by f.public_id
      )
      select count(*)::int as power_users, max(senders)::int as senders
      from ranked r join tools t on t.public_id = r.public_id
      where r.rk <= (r.senders + 4) / 5 and r.m * 7 >= 75 * 28 and t.tools >= 3`,
  },
];

export async function runFloor(db: DbOrTx, floor: SqlFloor, endDate: string): Promise<Record<string, unknown>[]> {
  const { rows } = await floor.query(endDate).execute(db);
  return rows;
}
