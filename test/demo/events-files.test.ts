/**
 * The event-sourced demo workspace read back: events.ndjson in the docs/design.md §4.2 shape, in time
 * order, with conversations spanning several events (some across midnight UTC), and the
 * directory.csv that goes with it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorkspace, type GeneratedManifest } from '../../src/demo/index.ts';
import { parsePyDict, readCsv } from './support/read.ts';

const KEYS = ['id', 'ts', 'user', 'conversation_id', 'gpt_id', 'project_id', 'tool', 'skill', 'app', 'model', 'task_type', 'topic'];
const TOOLS = [
  'Search', 'Retrieval', 'Data Analysis', 'Image Gen', 'Canvas', 'Deep Research', 'Legacy Search', 'GPT Editor',
  'GPT External API Actions', 'Tasks',
];
const TASK_TYPES = ['writing', 'coding', 'analysis', 'research', 'summarization', 'brainstorming', 'translation', 'data_extraction'];
const TOPICS = ['Sales', 'Engineering', 'Finance', 'HR', 'Marketing', 'Legal', 'Support', 'Operations'];
const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

interface Event {
  id: string;
  ts: string;
  user: string;
  conversation_id: string;
  gpt_id?: string;
  project_id?: string;
  tool?: string;
  skill?: string;
  app?: string;
  model?: string;
  task_type?: string;
  topic?: string;
}

let dir: string;
let manifest: GeneratedManifest;
let events: Event[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wsa-demo-events-'));
  manifest = await generateWorkspace({ seed: 11, users: 300, weeks: 8, groups: 12, source: 'events', endDate: '2025-11-22' }, dir);
  events = readFileSync(join(dir, 'events.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Event);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('events.ndjson', () => {
  it('holds one well-formed event per line, as many as the manifest says', () => {
    expect(events.length).toBe(manifest.summary.events);
    expect(manifest.files.find((f) => f.kind === 'events')!.rows).toBe(events.length);
    expect(events.length).toBeGreaterThan(5000);
    const problems: string[] = [];
    const ids = new Set<string>();
    for (const e of events) {
      const bad = (what: string) => problems.length < 20 && problems.push(`${e.id}: ${what}`);
      for (const k of Object.keys(e)) if (!KEYS.includes(k)) bad(`unknown key ${k}`);
      if (!TS.test(e.ts)) bad(`ts ${e.ts}`);
      if (ids.has(e.id)) bad('duplicate id');
      ids.add(e.id);
      if (!/^user-[A-Za-z0-9]{24}$/.test(e.user)) bad('user');
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(e.conversation_id)) bad('conversation_id');
      if (e.gpt_id !== undefined && !/^g-[A-Za-z0-9]{9}$/.test(e.gpt_id)) bad('gpt_id');
      if (e.project_id !== undefined && !/^g-p-[0-9a-f]{32}$/.test(e.project_id)) bad('project_id');
      if (e.gpt_id !== undefined && e.project_id !== undefined) bad('both a GPT and a project');
      if (e.tool !== undefined && !TOOLS.includes(e.tool)) bad(`tool ${e.tool}`);
      if (e.task_type !== undefined && !TASK_TYPES.includes(e.task_type)) bad(`task_type ${e.task_type}`);
      if (e.topic !== undefined && !TOPICS.includes(e.topic)) bad(`topic ${e.topic}`);
      if ((e.task_type === undefined) !== (e.topic === undefined)) bad('task_type without topic');
      const day = new Date(e.ts).toISOString().slice(0, 10);
      if (day < manifest.options.startDate || day > manifest.options.endDate) bad(`outside the window: ${e.ts}`);
    }
    expect(problems).toEqual([]);
  });

  it('is in time order', () => {
    let previous = 0;
    let disorder = 0;
    for (const e of events) {
      const t = Date.parse(e.ts);
      if (t < previous) disorder++;
      previous = t;
    }
    expect(disorder).toBe(0);
  });

  it('has conversations of several events, some crossing midnight UTC, and times in several offsets', () => {
    const byConversation = new Map<string, Event[]>();
    for (const e of events) byConversation.set(e.conversation_id, [...(byConversation.get(e.conversation_id) ?? []), e]);
    const sizes = [...byConversation.values()].map((c) => c.length);
    expect(sizes.some((n) => n >= 5)).toBe(true);
    expect(sizes.filter((n) => n > 1).length).toBeGreaterThan(sizes.length / 4);
    const crossing = [...byConversation.values()].filter(
      (c) => new Set(c.map((e) => new Date(e.ts).toISOString().slice(0, 10))).size > 1,
    );
    expect(crossing.length).toBeGreaterThan(0);
    for (const c of byConversation.values()) expect(new Set(c.map((e) => e.user)).size).toBe(1);
    expect(new Set(events.map((e) => e.ts.slice(19))).size).toBeGreaterThan(3);
  });

  it('uses GPTs, projects, tools, skills, apps, models, task types and topics', () => {
    const share = (pred: (e: Event) => boolean) => events.filter(pred).length / events.length;
    expect(share((e) => e.gpt_id !== undefined)).toBeGreaterThan(0.005);
    expect(share((e) => e.project_id !== undefined)).toBeGreaterThan(0.002);
    expect(share((e) => e.tool !== undefined)).toBeGreaterThan(0.05);
    expect(share((e) => e.skill !== undefined)).toBeGreaterThan(0);
    expect(share((e) => e.app !== undefined)).toBeGreaterThan(0);
    expect(share((e) => e.model !== undefined)).toBe(1);
    expect(share((e) => e.task_type !== undefined)).toBeGreaterThan(0.9);
    expect(new Set(events.map((e) => e.task_type).filter(Boolean)).size).toBe(TASK_TYPES.length);
    expect(new Set(events.map((e) => e.topic).filter(Boolean)).size).toBe(TOPICS.length);
    // Weekdays are busier than weekends.
    const weekend = share((e) => [0, 6].includes(new Date(e.ts).getUTCDay()));
    expect(weekend).toBeLessThan(0.15);
  });

  it('comes from enabled accounts of the directory, and names GPTs and projects of the reports', () => {
    const directory = readCsv(join(dir, 'directory.csv'));
    const known = new Set(directory.rows.map((r) => r.public_id));
    expect(events.every((e) => known.has(e.user))).toBe(true);
    const gptIds = new Set<string>();
    for (const f of manifest.files.filter((x) => x.kind === 'gpts')) for (const r of readCsv(join(dir, f.path)).rows) gptIds.add(r.gpt_id!);
    expect(events.every((e) => e.gpt_id === undefined || gptIds.has(e.gpt_id))).toBe(true);
  });
});

describe('directory.csv', () => {
  it('has the identity columns of the Users report, and pending invites with only email, status and date', () => {
    const csv = readCsv(join(dir, 'directory.csv'));
    expect(csv.text.split('\n')[0]).toBe('public_id,name,email,role,user_role,department,groups,user_status,created_or_invited_date');
    expect(csv.rows.length).toBe(300);
    const pending = csv.rows.filter((r) => r.user_status === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    for (const r of pending) {
      expect([r.public_id, r.name, r.role, r.user_role, r.department, r.groups]).toEqual(['', '', '', '', '', '']);
      expect(r.email).toMatch(/@/);
      expect(r.created_or_invited_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(csv.text).toMatch(/\n,,[^,\n]+@[^,\n]+,,,,,pending,\d{4}-\d{2}-\d{2}\n/);
    // Group sizes: the 12 groups include some under 10 members.
    const members = new Map<string, number>();
    for (const r of csv.rows.filter((x) => x.user_status === 'enabled')) {
      for (const name of Object.values(parsePyDict(r.groups!))) members.set(String(name), (members.get(String(name)) ?? 0) + 1);
    }
    expect(members.size).toBe(12);
    expect([...members.values()].filter((n) => n < 10).length).toBeGreaterThanOrEqual(2);
    expect(manifest.summary.groups.map((g) => g.members).sort()).toEqual([...members.values()].sort());
  });
});
