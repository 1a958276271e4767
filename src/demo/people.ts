/**
 * The people directory of the demo workspace: accounts with their identities, roles, SCIM groups
 * and life cycle (invited → pending → enabled → deleted) over the window. Everything per account
 * lives in arrays indexed by account, ordered by invite date, so a 100k-account workspace stays
 * a few tens of megabytes.
 */
import { csvCell, jsonList, pyStrDict } from '../core/csv.ts';
import { Prng, WeightedTable, stream } from './prng.ts';
import {
  BROAD_GROUP_NAME,
  OFFICES,
  COMPANIES,
  FIRST_NAMES,
  LAST_NAMES,
  MIDDLE_INITIALS,
  REGIONS,
  SMALL_GROUP_NAMES,
  TEAMS,
} from './names.ts';
import { DEPARTMENTS, ROLES, ROLE_WEIGHTS, USER_ROLES } from './vocabulary.ts';

/** A day that never comes (an account never accepted or never deleted). */
export const NEVER = 2_147_483_647;

/** How an account came to be, which drives its activity later. */
export const Cohort = {
  /** Enabled before the window opened. */
  Established: 0,
  /** Invited inside the window. */
  Joiner: 1,
  /** Deleted before the window opened. */
  GoneBefore: 2,
  /** Invited before the window, still pending when it opened. */
  PendingBefore: 3,
} as const;
export type Cohort = (typeof Cohort)[keyof typeof Cohort];

export interface Group {
  id: string;
  name: string;
  /** Index into DEPARTMENTS, or -1 for a cross-cutting group. */
  dept: number;
  /** For an office (location) group: the office's UTC offset in minutes. */
  office?: number;
  /** One of the deliberately small groups (fewer than 10 members). */
  small: boolean;
}

export interface People {
  count: number;
  publicId: string[];
  name: string[];
  email: string[];
  /** CSV cells `public_id,name,email,role,user_role,department`, already encoded and joined. */
  identityCells: string[];
  /** The CSV-encoded email cell (pending rows show only it). */
  emailCell: string[];
  /** The CSV-encoded `groups` cell (a Python dict literal), '' when in no group. */
  groupsCell: string[];
  /** Group indexes of each account, primary first. */
  groupsOf: number[][];
  /** Invite (or provisioning) day. */
  created: Int32Array;
  /** Day the invite was accepted (the account got its public_id), or NEVER. */
  accepted: Int32Array;
  /** Day the account was deleted, or NEVER. */
  deleted: Int32Array;
  cohort: Uint8Array;
  /** Index into DEPARTMENTS of the person's work (even when their `department` cell is blank). */
  dept: Uint8Array;
  /** Index into USER_ROLES. */
  userRole: Uint8Array;
  /** Offset of the person's clock from UTC, in minutes. */
  tzOffset: Int16Array;
  groups: Group[];
  /** The person with two accounts under one email: [standard account, admin account]. */
  twin: readonly [number, number];
  domain: string;
}

const TZ_OFFSETS = [-480, -420, -360, -300, 0, 60, 120, 330, 480, 540, 600] as const;
const TZ_WEIGHTS = [12, 3, 6, 24, 12, 20, 5, 9, 4, 3, 2] as const;

const FOLD: Record<string, string> = { ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', ß: 'ss', æ: 'ae', Æ: 'AE', đ: 'd', ı: 'i' };

/** ASCII email local-part material: accents dropped, apostrophes and spaces removed. */
function asciiFold(text: string): string {
  return text
    .replace(/[łŁøØßæÆđı]/g, (c) => FOLD[c] ?? c)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9-]/g, '');
}

interface Draft {
  cohort: Cohort;
  created: number;
  accepted: number;
  deleted: number;
  order: number;
}

/**
 * Life cycles relative to the window [start, end] (day numbers). Shares: 1.5% deleted before
 * the window, 1% pending for good, 1% pending at the start then accepting, 76.5% established,
 * 20% joining inside the window (7% of whom never accept); 5.5% of accepted accounts leave.
 */
