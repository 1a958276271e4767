/**
 * The day-by-day activity model. Each simulated day walks every account once: whether they are
 * active (weekday rhythm, adoption ramp, season), how many messages they send, split into
 * conversations (each with a model, maybe a GPT or a project), each message maybe using a tool.
 *
 * Counts go straight into two period accumulators — the current week and the current calendar
 * month — laid out as one Int32Array row of STRIDE cells per account, so a report is built from
 * them when its period ends and no day of any user is kept as an object. Both sources share the
 * same draws (stream `activity`); event details come from their own stream, so `events` and
 * `exports` workspaces of one seed hold the same messages.
 */
import { dayOfWeek, monthEnd, monthStart, yearMonthOf } from './dates.ts';
import { GPT_SLOTS, PROJECT_SLOTS, type Items, type Slots } from './items.ts';
import { NEVER, type People } from './people.ts';
import { MODEL_PROFILES, NO_DAY, type Profiles } from './profiles.ts';
import { Prng, stream } from './prng.ts';
import { MODELS, MODEL_LAUNCH_AT, TOOLS, TOOL_MESSAGE_MULTIPLIER } from './vocabulary.ts';

export const N_MODELS = MODELS.length;
export const N_TOOLS = TOOLS.length;
/** Cells of a per-account accumulator row. Days are stored as window index + 1 (0 = none). */
export const F_MESSAGES = 0;
export const F_FIRST = 1;
export const F_LAST = 2;
export const F_PROJECTS_CREATED = 3;
export const F_MODEL = 4;
export const F_TOOL = F_MODEL + N_MODELS;
export const F_GPT = F_TOOL + N_TOOLS;
export const F_PROJECT = F_GPT + GPT_SLOTS;
export const STRIDE = F_PROJECT + PROJECT_SLOTS;

/** Messages a conversation can hold at most. */
export const MAX_CONVERSATION = 120;
/** Mean extra messages in a conversation beyond the first. */
const CONVERSATION_MEAN = 2.4;
const WEEKDAY_FACTOR = [0.07, 1.0, 1.06, 1.06, 1.02, 0.86, 0.09] as const;
/** Days a new adopter takes to reach their usual rhythm. */
const RAMP_DAYS = 28;

/** Per-period counts: one STRIDE row per account, and per GPT / project. */
export class PeriodCounts {
  readonly users: Int32Array;
  readonly gptMessages: Int32Array;
  readonly gptFirst: Int32Array;
  readonly gptLast: Int32Array;
  readonly projectMessages: Int32Array;
  readonly projectFirst: Int32Array;
  readonly projectLast: Int32Array;

  constructor(users: number, gpts: number, projects: number) {
    this.users = new Int32Array(users * STRIDE);
    this.gptMessages = new Int32Array(gpts);
    this.gptFirst = new Int32Array(gpts);
    this.gptLast = new Int32Array(gpts);
    this.projectMessages = new Int32Array(projects);
    this.projectFirst = new Int32Array(projects);
    this.projectLast = new Int32Array(projects);
  }

  reset(): void {
    this.users.fill(0);
    this.gptMessages.fill(0);
    this.gptFirst.fill(0);
    this.gptLast.fill(0);
    this.projectMessages.fill(0);
    this.projectFirst.fill(0);
    this.projectLast.fill(0);
  }
}

/** What the events writer is told of each conversation (events source only). */
export interface ConversationSink {
  conversation(
    person: number,
    day: number,
    model: number,
    gpt: number,
    project: number,
    length: number,
    tools: Int8Array,
  ): void;
}

export interface World {
  people: People;
  profiles: Profiles;
  gpts: Items;
  projects: Items;
  slots: Slots;
  start: number;
  end: number;
}

/** Calendar dips: the end-of-year holidays and August. */
function seasonFactor(day: number): number {
  const { month } = yearMonthOf(day);
  const dom = day - monthStart(day) + 1;
  if ((month === 12 && dom >= 24) || (month === 1 && dom <= 1)) return 0.3;
  if ((month === 12 && dom >= 20) || (month === 1 && dom <= 4)) return 0.7;
  if (month === 8) return 0.85;
  return 1;
}

export class Simulation {
  readonly week: PeriodCounts;
  readonly month: PeriodCounts;
  /** Last active day (day number) of each account so far, or NO_DAY. */
  readonly lastActive: Int32Array;
  /** Messages simulated so far (exports view: before any event is dropped at the window's end). */
  messages = 0;

  private readonly rng: Prng;
  private readonly toolRng: Prng;
  private readonly noise: Float64Array;
  private readonly tools = new Int8Array(MAX_CONVERSATION);

  constructor(
    readonly world: World,
    seed: string | number,
    private readonly events?: ConversationSink,
  ) {
    const { people, gpts, projects } = world;
    this.week = new PeriodCounts(people.count, gpts.count, projects.count);
    this.month = new PeriodCounts(people.count, gpts.count, projects.count);
    this.lastActive = Int32Array.from(world.profiles.lastBefore);
    this.rng = stream(seed, 'activity');
    this.toolRng = stream(seed, 'tool-messages');
    // Day-to-day variation of one person's messages: log-normal, mean 1.
    this.noise = new Float64Array(1024);
    const norm = stream(seed, 'noise');
    for (let k = 0; k < 1024; k++) this.noise[k] = Math.exp(0.5 * norm.normal() - 0.125);
  }

