/**
 * What `top-users` and `power-users` share (people.ts): the group names, the directory rows as of
 * P's end, and the Users-report rows of ranked people (user-row.ts builds each).
 */
import { sql, type RawBuilder } from 'kysely';
import { snapshotAsOf, type Ctx } from './context.ts';
import { userRow, type Detail, type Identity, type PeopleMaps, type Ranked } from './user-row.ts';

export async function groupNamesById(ctx: Ctx): Promise<Map<string, string>> {
  const rows = await ctx.db.selectFrom('scim_groups').select(['group_id', 'name']).execute();
  return new Map(rows.map((r) => [r.group_id, r.name]));
}

/** The directory rows, as of P's end, whose account key meets `which` (a condition on `a.account_key`). */
export async function directoryRows(ctx: Ctx, which: RawBuilder<unknown>): Promise<Map<string, Identity>> {
  const snap = snapshotAsOf(ctx.src.snapshots, ctx.range.end);
  const people = new Map<string, Identity>();
  if (snap === null) return people;
  const { rows } = await sql<Identity>`
    select a.account_key, a.name, a.email, a.role, a.user_role, a.department, a.group_ids, a.user_status,
      a.created_or_invited_date, a.last_day_active
    from directory_accounts a
    where a.snapshot_id = ${snap.id} and ${which}`.execute(ctx.db);
  for (const r of rows) people.set(r.account_key, r);
  return people;
}

/** `a.account_key` is one of `ids`. */
export function keyIn(ids: readonly string[]): RawBuilder<unknown> {
  return sql`a.account_key in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
}

/** The Users-report rows of the ranked people (of the viewer's groups only, with restrictToGroupIds). */
export function assembleRows(
  ctx: Ctx,
  ranked: Ranked[],
  facts: Map<string, Detail>,
  maps: PeopleMaps,
  people: Map<string, Identity>,
  groupNames: Map<string, string>,
): Array<Record<string, unknown>> {
  const scope = ctx.req.restrictToGroupIds;
  const rows: Array<Record<string, unknown>> = [];
  for (const r of ranked) {
    const who = people.get(r.public_id);
    if (scope !== undefined && !(who?.group_ids ?? []).some((g) => scope.includes(g))) continue;
    rows.push(userRow(r, facts.get(r.public_id), maps.get(r.public_id), who, groupNames));
  }
  return rows;
}