function drawLifeCycles(rng: Prng, n: number, start: number, end: number): Draft[] {
  const days = end - start + 1;
  const drafts: Draft[] = [];
  for (let i = 0; i < n; i++) {
    const u = rng.float();
    let d: Draft;
    if (u < 0.015) {
      const created = start - rng.between(120, 700);
      const accepted = created + (rng.chance(0.7) ? 0 : rng.between(1, 5));
      const deleted = rng.between(accepted + 14, start - 1);
      d = { cohort: Cohort.GoneBefore, created, accepted, deleted, order: rng.float() };
    } else if (u < 0.025) {
      d = { cohort: Cohort.PendingBefore, created: start - rng.between(1, 120), accepted: NEVER, deleted: NEVER, order: rng.float() };
    } else if (u < 0.035) {
      const created = start - rng.between(1, 30);
      d = { cohort: Cohort.PendingBefore, created, accepted: start + rng.between(0, Math.min(21, days - 1)), deleted: NEVER, order: rng.float() };
    } else if (u < 0.8) {
      // The rollout: most accounts were provisioned in the last months before the window.
      const created = start - 1 - Math.floor(540 * Math.pow(rng.float(), 1.6));
      const accepted = Math.min(start - 1, created + (rng.chance(0.7) ? 0 : rng.between(1, 5)));
      d = { cohort: Cohort.Established, created, accepted, deleted: NEVER, order: rng.float() };
    } else {
      // Joiners: a steady trickle plus two onboarding waves.
      let offset: number;
      const w = rng.float();
      if (w < 0.6) offset = rng.int(days);
      else offset = Math.min(days - 1, Math.floor(days * (w < 0.8 ? 0.3 : 0.65)) + rng.int(5));
      const created = start + offset;
      let accepted = created + (rng.chance(0.55) ? 0 : rng.between(1, 14));
      if (rng.chance(0.07)) accepted = NEVER;
      d = { cohort: Cohort.Joiner, created, accepted, deleted: NEVER, order: rng.float() };
    }
    if (d.accepted !== NEVER && d.deleted === NEVER && rng.chance(0.055)) {
      const lo = Math.max(d.accepted + 10, start);
      if (lo <= end) d.deleted = rng.between(lo, end);
    }
    drafts.push(d);
  }
  drafts.sort((a, b) => a.created - b.created || a.order - b.order);
  return drafts;
}

function makeGroups(rng: Prng, count: number): Group[] {
  if (count === 0) return [];
  const small = count >= 3 ? Math.ceil(count * 0.25) : count - 1;
  const large = count - small;
  const names = new Set<string>();
  const groups: Group[] = [];
  const add = (name: string, dept: number, isSmall: boolean, office?: number) => {
    let candidate = name;
    for (let k = 2; names.has(candidate.toLowerCase()); k++) candidate = `${name} ${k}`;
    names.add(candidate.toLowerCase());
    const group: Group = { id: rng.hex(32), name: candidate, dept, small: isSmall };
    if (office !== undefined) group.office = office;
    groups.push(group);
  };

  // Workspaces with many groups also sync office (location) groups.
  const offices = large >= 20 ? Math.min(OFFICES.length, Math.floor(large * 0.1)) : 0;
  for (let k = 0; k < offices; k++) add(`Office – ${OFFICES[k]![1]}`, -1, false, OFFICES[k]![0]);

  // Large groups: departments first (by headcount), a broad access group, then sub-teams.
  const byWeight = DEPARTMENTS.map((_, k) => k).sort((a, b) => DEPARTMENTS[b]!.weight - DEPARTMENTS[a]!.weight);
  const deptTable = new WeightedTable(DEPARTMENTS.map((d) => d.weight));
  let nextDept = 0;
  for (let g = offices; g < large; g++) {
    if (g === offices + 3 && large >= 6) {
      add(BROAD_GROUP_NAME, -1, false);
    } else if (nextDept < byWeight.length) {
      const k = byWeight[nextDept++]!;
      add(DEPARTMENTS[k]!.label, k, false);
    } else {
      const k = deptTable.pick(rng.float());
      const label = DEPARTMENTS[k]!.label;
      add(rng.chance(0.5) ? `${label} ${rng.pick(REGIONS)}` : `${label} – ${rng.pick(TEAMS)}`, k, false);
    }
  }
  for (let g = 0; g < small; g++) {
    const base = SMALL_GROUP_NAMES[g % SMALL_GROUP_NAMES.length]!;
    const name = g < SMALL_GROUP_NAMES.length ? base : `${rng.pick(TEAMS)} ${rng.chance(0.5) ? 'Tiger Team' : 'Working Group'}`;
    add(name, -1, true);
  }
  return groups;
}

