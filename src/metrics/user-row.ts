/**
 * A person's Users-report row (the column rules are in people.ts's header) from their aggregated
 * facts, the facts' maps merged, and their directory row as of P's end. No imports: the JSON
 * answer builds most of its rows on a thread of its own (sender-rows.ts), which loads only this.
 */
export type CountMap = Record<string, number>;

export const MAP_KINDS = ['model', 'gpt', 'tool', 'project'] as const;
export type MapKind = (typeof MAP_KINDS)[number];
/** One fact's model, GPT, tool and project maps, in MAP_KINDS order. */
export type FactMaps = readonly [CountMap | null, CountMap | null, CountMap | null, CountMap | null];
/** A person's maps merged over P's facts (mergeFactMaps). */
export type MergedMaps = Record<MapKind, CountMap>;
export type PeopleMaps = Map<string, MergedMaps>;

export interface Ranked {
  public_id: string;
  messages: number;
  rk: number;
  senders: number;
}

export interface Detail {
  public_id: string;
  first_day: string | null;
  last_day: string | null;
  messages: number;
  gpt_messages: number;
  tool_messages: number;
  project_messages: number;
  projects_created: number;
  credits_used: number | null;
  last_day_active: string | null;
}

/** A fact row as the driver returns it (counts may come as strings), as numbers. */
export function detailOf(r: Detail, messages: number): Detail {
  return {
    public_id: r.public_id,
    first_day: r.first_day,
    last_day: r.last_day,
    messages,
    gpt_messages: Number(r.gpt_messages),
    tool_messages: Number(r.tool_messages),
    project_messages: Number(r.project_messages),
    projects_created: Number(r.projects_created),
    credits_used: r.credits_used === null ? null : Number(r.credits_used),
    last_day_active: r.last_day_active,
  };
}

/**
 * A person's facts' maps merged per kind (mergeMaps): the facts as rows of four maps, as most
 * callers read them.
 */
export function mergeFactMaps(facts: readonly FactMaps[]): MergedMaps {
  return {
    model: mergeMaps(facts.map((f) => f[0])),
    gpt: mergeMaps(facts.map((f) => f[1])),
    tool: mergeMaps(facts.map((f) => f[2])),
    project: mergeMaps(facts.map((f) => f[3])),
  };
}

/**
 * One kind of map of a person's facts merged: summed per key, the entries above 0 kept, keys in
 * sorted order (as `Object.keys(…).sort()` lays them out). Built once, in its final order: no
 * deletes, no copies (this runs for every sender of the JSON answer).
 */
export function mergeMaps(maps: ReadonlyArray<CountMap | null>): CountMap {
  let sums: CountMap | null = null;
  let only: CountMap | null = null;
  for (const m of maps) {
    if (!m) continue;
    if (only === null && sums === null) {
      only = m;
      continue;
    }
    if (sums === null) {
      sums = {};
      for (const k in only) sums[k] = (sums[k] ?? 0) + Number(only[k]);
    }
    for (const k in m) sums[k] = (sums[k] ?? 0) + Number(m[k]);
  }
  const from = sums ?? only;
  const out: CountMap = {};
  if (from === null) return out;
  for (const k of Object.keys(from).sort()) {
    const n = sums === null ? 0 + Number(from[k]) : from[k]!;
    if (n > 0) out[k] = n;
  }
  return out;
}

export interface Identity {
  account_key: string;
  name: string | null;
  email: string | null;
  role: string | null;
  user_role: string | null;
  department: unknown;
  group_ids: string[];
  user_status: string;
  created_or_invited_date: string | null;
  last_day_active: string | null;
}

/** A directory row read beside other columns (its own `last_day_active` renamed), as an Identity. */
export function identityOf(r: Partial<Omit<Identity, 'last_day_active'>> & { directory_last_day_active: string | null }): Identity {
  return {
    account_key: r.account_key!,
    name: r.name ?? null,
    email: r.email ?? null,
    role: r.role ?? null,
    user_role: r.user_role ?? null,
    department: r.department ?? null,
    group_ids: r.group_ids ?? [],
    user_status: r.user_status!,
    created_or_invited_date: r.created_or_invited_date ?? null,
    last_day_active: r.directory_last_day_active,
  };
}

/** The latest of some days (`YYYY-MM-DD` compares as text), null when none is known. */
function latest(...days: Array<string | null>): string | null {
  let out: string | null = null;
  for (const d of days) if (d !== null && (out === null || d > out)) out = d;
  return out;
}

/** One ranked person's Users-report row: their totals, merged maps and directory row. */
export function userRow(
  r: Ranked,
  d: Detail | undefined,
  mp: MergedMaps | undefined,
  who: Identity | undefined,
  groupNames: Map<string, string>,
): Record<string, unknown> {
  const m = mp ?? mergeFactMaps([]);
  return {
    public_id: r.public_id,
    name: who?.name ?? null,
    email: who?.email ?? null,
    role: who?.role ?? null,
    user_role: who?.user_role ?? null,
    department: who?.department ?? null,
    groups: (who?.group_ids ?? []).map((g) => groupNames.get(g) ?? g),
    user_status: who?.user_status ?? null,
    created_or_invited_date: who?.created_or_invited_date ?? null,
    is_active: 1,
    first_day_active_in_period: d?.first_day ?? null,
    last_day_active_in_period: d?.last_day ?? null,
    messages: r.messages,
    messages_rank: r.rk,
    model_to_messages: m.model,
    gpt_messages: d?.gpt_messages ?? 0,
    gpts_messaged: Object.keys(m.gpt).length,
    gpt_to_messages: m.gpt,
    tool_messages: d?.tool_messages ?? 0,
    tools_messaged: Object.keys(m.tool).length,
    tool_to_messages: m.tool,
    project_messages: d?.project_messages ?? 0,
    projects_messaged: Object.keys(m.project).length,
    project_to_messages: m.project,
    projects_created: d?.projects_created ?? 0,
    last_day_active: latest(d?.last_day_active ?? null, d?.last_day ?? null, who?.last_day_active ?? null),
    credits_used: d?.credits_used ?? null,
  };
}
