/**
 * events.ndjson (docs/design.md §4.2): one JSON object per message, in time order. A conversation starts
 * at a working hour of its sender's own time zone, its messages follow a minute or two apart
 * (so evening conversations cross midnight UTC), and `ts` carries the sender's UTC offset.
 * Task type and topic are per conversation (the classifier sometimes changes its mind half-way),
 * skills and apps appear in some conversations, and skills grow after their mid-window launch.
 */
import { EventArena } from './event-arena.ts';
import type { Items } from './items.ts';
import type { People } from './people.ts';
import type { Profiles } from './profiles.ts';
import { Prng, WeightedTable, stream } from './prng.ts';
import type { ConversationSink } from './simulate.ts';
import type { FileSink } from './sink.ts';
import { APPS, DEPARTMENTS, MODELS, SKILLS, TASK_TYPES, TOOLS, TOPICS, TOPIC_WEIGHTS } from './vocabulary.ts';

const MS_PER_DAY = 86_400_000;
/** Share of a person's local working day per hour, 00–23. */
const HOUR_WEIGHTS = [
  0.2, 0.1, 0.05, 0.05, 0.05, 0.2, 0.6, 2, 5, 9, 10, 9, 6, 8, 9, 9, 8, 6, 3.5, 2.5, 2.5, 2, 1.2, 0.6,
];
/** Conversations the classifier leaves without a task type or topic. */
const UNCLASSIFIED = 0.03;
/** When skills launch, as a fraction of the window. */
const SKILLS_LAUNCH_AT = 0.5;

const quote = (s: string) => JSON.stringify(s);
/** Two-digit renderings of 0–99. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, k) => String(k).padStart(2, '0'));

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export class EventWriter implements ConversationSink {
  /** Events written. */
  count = 0;
  private readonly rng: Prng;
  private readonly hours = new WeightedTable(HOUR_WEIGHTS);
  private readonly taskTables: WeightedTable[];
  private readonly topicTable = new WeightedTable(TOPIC_WEIGHTS);
  private readonly userPrefix: string[];
  private readonly gptPart: string[];
  private readonly projectPart: string[];
  private readonly modelPart = MODELS.map((m) => `,"model":${quote(m)}`);
  private readonly toolPart = TOOLS.map((t) => `,"tool":${quote(t)}`);
  private readonly skillPart = SKILLS.map((s) => `,"skill":${quote(s)}`);
  private readonly appPart = APPS.map((a) => `,"app":${quote(a)}`);
  private readonly taskPart = TASK_TYPES.map((t) => `,"task_type":${quote(t)}`);
  private readonly topicPart = TOPICS.map((t) => `,"topic":${quote(t)}}\n`);
  private readonly offsets = new Map<number, string>();
  /** `YYYY-MM-DDT` of local days, by day number. */
  private readonly datePrefixes = new Map<number, string>();
  private readonly windowEndMs: number;
  private readonly skillsFrom: number;

  /** Events of the day being simulated and those carried into the next one. */
  private readonly pending = new EventArena();

  constructor(
    seed: string | number,
    private readonly people: People,
    private readonly profiles: Profiles,
    gpts: Items,
    projects: Items,
    start: number,
    end: number,
  ) {
    this.rng = stream(seed, 'events');
    this.taskTables = DEPARTMENTS.map((d) => new WeightedTable(d.tasks));
    this.userPrefix = people.publicId.map((id) => `","user":${quote(id)},"conversation_id":"`);
    this.gptPart = gpts.id.map((id) => `,"gpt_id":${quote(id)}`);
    this.projectPart = projects.id.map((id) => `,"project_id":${quote(id)}`);
    this.windowEndMs = (end + 1) * MS_PER_DAY;
    this.skillsFrom = start + Math.floor(SKILLS_LAUNCH_AT * (end - start + 1));
  }

  private offset(minutes: number): string {
    let s = this.offsets.get(minutes);
    if (s === undefined) {
      s = offsetText(minutes);
      this.offsets.set(minutes, s);
    }
    return s;
  }

  /** `ts` as the sender's local time with their UTC offset: `2025-11-03T18:05:09-05:00`. */
  private timestamp(t: number, tzMs: number, offset: string): string {
    const local = t + tzMs;
    const day = Math.floor(local / MS_PER_DAY);
    let prefix = this.datePrefixes.get(day);
    if (prefix === undefined) {
      prefix = new Date(day * MS_PER_DAY).toISOString().slice(0, 11);
      this.datePrefixes.set(day, prefix);
    }
    const seconds = Math.floor((local - day * MS_PER_DAY) / 1000);
    return (
      prefix +
      TWO_DIGITS[Math.floor(seconds / 3600)]! +
      ':' +
      TWO_DIGITS[Math.floor(seconds / 60) % 60]! +
      ':' +
      TWO_DIGITS[seconds % 60]! +
      offset
    );
  }

  conversation(person: number, day: number, model: number, gpt: number, project: number, length: number, tools: Int8Array): void {
    const rng = this.rng;
    const tz = this.people.tzOffset[person]!;
    const localMinute = this.hours.pick(rng.float()) * 60 + rng.int(60);
    const utcMinute = (((localMinute - tz) % 1440) + 1440) % 1440;
    let t = day * MS_PER_DAY + utcMinute * 60_000 + rng.int(60) * 1000;

    const classified = !rng.chance(UNCLASSIFIED);
    const dept = DEPARTMENTS[this.people.dept[person]!]!;
    let task = this.taskTables[this.people.dept[person]!]!.pick(rng.float());
    const topic = rng.chance(0.7) ? dept.topic : this.topicTable.pick(rng.float());
    const switchAt = length >= 3 && rng.chance(0.05) ? 1 + rng.int(length - 1) : -1;
    let skill = -1;
    if (day >= this.skillsFrom) {
      const ramp = Math.min(1, (day - this.skillsFrom + 1) / 42);
      if (rng.float() < this.profiles.pSkill[person]! * ramp) skill = rng.int(SKILLS.length);
    }
    const app = rng.float() < this.profiles.pApp[person]! ? rng.int(APPS.length) : -1;

    const tzMs = tz * 60_000;
    const offset = this.offset(tz);
    const head = this.userPrefix[person]! + rng.uuid() + '"';
    const context = (gpt >= 0 ? this.gptPart[gpt]! : '') + (project >= 0 ? this.projectPart[project]! : '');
    const modelPart = this.modelPart[model]!;

    for (let m = 0; m < length; m++) {
      if (m > 0) t += Math.round(10 + rng.exponential(75)) * 1000;
      if (t >= this.windowEndMs) break;
      if (m === switchAt) task = (task + 1 + rng.int(TASK_TYPES.length - 1)) % TASK_TYPES.length;
      const ts = this.timestamp(t, tzMs, offset);
      let line = `{"id":"ev_${rng.hex(24)}","ts":"${ts}${head}${context}`;
      const tool = tools[m]!;
      if (tool >= 0) line += this.toolPart[tool]!;
      if (skill >= 0 && rng.chance(0.7)) line += this.skillPart[skill]!;
      if (app >= 0 && rng.chance(0.5)) line += this.appPart[app]!;
      line += modelPart;
      line += classified ? this.taskPart[task]! + this.topicPart[topic]! : '}\n';
      this.pending.add(t, line);
    }
  }

  /**
   * Writes the events that happened up to the end of `day`, in time order, and carries later
   * ones (conversations running past midnight UTC) into the next day.
   */
  async flushDay(day: number, out: FileSink): Promise<void> {
    this.count += await this.pending.writeBefore((day + 1) * MS_PER_DAY, out);
  }
}