function personName(rng: Prng): { first: string; last: string; display: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const f = rng.float();
  let display: string;
  if (f < 0.045) display = `${last}, ${first}`;
  else if (f < 0.09) display = `${first} ${MIDDLE_INITIALS[rng.int(MIDDLE_INITIALS.length)]}. ${last}`;
  else if (f < 0.1) display = `${first} ${last} (Contractor)`;
  else display = `${first} ${last}`;
  return { first, last, display };
}

export function buildPeople(seed: string | number, n: number, groupCount: number, start: number, end: number): People {
  const rng = stream(seed, 'people');
  const [domain, subsidiary] = COMPANIES[rng.int(COMPANIES.length)]!;
  const drafts = drawLifeCycles(rng, n, start, end);
  const groups = makeGroups(rng, groupCount);

  const people: People = {
    count: n,
    publicId: new Array<string>(n),
    name: new Array<string>(n),
    email: new Array<string>(n),
    identityCells: new Array<string>(n),
    emailCell: new Array<string>(n),
    groupsCell: new Array<string>(n).fill(''),
    groupsOf: Array.from({ length: n }, () => [] as number[]),
    created: new Int32Array(n),
    accepted: new Int32Array(n),
    deleted: new Int32Array(n),
    cohort: new Uint8Array(n),
    dept: new Uint8Array(n),
    userRole: new Uint8Array(n),
    tzOffset: new Int16Array(n),
    groups,
    twin: [0, 0],
    domain,
  };

  const deptTable = new WeightedTable(DEPARTMENTS.map((d) => d.weight));
  const roleTable = new WeightedTable(ROLE_WEIGHTS);
  const tzTable = new WeightedTable(TZ_WEIGHTS);
  const emails = new Set<string>();
  const ids = new Set<string>();
  const role = new Uint8Array(n);
  const departmentCell: string[] = new Array<string>(n);

  for (let i = 0; i < n; i++) {
    const d = drafts[i]!;
    people.created[i] = d.created;
    people.accepted[i] = d.accepted;
    people.deleted[i] = d.deleted;
    people.cohort[i] = d.cohort;
    const dept = deptTable.pick(rng.float());
    people.dept[i] = dept;
    people.tzOffset[i] = TZ_OFFSETS[tzTable.pick(rng.float())]!;
    role[i] = roleTable.pick(rng.float());

    let id: string;
    do id = `user-${rng.alnum(24)}`;
    while (ids.has(id));
    ids.add(id);
    people.publicId[i] = id;

    const { first, last, display } = personName(rng);
    const contractor = display.endsWith('(Contractor)');
    let local = `${asciiFold(first)}.${asciiFold(last)}`;
    if (!rng.chance(0.03)) local = local.toLowerCase(); // a few keep their capitals: Anna.Schmidt@
    if (contractor) local = `ext.${local}`;
    const host = rng.chance(0.1) ? subsidiary : domain;
    let email = `${local}@${host}`;
    for (let k = 2; emails.has(email.toLowerCase()); k++) email = `${local}${k}@${host}`;
    emails.add(email.toLowerCase());
    people.email[i] = email;
    // Some accounts never set a name: the export shows the email instead.
    people.name[i] = rng.chance(0.012) ? email : display;

    const f = rng.float();
    const key = DEPARTMENTS[dept]!.key;
    departmentCell[i] =
      f < 0.22 ? '' : f < 0.3 ? jsonList([key, DEPARTMENTS[(dept + 1 + rng.int(DEPARTMENTS.length - 1)) % DEPARTMENTS.length]!.key]) : jsonList([key]);
  }

  // Owners and admins come from established accounts that stay.
  const stable: number[] = [];
  for (let i = 0; i < n; i++) {
    if (people.cohort[i] === Cohort.Established && people.deleted[i] === NEVER) stable.push(i);
  }
  rng.shuffle(stable);
  let next = 0;
  const owners = n >= 20_000 ? 2 : 1;
  for (let k = 0; k < owners; k++) people.userRole[stable[next++]!] = 2;
  const admins = Math.max(2, Math.round(n * 0.002));
  for (let k = 0; k < admins; k++) people.userRole[stable[next++]!] = 1;

  // One person holds a second, separate admin account under the same email.
  const person = stable[next++]!;
  const adminAccount = stable[next++]!;
  people.email[adminAccount] = people.email[person]!;
  people.name[adminAccount] = people.name[person]!;
  people.dept[adminAccount] = people.dept[person]!;
  people.tzOffset[adminAccount] = people.tzOffset[person]!;
  people.userRole[adminAccount] = 1;
  role[adminAccount] = ROLES.indexOf('');
  departmentCell[adminAccount] = '';
  people.twin = [person, adminAccount];
  // At least one account shows its email as its name, however small the workspace.
  const unnamed = stable[next++]!;
  people.name[unnamed] = people.email[unnamed]!;

  for (let i = 0; i < n; i++) {
    people.emailCell[i] = csvCell(people.email[i]!);
    people.identityCells[i] = [
      people.publicId[i]!,
      csvCell(people.name[i]!),
      people.emailCell[i],
      ROLES[role[i]!]!,
      USER_ROLES[people.userRole[i]!]!,
      csvCell(departmentCell[i]!),
    ].join(',');
  }

  assignGroups(rng, people, stable.slice(next));
  return people;
}

