/**
 * Exports of an event-fed store (docs/design.md §4.2, §7 "Exports"): Users, GPT and Project
 * reports computed from the events of valid-12.ndjson, worked out by hand from its twelve lines
 * (days in UTC: e04 at 00:30+01 is 3 Nov, e08 at 23:45-02 is 4 Nov).
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/clock.ts';
import { ingestEvents } from '../../src/ingest/events.ts';
import { planExport, type ExportRequest } from '../../src/exports/plan.ts';
import { writeExport } from '../../src/exports/write.ts';
import { silentLogger } from '../../src/log.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { importText, options } from '../ingest/support/import-helpers.ts';

const EVENTS = new URL('../fixtures/events/valid-12.ndjson', import.meta.url).pathname;
const TODAY = '2025-11-10';
const DIRECTORY = [
  'public_id,name,email,role,user_role,department,groups,user_status,created_or_invited_date',
  "user-aaaaaaaaaaaaaaaaaaaaaaaa,Ada,ada@example.com,,account-owner,,{'g1': 'Team One'},enabled,2025-01-01",
  'user-bbbbbbbbbbbbbbbbbbbbbbbb,Bo,bo@example.com,,standard-user,,,enabled,2025-01-01',
  ',,pending@example.com,,,,,pending,2025-11-01',
].join('\n');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsa-export-events-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(backends())('exports of an event-fed store on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await clearStore(store.db);
    await ingestEvents(store.db, createReadStream(EVENTS), { clock: fixedClock(new Date(`${TODAY}T12:00:00Z`)), logger: silentLogger(), sourceName: 'e.ndjson' });
    await importText(store.db, 'directory.csv', DIRECTORY, options(`${TODAY}T12:00:00Z`));
  });

  async function exported(request: ExportRequest, name: string): Promise<Record<string, string>[]> {
    const path = join(dir, `${backend}-${name}`);
    await writeExport(store.db, planExport(request, TODAY), TODAY, path);
    return parse(readFileSync(path, 'utf8'), { columns: true }) as Record<string, string>[];
  }

  it('computes a Users week from the events, unfinished past the newest event day', async () => {
    const rows = await exported({ type: 'users', from: '2025-11-02', to: '2025-11-08', cadence: 'weekly' }, 'users.csv');
    expect(rows.map((r) => [r.cadence, r.period_start, r.period_end])).toEqual(Array(4).fill(['Partial Weekly', '2025-11-02', '2025-11-04']));
    // The directory's accounts in its order, then a sender it does not know.
    expect(rows.map((r) => r.email || r.public_id)).toEqual(['ada@example.com', 'bo@example.com', 'pending@example.com', 'user-cccccccccccccccccccccccc']);
    expect(rows[0]).toMatchObject({
      groups: "{'g1': 'Team One'}",
      is_active: '1',
      first_day_active_in_period: '2025-11-03',
      last_day_active_in_period: '2025-11-04',
      messages: '5',
      messages_rank: '1',
      model_to_messages: "{'gpt-5': 4, 'gpt-5-thinking': 1}",
      gpt_messages: '2',
      gpts_messaged: '1',
      gpt_to_messages: "{'g-alpha': 2}",
      tool_messages: '3',
      tools_messaged: '2',
      tool_to_messages: "{'Search': 2, 'Data Analysis': 1}",
      project_messages: '1',
      projects_messaged: '1',
      project_to_messages: "{'g-p-one': 1}",
      projects_created: '0',
      last_day_active: '2025-11-04',
    });
    expect(rows[1]).toMatchObject({ messages: '4', messages_rank: '2', first_day_active_in_period: '2025-11-03' });
    expect(rows[2]).toMatchObject({ user_status: 'pending', is_active: '', messages: '', messages_rank: '', last_day_active: '' });
    expect(rows[3]).toMatchObject({ user_status: '', messages: '3', messages_rank: '3', first_day_active_in_period: '2025-11-04' });
    expect(Object.keys(rows[0]!)).not.toContain('credits_used');
  });

  it('computes GPT and Project reports from the events', async () => {
    const gpts = await exported({ type: 'gpts', from: '2025-11-02', to: '2025-11-08' }, 'gpts.csv');
    expect(gpts.map((r) => [r.cadence, r.gpt_id, r.is_active, r.first_day_active_in_period, r.last_day_active_in_period, r.messages_workspace, r.unique_messagers_workspace])).toEqual([
      ['Date Range', 'g-alpha', '1', '2025-11-03', '2025-11-04', '3', '2'],
      ['Date Range', 'g-beta', '1', '2025-11-03', '2025-11-04', '2', '1'],
    ]);
    const projects = await exported({ type: 'projects', from: '2025-11-02', to: '2025-11-08' }, 'projects.csv');
    expect(projects.map((r) => [r.project_id, r.first_day_active_in_period, r.messages_workspace, r.unique_messagers_workspace])).toEqual([
      ['g-p-one', '2025-11-03', '1', '1'],
      ['g-p-two', '2025-11-04', '1', '1'],
    ]);
  });
});
