/**
 * Custom GPTs and projects: who created them, when, and which people use which. Each person has
 * a few fixed "slots" (up to GPT_SLOTS GPTs and PROJECT_SLOTS projects) that their GPT and
 * project conversations go to, so per-period usage fits in typed arrays.
 */
import { csvCell } from '../core/csv.ts';
import { GPT_DESCRIPTIONS, GPT_ROLES, GPT_SUBJECTS, PROJECT_DESCRIPTIONS, PROJECT_SUBJECTS, REGIONS, TEAMS } from './names.ts';
import { NEVER, type People } from './people.ts';
import type { Profiles } from './profiles.ts';
import { Prng, WeightedTable, stream } from './prng.ts';

export const GPT_SLOTS = 4;
export const PROJECT_SLOTS = 3;

export interface Items {
  count: number;
  id: string[];
  /** `pyRepr(id)`: the key in the Users report's maps. */
  key: string[];
  /** CSV cells `<kind>_id,<kind>_name,config_type,<kind>_description,<kind>_url,<kind>_creator_public_id`. */
  cells: string[];
  creator: Int32Array;
  /** Creation day; NEVER while a project planned inside the window is not yet created. */
  created: Int32Array;
  /** For projects: the day from which the creator creates it (on their next active day). */
  planned: Int32Array;
}

export interface Slots {
  /** gpt[i * GPT_SLOTS + s]: the GPT in person i's slot s, or -1. */
  gpt: Int32Array;
  gptCount: Uint8Array;
  project: Int32Array;
  projectCount: Uint8Array;
}

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** People who may create things, weighted towards the engaged. */
function creatorTable(people: People, profiles: Profiles, sharpness: number): WeightedTable {
  const w = new Float64Array(people.count);
  for (let i = 0; i < people.count; i++) {
    if (people.accepted[i] !== NEVER && profiles.adopt[i] !== NEVER) w[i] = Math.exp(sharpness * profiles.z[i]!);
  }
  return new WeightedTable(w);
}

/** A creation day for a thing made by person c: inside their enabled, adopted span. */
function creationDay(rng: Prng, people: People, profiles: Profiles, c: number, start: number, end: number): number | undefined {
  const lo = Math.max(people.accepted[c]!, profiles.adopt[c]!, start - 400);
  const hi = Math.min(people.deleted[c]! - 1, end - 2);
  if (lo > hi) return undefined;
  if (lo < start && rng.chance(0.4)) return rng.between(lo, Math.min(hi, start - 1));
  return rng.between(Math.max(lo, start), hi);
}

function emptyItems(count: number): Items {
  return {
    count,
    id: new Array<string>(count),
    key: new Array<string>(count),
    cells: new Array<string>(count),
    creator: new Int32Array(count),
    created: new Int32Array(count).fill(NEVER),
    planned: new Int32Array(count).fill(NEVER),
  };
}

export function buildGpts(
  seed: string | number,
  people: People,
  profiles: Profiles,
  count: number,
  start: number,
  end: number,
): Items & { live: Uint8Array } {
  const rng = stream(seed, 'gpts');
  const items = { ...emptyItems(count), live: new Uint8Array(count) };
  const creators = creatorTable(people, profiles, 1.1);
  const names = new Set<string>();
  for (let g = 0; g < count; g++) {
    let c = 0;
    let day: number | undefined;
    for (let tries = 0; day === undefined && tries < 50; tries++) {
      c = creators.pick(rng.float());
      day = creationDay(rng, people, profiles, c, start, end);
    }
    items.creator[g] = c;
    items.created[g] = day ?? start;
    items.live[g] = rng.chance(0.88) ? 1 : 0;
    const id = `g-${rng.alnum(9)}`;
    let name = `${rng.pick(GPT_SUBJECTS)} ${rng.pick(GPT_ROLES)}`;
    const f = rng.float();
    if (f < 0.05) name = `${people.name[c]!.split(/[ ,]/)[0]}'s ${name}`;
    else if (f < 0.09) name = `${name}, ${rng.pick(REGIONS)}`;
    for (let k = 2; names.has(name); k++) name = `${name.replace(/ v\d+$/, '')} v${k}`;
    names.add(name);
    items.id[g] = id;
    items.key[g] = `'${id}'`;
    items.cells[g] = [
      id,
      csvCell(name),
      items.live[g] ? 'live' : 'draft',
      csvCell(rng.pick(GPT_DESCRIPTIONS)),
      `https://chatgpt.com/g/${id}-${slug(name)}`,
      people.publicId[c]!,
    ].join(',');
  }
  return items;
}