/**
 * SCIM membership: about 97% of accounts get a primary group (their department's, when one
 * exists), some a second one, a third of them the broad access group; small groups take 3–9
 * accounts that stay enabled throughout, so they stay small.
 */
function assignGroups(rng: Prng, people: People, stableRest: number[]): void {
  const { groups } = people;
  if (groups.length === 0) return;
  const large = groups.map((g, k) => k).filter((k) => !groups[k]!.small && groups[k]!.office === undefined);
  const broad = groups.findIndex((g) => g.name === BROAD_GROUP_NAME);
  const departmental = large.filter((k) => k !== broad);
  const officesByOffset = new Map<number, number[]>();
  groups.forEach((g, k) => {
    if (g.office === undefined) return;
    const list = officesByOffset.get(g.office) ?? [];
    list.push(k);
    officesByOffset.set(g.office, list);
  });
  const weight = new Map<number, number>();
  for (const k of departmental) weight.set(k, 0.3 + rng.float());
  const byDept = new Map<number, number[]>();
  for (const k of departmental) {
    const list = byDept.get(groups[k]!.dept) ?? [];
    list.push(k);
    byDept.set(groups[k]!.dept, list);
  }
  const pickFrom = (list: number[]): number => {
    const table = new WeightedTable(list.map((k) => weight.get(k)!));
    return list[table.pick(rng.float())]!;
  };
  const tables = new Map<number, WeightedTable>();
  const pickCached = (dept: number, list: number[]): number => {
    let t = tables.get(dept);
    if (!t) {
      t = new WeightedTable(list.map((k) => weight.get(k)!));
      tables.set(dept, t);
    }
    return list[t.pick(rng.float())]!;
  };
  const [, adminAccount] = people.twin;

  for (let i = 0; i < people.count; i++) {
    if (i === adminAccount || departmental.length === 0) continue;
    if (rng.chance(0.03)) continue;
    const own = byDept.get(people.dept[i]!);
    const primary = own ? pickCached(people.dept[i]!, own) : pickCached(-2, departmental);
    const mine = [primary];
    if (rng.chance(0.1) && departmental.length > 1) {
      const other = pickFrom(departmental);
      if (other !== primary) mine.push(other);
    }
    if (broad >= 0 && rng.chance(0.35)) mine.push(broad);
    const offices = officesByOffset.get(people.tzOffset[i]!);
    if (offices && rng.chance(0.9)) mine.push(rng.pick(offices));
    people.groupsOf[i] = mine;
  }

  let cursor = 0;
  for (let k = 0; k < groups.length; k++) {
    if (!groups[k]!.small) continue;
    const size = 3 + rng.int(7);
    for (let m = 0; m < size && cursor < stableRest.length; m++) people.groupsOf[stableRest[cursor++]!]!.push(k);
  }

  for (let i = 0; i < people.count; i++) {
    const mine = people.groupsOf[i]!;
    if (mine.length === 0) continue;
    people.groupsCell[i] = csvCell(pyStrDict(mine.map((k) => [groups[k]!.id, groups[k]!.name] as const)));
  }
}

/** `user_status` of account i at the end of `day`. */
export function statusOn(people: People, i: number, day: number): 'enabled' | 'pending' | 'deleted' | undefined {
  if (people.created[i]! > day) return undefined;
  if (people.deleted[i]! <= day) return 'deleted';
  if (people.accepted[i]! <= day) return 'enabled';
  return 'pending';
}