  /** Simulates one day (a day number inside the window) into the week and month counts. */
  simulateDay(day: number): void {
    const { people, profiles, slots, gpts, projects, start, end } = this.world;
    const d1 = day - start + 1;
    const rng = this.rng;
    const wk = this.week;
    const mo = this.month;
    const wu = wk.users;
    const mu = mo.users;
    const exportsMode = this.events === undefined;
    const era = day - start >= MODEL_LAUNCH_AT * (end - start + 1) ? MODEL_PROFILES : 0;
    // Adoption deepens over the window.
    const dayFactor = WEEKDAY_FACTOR[dayOfWeek(day)]! * seasonFactor(day) * (0.8 + (0.2 * (day - start)) / (end - start + 1));

    const { accepted, deleted } = people;
    const { adopt, pActive, meanMessages, pTool, toolProfile, modelProfile, pGpt, pProject } = profiles;
    const tables = profiles.toolTables;
    const tools = this.tools;

    for (let i = 0; i < people.count; i++) {
      if (day < accepted[i]! || day >= deleted[i]! || day < adopt[i]!) continue;
      let p = pActive[i]! * dayFactor;
      const since = day - adopt[i]!;
      if (since < RAMP_DAYS) p *= 0.35 + (0.65 * since) / RAMP_DAYS;
      if (rng.float() >= p) continue;

      const base = i * STRIDE;
      let n = Math.round(meanMessages[i]! * this.noise[rng.uint32() & 1023]!);
      if (n < 1) n = 1;
      this.messages += n;
      wu[base + F_MESSAGES]! += n;
      mu[base + F_MESSAGES]! += n;
      if (wu[base + F_FIRST] === 0) wu[base + F_FIRST] = d1;
      if (mu[base + F_FIRST] === 0) mu[base + F_FIRST] = d1;
      wu[base + F_LAST] = d1;
      mu[base + F_LAST] = d1;
      this.lastActive[i] = day;

      // Projects planned by this person come into being on their next active day.
      const pc = slots.projectCount[i]!;
      for (let s = 0; s < pc; s++) {
        const proj = slots.project[i * PROJECT_SLOTS + s]!;
        if (projects.creator[proj] === i && projects.created[proj] === NEVER && projects.planned[proj]! <= day) {
          projects.created[proj] = day;
          wu[base + F_PROJECTS_CREATED]!++;
          mu[base + F_PROJECTS_CREATED]!++;
        }
      }

      const modelTable = profiles.modelTables[era + modelProfile[i]!]!;
      const gc = slots.gptCount[i]!;
      const pg = pGpt[i]!;
      const pp = pg + pProject[i]!;
      const pt = pTool[i]!;
      const toolTable = tables[toolProfile[i]!]!;
      let left = n;
      while (left > 0) {
        let len = 1 + Math.floor(-Math.log(1 - rng.float()) * CONVERSATION_MEAN);
        if (len > left) len = left;
        if (len > MAX_CONVERSATION) len = MAX_CONVERSATION;
        left -= len;

        const model = modelTable.pick(rng.float());
        wu[base + F_MODEL + model]! += len;
        mu[base + F_MODEL + model]! += len;

        let gpt = -1;
        let project = -1;
        const r = rng.float();
        if (r < pg) {
          const s = rng.int(gc);
          const g = slots.gpt[i * GPT_SLOTS + s]!;
          if (gpts.created[g]! <= day) {
            gpt = g;
            wu[base + F_GPT + s]! += len;
            mu[base + F_GPT + s]! += len;
            wk.gptMessages[g]! += len;
            mo.gptMessages[g]! += len;
            if (wk.gptFirst[g] === 0) wk.gptFirst[g] = d1;
            if (mo.gptFirst[g] === 0) mo.gptFirst[g] = d1;
            wk.gptLast[g] = d1;
            mo.gptLast[g] = d1;
          }
        } else if (r < pp) {
          const s = rng.int(pc);
          const q = slots.project[i * PROJECT_SLOTS + s]!;
          if (projects.created[q]! <= day) {
            project = q;
            wu[base + F_PROJECT + s]! += len;
            mu[base + F_PROJECT + s]! += len;
            wk.projectMessages[q]! += len;
            mo.projectMessages[q]! += len;
            if (wk.projectFirst[q] === 0) wk.projectFirst[q] = d1;
            if (mo.projectFirst[q] === 0) mo.projectFirst[q] = d1;
            wk.projectLast[q] = d1;
            mo.projectLast[q] = d1;
          }
        }

        for (let m = 0; m < len; m++) {
          let t = -1;
          if (rng.float() < pt) {
            t = toolTable.pick(rng.float());
            // Users reports count tool-generated messages (several per use); events one per use.
            const k = exportsMode ? 1 + Math.floor(-Math.log(1 - this.toolRng.float()) * (TOOL_MESSAGE_MULTIPLIER[t]! - 1)) : 1;
            wu[base + F_TOOL + t]! += k;
            mu[base + F_TOOL + t]! += k;
          }
          tools[m] = t;
        }
        if (this.events) this.events.conversation(i, day, model, gpt, project, len, tools);
      }
    }
  }

  /** Resets the month counts if `day` opens a month (call before simulating it). */
  beginDay(day: number): void {
    if (day === monthStart(day)) this.month.reset();
  }

  /** Whether `day` closes its month. */
  static endsMonth(day: number): boolean {
    return day === monthEnd(day);
  }
}

export { NO_DAY };
