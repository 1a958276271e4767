/**
 * Commands through answer() on a real store holding the small workspace of support.ts, whose
 * numbers are worked out by hand there: the Reply's JSON and the text a person reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../src/core/answer.ts';
import { registry } from '../../commands/index.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { renderText } from '../../src/core/format.ts';
import { toJson, type Reply } from '../../src/core/reply.ts';
import type { Caller } from '../../src/core/access/identity.ts';
import { silentLogger } from '../../src/log.ts';
import { updateSettings } from '../../src/store/settings.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { PEOPLE, TODAY_NOW, seedSmallWorkspace } from './support.ts';

const OPERATOR: Caller = { kind: 'operator' };
const as = (email: string): Caller => ({ kind: 'person', email });

describe.each(backends())('commands on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
    await seedSmallWorkspace(store.db);
  });
  afterAll(async () => {
    await store?.close();
  });

  const ask = (text: string, caller: Caller = OPERATOR): Promise<Reply> =>
    answer({ db: store.db, clock: fixedClock(TODAY_NOW), logger: silentLogger(), registry, caller, text });

  const json = async (text: string, caller?: Caller) => toJson(await ask(text, caller)) as unknown as Record<string, unknown>;

  it('active-users: the count, its week, and the change from the week before', async () => {
    const r = await ask('active-users last-week');
    expect(toJson(r)).toMatchObject({
      command: 'active-users',
      period: { start: '2026-11-15', end: '2026-11-21', grain: 'week', partial: false },
      data_through: '2026-11-21',
      filters: { group: null },
      values: { active_users: 3 },
      series: [{ period_start: '2026-11-15', period_end: '2026-11-21', active_users: 3 }],
      rows: [],
      last_updated: '2026-11-26T10:00:00Z',
      files: [],
    });
    expect(r.comparison).toEqual({
      label: 'the week before',
      changes: { active_users: 0.5 },
      previous: { active_users: 2 },
    });
    expect(r.charts.map((c) => c.kind)).toEqual(['trend']);
    expect(r.charts[0]?.altText).toMatch(/active users per week.*Active users: 3 in the week of 15 Nov 2026/);
    const text = renderText(r);
    expect(text).toContain('Active users\nlast week (15–21 Nov 2026)');
    expect(text).toContain('3 people sent at least one message.');
    expect(text).toContain('Active users  3  ▲ 50% vs the week before (2)');
    expect(text).toContain('Data last updated 26 Nov 2026 10:00 UTC · data through 21 Nov 2026');
  });

  it('messages: every kind, and the change in all messages', async () => {
    const r = await ask('messages last-week');
    expect(r.values).toMatchObject({ messages: 7, tool_messages: 1, gpt_messages: 0, project_messages: 0 });
    expect(r.comparison?.changes.messages).toBeCloseTo(4 / 3, 10);
    expect(renderText(r)).toContain('Messages          7  ▲ 133.3% vs the week before (3)');
  });

  it('overview: the change comes with the values', async () => {
    const j = await json('overview last-week');
    expect(j.values).toMatchObject({ active_users: 3, messages: 7, active_users_change_pct: 0.5 });
    expect((j.values as Record<string, number>).messages_change_pct).toBeCloseTo(4 / 3, 10);
  });

  it('tasks: conversations and the types, busiest first', async () => {
    const r = await ask('tasks last-week');
    expect(r.values).toEqual({ conversations: 7 });
    expect(r.rows).toEqual([
      { task_type: 'coding', conversations: 2, share: expect.closeTo(2 / 3, 10) },
      { task_type: 'writing', conversations: 1, share: expect.closeTo(1 / 3, 10) },
    ]);
    const text = renderText(r);
    expect(text).toContain('7 conversations in this period; the most common task type was coding (66.7% of those with a task type).');
    expect(text).toContain('Conversations  7  ▲ 133.3% vs the week before (3)');
  });

  it('top-users: everyone in the JSON, ties by user id', async () => {
    const r = await ask('top-users last-week');
    expect(r.rows.map((row) => row.public_id)).toEqual([
      PEOPLE.owner.public_id,
      PEOPLE.admin.public_id, // 2 messages, ahead of the member's 2 by public_id
      PEOPLE.member.public_id,
    ]);
    expect(renderText(r)).toMatch(/^1 {2}Olive\.Owner +Olive\.Owner@example\.com +3 /m);
  });

  it('top-users on a surface that shows two rows: those two, and how many there are', async () => {
    const r = await answer({
      db: store.db,
      clock: fixedClock(TODAY_NOW),
      logger: silentLogger(),
      registry,
      caller: OPERATOR,
      text: 'top-users last-week',
      rowLimit: 2,
    });
    expect(r.rows.map((row) => row.public_id)).toEqual([PEOPLE.owner.public_id, PEOPLE.admin.public_id]);
    const text = renderText(r);
    expect(text).toContain('3 people sent messages; the busiest first.');
    expect(text).toContain('… and 1 more people');
    // the chart says the two bars are the first of three
    expect(JSON.stringify(r.charts[0]?.spec)).toContain('Top 2 of 3 users');
  });

  it('users: seats against the purchased number once it is set', async () => {
    expect((await ask('users last-week')).values).toMatchObject({
      seats_purchased: null,
      seats_enabled: 3,
      pending_invites: 0,
      activated_users: 3,
      active_users: 3,
    });
    const saved = await ask('settings seats:10', as(PEOPLE.admin.email));
    expect(saved.error).toBeNull();
    expect(saved.values).toMatchObject({ seats_purchased: 10 });
    const text = renderText(await ask('users last-week'));
    expect(text).toContain('3 of 10 purchased seats are enabled (30%).');
    expect(text).toContain('3 people have sent a message at least once (100% of enabled seats).');
    await updateSettings(store.db, { seatsPurchased: null }, TODAY_NOW);
  });

  it('task insights switched off: the task commands say so', async () => {
    await updateSettings(store.db, { euDataResidency: true }, TODAY_NOW);
    for (const text of ['tasks', 'heatmap last-week']) {
      const r = await ask(text);
      expect(r.error?.code).toBe('unanswerable');
      expect(r.error?.message).toMatch(/Task insights are off for this workspace: EU data residency is set/);
    }
    await updateSettings(store.db, { taskInsights: true }, TODAY_NOW);
    expect((await ask('tasks last-week')).error).toBeNull();
    await updateSettings(store.db, { euDataResidency: false, taskInsights: null }, TODAY_NOW);
  });

  it('an unknown group gets the closest names', async () => {
    const r = await ask('active-users team:nobody');
    expect(r.error?.code).toBe('not_found');
  });

  it('whoami: the email as given, the role from the directory', async () => {
    const r = await ask('whoami', as('OLIVE.OWNER@EXAMPLE.COM'));
    expect(r.summary[0]).toBe('OLIVE.OWNER@EXAMPLE.COM · owner');
    expect(r.summary[1]).toBe('The workspace directory as of 21 Nov 2026 lists you as account-owner.');
    expect(r.rows).toEqual([
      { email: 'OLIVE.OWNER@EXAMPLE.COM', role: 'owner', directory_role: 'owner', directory: 'found', directory_as_of: '2026-11-21', grants: [] },
    ]);
    const stranger = await ask('whoami', as('nobody@example.com'));
    expect(stranger.error).toBeNull();
    expect(renderText(stranger)).toContain('You are not in the workspace directory as of 21 Nov 2026, so you are treated as a member.');
  });

  it('settings: viewers may look, only owners and admins may change', async () => {
    const viewed = await ask('settings', as(PEOPLE.owner.email));
    expect(viewed.rows).toEqual([
      { setting: 'seats', value: null },
      { setting: 'industry', value: null },
      { setting: 'eu-data-residency', value: false },
      { setting: 'task-insights', value: true },
      { setting: 'min-group-size', value: 10 },
    ]);
    const refused = await ask('settings seats:5', as(PEOPLE.member.email));
    expect(refused.error).toEqual({
      code: 'forbidden',
      message: 'Changing settings needs the owner or admin role; your role is member. The owner and admin roles come from the workspace directory.',
    });
    const bad = await ask('settings min-group-size:5', as(PEOPLE.admin.email));
    expect(bad.error?.message).toMatch(/min-group-size: 5 is below 10/);
  });

  it('freshness: when, and which days', async () => {
    const r = await ask('freshness');
    expect(toJson(r)).toMatchObject({
      data_through: '2026-11-21',
      last_updated: '2026-11-26T10:00:00Z',
      rows: [{ usage_source: 'events', data_from: '2026-11-08', data_through: '2026-11-21', last_updated: '2026-11-26T10:00:00Z' }],
    });
    expect(renderText(r)).toContain('Usage data runs from 8 Nov 2026 through 21 Nov 2026, from usage events.');
  });

  it('help: every command, and one command in detail', async () => {
    const list = await ask('', as('nobody@example.com'));
    expect(list.command).toBe('help');
    expect(list.rows).toHaveLength(registry.commands.length);
    const one = renderText(await ask('help top-users'));
    expect(one).toContain('Usage: /wsa top-users [PERIOD | period:PERIOD | from:YYYY-MM-DD to:YYYY-MM-DD] [team:NAME]');
    expect(one).toContain('Default period: last 4 weeks (25 Oct – 21 Nov 2026).');
    // The period: key that errors mention is in the help.
    expect(one).toContain('the word alone or period:PERIOD');
    expect(renderText(list)).toContain('period:last-4-weeks');
    // The heat map's help promises only what can be asked.
    const heat = renderText(await ask('help heatmap'));
    expect(heat).not.toMatch(/\(or topic\)/);
    expect(heat).toContain('a workspace without SCIM groups gets conversation topics instead');
  });

  it('a period the data does not reach yet says so, without a fall to zero', async () => {
    const r = await ask('active-users this-week');
    expect(r.summary).toEqual(['No data yet for this period: the data runs through Sat 21 Nov 2026.']);
    expect(r.comparison?.changes.active_users).toBeNull();
    // Unknown, not 0: the JSON value is null and a warning says what data exists.
    expect(r.values.active_users).toBeNull();
    expect(r.warnings).toContain('No data yet for 22–26 Nov 2026: the data runs through Sat 21 Nov 2026.');
    expect(r.period).toMatchObject({ start: '2026-11-22', end: '2026-11-26', partial: true });
  });
});
