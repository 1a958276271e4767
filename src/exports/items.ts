/**
 * GPT and Project report rows for an export (docs/design.md §4.1, §7 "Exports"). An imported report
 * of exactly the range is given back as it was, row for row. Any other range is computed:
 * - usage: event-fed stores count the events naming the GPT or project (messages, distinct
 *   senders, first and last day); export-fed stores sum the per-user maps (`gpt_to_messages`,
 *   `project_to_messages`) of the Users reports tiling the range, a sender being a user whose map
 *   names it, and take first and last days from the GPT or Project reports inside the range;
 * - the catalog (name, description, URL, creator, config type): each item's row in the newest
 *   report starting on or before the range's end;
 * - every catalogued item is listed, active or not, busiest first, then by id (byte order).
 */
import { sql, type RawBuilder } from 'kysely';
import type { FactPart } from '../metrics/coverage.ts';
import { partsFilter } from './users.ts';

export type Item = 'gpt' | 'project';

export interface ItemRow {
  id: string;
  name: string | null;
  config_type: string | null;
  description: string | null;
  url: string | null;
  creator_public_id: string | null;
  is_active: boolean;
  first_day: string | null;
  last_day: string | null;
  messages: number;
  messagers: number;
  creator_email: string | null;
}

const tableOf = (item: Item) => sql.table(`${item}_report_rows`);
const col = (alias: string, item: Item, name: string) => sql.ref(`${alias}.${item}_${name}`);

function catalogColumns(item: Item, alias: string): RawBuilder<unknown> {
  return sql`${col(alias, item, 'name')} as name, ${sql.ref(`${alias}.config_type`)} as config_type,
    ${col(alias, item, 'description')} as description, ${col(alias, item, 'url')} as url,
    ${col(alias, item, 'creator_public_id')} as creator_public_id, ${col(alias, item, 'creator_email')} as creator_email`;
}

export function importedItemsQuery(item: Item, reportId: number): RawBuilder<ItemRow> {
  return sql<ItemRow>`
    select ${col('r', item, 'id')} as id, ${catalogColumns(item, 'r')}, r.is_active,
      r.first_day_active_in_period as first_day, r.last_day_active_in_period as last_day,
      r.messages_workspace as messages, r.unique_messagers_workspace as messagers
    from ${tableOf(item)} r
    where r.report_id = ${reportId}
    order by r.position`;
}

export interface ComputedItems {
  readonly item: Item;
  readonly start: string;
  readonly end: string;
  /** Export-fed stores: the Users facts tiling the range; null for event-fed stores. */
  readonly parts: readonly FactPart[] | null;
}

export function computedItemsQuery(c: ComputedItems): RawBuilder<ItemRow> {
  const { item } = c;
  const idRef = col('r', item, 'id');
  const used =
    c.parts === null
      ? sql`used as (
          select e.${sql.ref(`${item === 'gpt' ? 'gpt_id' : 'project_id'}`)} as id, count(*)::int as messages,
            count(distinct e.public_id)::int as messagers, min(e.day) as first_day, max(e.day) as last_day
          from events e
          where e.day between ${c.start} and ${c.end} and e.${sql.ref(`${item}_id`)} is not null
          group by 1)`
      : sql`sums as (
          select m.key as id, sum(m.value::int)::int as messages, count(distinct f.public_id)::int as messagers
          from user_facts f cross join lateral jsonb_each_text(f.${sql.ref(`${item}_to_messages`)}) m
          where ${partsFilter(c.parts)}
          group by m.key
        ), days as (
          select ${idRef} as id, min(r.first_day_active_in_period) as first_day, max(r.last_day_active_in_period) as last_day
          from ${tableOf(item)} r join reports p on p.id = r.report_id
          where p.period_start >= ${c.start} and p.period_end <= ${c.end}
          group by 1
        ), used as (
          select s.id, s.messages, s.messagers, d.first_day, d.last_day from sums s left join days d on d.id = s.id)`;
  return sql<ItemRow>`
    with ${used}, catalog as (
      select distinct on (${idRef}) ${idRef} as id, ${catalogColumns(item, 'r')}
      from ${tableOf(item)} r join reports p on p.id = r.report_id
      where p.period_start <= ${c.end}
      order by ${idRef}, p.period_end desc, p.id desc
    )
    select coalesce(c.id, u.id) as id, c.name, c.config_type, c.description, c.url, c.creator_public_id, c.creator_email,
      coalesce(u.messages, 0) > 0 as is_active, u.first_day, u.last_day,
      coalesce(u.messages, 0) as messages, coalesce(u.messagers, 0) as messagers
    from catalog c full join used u on u.id = c.id
    order by coalesce(u.messages, 0) desc, coalesce(c.id, u.id) collate "C"`;
}

export function itemCells(row: ItemRow): string[] {
  return [
    row.id,
    row.name ?? '',
    row.config_type ?? '',
    row.description ?? '',
    row.url ?? '',
    row.creator_public_id ?? '',
    row.is_active ? '1' : '0',
    row.first_day ?? '',
    row.last_day ?? '',
    String(row.messages),
    String(row.messagers),
    row.creator_email ?? '',
  ];
}