export function buildProjects(
  seed: string | number,
  people: People,
  profiles: Profiles,
  slots: Slots,
  count: number,
  start: number,
  end: number,
): Items {
  const rng = stream(seed, 'projects');
  const items = emptyItems(count);
  const creators = creatorTable(people, profiles, 0.8);
  // Members of each person's primary group, to staff projects with colleagues.
  const byGroup = new Map<number, number[]>();
  for (let i = 0; i < people.count; i++) {
    const primary = people.groupsOf[i]![0];
    if (primary === undefined || people.accepted[i] === NEVER) continue;
    const list = byGroup.get(primary) ?? [];
    list.push(i);
    byGroup.set(primary, list);
  }
  const hasRoom = (i: number) => slots.projectCount[i]! < PROJECT_SLOTS;
  const join = (i: number, p: number) => {
    slots.project[i * PROJECT_SLOTS + slots.projectCount[i]!] = p;
    slots.projectCount[i]!++;
  };

  for (let p = 0; p < count; p++) {
    let c = 0;
    let day: number | undefined;
    for (let tries = 0; (day === undefined || !hasRoom(c)) && tries < 50; tries++) {
      c = creators.pick(rng.float());
      day = creationDay(rng, people, profiles, c, start, end);
    }
    day ??= start;
    items.creator[p] = c;
    if (day < start) items.created[p] = day;
    else items.planned[p] = day;
    if (hasRoom(c)) join(c, p);

    const members = Math.min(6, Math.floor(rng.exponential(1.3)));
    const colleagues = byGroup.get(people.groupsOf[c]![0] ?? -1);
    for (let m = 0; m < members; m++) {
      const other = colleagues && rng.chance(0.8) ? rng.pick(colleagues) : rng.int(people.count);
      if (other === c || people.accepted[other] === NEVER || !hasRoom(other)) continue;
      let already = false;
      for (let s = 0; s < slots.projectCount[other]!; s++) if (slots.project[other * PROJECT_SLOTS + s] === p) already = true;
      if (!already) join(other, p);
    }

    const id = `g-p-${rng.hex(32)}`;
    const f = rng.float();
    let name: string = rng.pick(PROJECT_SUBJECTS);
    if (f < 0.3) name = `${name} – ${rng.pick(REGIONS)}`;
    else if (f < 0.5) name = `${name} (${rng.pick(TEAMS)})`;
    else if (f < 0.56) name = `${people.name[c]!.split(/[ ,]/)[0]}'s ${name.toLowerCase()}`;
    items.id[p] = id;
    items.key[p] = `'${id}'`;
    items.cells[p] = [
      id,
      csvCell(name),
      rng.chance(0.96) ? 'live' : 'draft',
      csvCell(rng.pick(PROJECT_DESCRIPTIONS)),
      `https://chatgpt.com/g/${id}/project`,
      people.publicId[c]!,
    ].join(',');
  }
  return items;
}

export function emptySlots(n: number): Slots {
  return {
    gpt: new Int32Array(n * GPT_SLOTS).fill(-1),
    gptCount: new Uint8Array(n),
    project: new Int32Array(n * PROJECT_SLOTS).fill(-1),
    projectCount: new Uint8Array(n),
  };
}

/**
 * Which GPTs each person uses: creators of drafts use their own; everyone else draws from the
 * live GPTs by a Zipf-like popularity. Then sets each person's chance of a GPT or project
 * conversation.
 */
export function assignGptSlots(seed: string | number, people: People, profiles: Profiles, gpts: Items & { live: Uint8Array }, slots: Slots): void {
  const rng = stream(seed, 'gpt-slots');
  for (let g = 0; g < gpts.count; g++) {
    const c = gpts.creator[g]!;
    if (slots.gptCount[c]! < GPT_SLOTS) slots.gpt[c * GPT_SLOTS + slots.gptCount[c]!++] = g;
  }
  const live: number[] = [];
  for (let g = 0; g < gpts.count; g++) if (gpts.live[g]) live.push(g);
  rng.shuffle(live);
  const popularity = live.length > 0 ? new WeightedTable(live.map((_, r) => 1 / Math.pow(r + 1, 1.05))) : undefined;

  for (let i = 0; i < people.count; i++) {
    if (people.accepted[i] === NEVER || profiles.adopt[i] === NEVER) continue;
    const z = profiles.z[i]!;
    if (popularity) {
      const want = Math.min(GPT_SLOTS, Math.floor(rng.exponential(0.3 + 1.2 / (1 + Math.exp(-1.3 * z)))));
      for (let k = 0; k < want * 2 && slots.gptCount[i]! < Math.max(want, 0) && slots.gptCount[i]! < GPT_SLOTS; k++) {
        const g = live[popularity.pick(rng.float())]!;
        let dup = false;
        for (let s = 0; s < slots.gptCount[i]!; s++) if (slots.gpt[i * GPT_SLOTS + s] === g) dup = true;
        if (!dup) slots.gpt[i * GPT_SLOTS + slots.gptCount[i]!++] = g;
      }
    }
    profiles.pGpt[i] = slots.gptCount[i]! > 0 ? 0.05 + 0.25 * rng.float() : 0;
  }
}

export function setProjectChances(seed: string | number, people: People, profiles: Profiles, slots: Slots): void {
  const rng = stream(seed, 'project-chances');
  for (let i = 0; i < people.count; i++) {
    profiles.pProject[i] = slots.projectCount[i]! > 0 ? 0.06 + 0.3 * rng.float() : 0;
  }
}
