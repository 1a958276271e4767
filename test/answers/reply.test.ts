import { describe, expect, it } from 'vitest';
import { ForbiddenError, UsageError } from '../../src/core/errors.ts';
import {
  formatChange,
  formatCount,
  formatEntry,
  formatNumber,
  formatPercent,
  labelFor,
  renderText,
  staleHours,
} from '../../src/core/format.ts';
import { errorReply, reply, toJson, type Reply } from '../../src/core/reply.ts';
import { writeReplyJson } from '../../src/core/reply-json.ts';
import { rowsPage } from '../../src/core/rows-json.ts';
import { Writable } from 'node:stream';

const LAST_UPDATED = new Date('2026-11-22T06:30:00Z');

function activeUsersReply(overrides: Partial<Reply> = {}): Reply {
  return reply({
    command: 'active-users',
    title: 'Active users',
    subtitle: 'last 4 weeks (25 Oct – 21 Nov 2026) · team: Sales EMEA',
    summary: ['1,234 people sent at least one message.'],
    period: { start: '2026-10-25', end: '2026-11-21', grain: 'week', partial: false },
    filters: { group: 'Sales EMEA' },
    values: { active_users: 1234 },
    valueKeys: ['active_users'],
    comparison: { label: 'the 4 weeks before', changes: { active_users: 0.1234 }, previous: { active_users: 1098 } },
    series: [
      { period_start: '2026-10-25', period_end: '2026-10-31', active_users: 1000 },
      { period_start: '2026-11-01', period_end: '2026-11-07', active_users: 1100 },
      { period_start: '2026-11-08', period_end: '2026-11-14', active_users: null },
      { period_start: '2026-11-15', period_end: '2026-11-21', active_users: 12345 },
    ],
    seriesKeys: ['active_users'],
    warnings: ['No data for 8–14 Nov 2026.'],
    footer: { lastUpdated: LAST_UPDATED, dataThrough: '2026-11-21', staleHours: 99, groupsHidden: 2, minGroupSize: 10 },
    ...overrides,
  });
}

describe('numbers for people', () => {
  it('groups thousands and shows ratios as percentages', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatPercent(0.9066)).toBe('90.7%');
    expect(formatPercent(1)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatNumber(23.456, 'decimal')).toBe('23.5');
    expect(formatNumber(null)).toBe('—');
  });

  it('shows change with its direction', () => {
    expect(formatChange(0.123)).toBe('▲ 12.3%');
    expect(formatChange(-0.05)).toBe('▼ 5%');
    expect(formatChange(0)).toBe('no change');
  });

  it('names the §5 keys in words', () => {
    expect(labelFor('wau_per_activated_user')).toBe('WAU per activated user');
    expect(labelFor('share_positive_time_saved')).toBe('Positive: time saved');
    expect(labelFor('something_new')).toBe('Something new');
  });

  it('names trend entries by their days, or by month for a whole month', () => {
    expect(formatEntry({ period_start: '2026-10-25', period_end: '2026-10-31' }, 'week')).toBe('25–31 Oct 2026');
    expect(formatEntry({ period_start: '2026-11-29', period_end: '2026-12-05' }, 'week')).toBe('29 Nov – 5 Dec 2026');
    expect(formatEntry({ period_start: '2026-10-01', period_end: '2026-10-31' }, 'month')).toBe('Oct 2026');
    expect(formatEntry({ period_start: '2026-11-01', period_end: '2026-11-21' }, 'month')).toBe('1–21 Nov 2026');
    expect(formatEntry({ period_start: '2026-11-03', period_end: '2026-11-03' }, 'day')).toBe('3 Nov 2026');
  });

  it('calls data stale after 48 hours', () => {
    const now = new Date('2026-11-26T10:00:00Z');
    expect(staleHours(new Date('2026-11-24T10:00:00Z'), now)).toBeNull(); // exactly 48 h
    expect(staleHours(new Date('2026-11-24T09:00:00Z'), now)).toBe(49);
    expect(staleHours(null, now)).toBeNull();
  });
});

describe('text', () => {
  it('reads as a person would want it: title, sentence, headline with change, trend, warnings, footer', () => {
    expect(renderText(activeUsersReply())).toBe(
      [
        'Active users',
        'last 4 weeks (25 Oct – 21 Nov 2026) · team: Sales EMEA',
        '',
        '1,234 people sent at least one message.',
        '',
        'Active users  1,234  ▲ 12.3% vs the 4 weeks before (1,098)',
        '',
        'Week            Active users',
        '──────────────  ────────────',
        '25–31 Oct 2026         1,000',
        '1–7 Nov 2026           1,100',
        '8–14 Nov 2026        no data',
        '15–21 Nov 2026        12,345',
        '',
        '⚠ No data for 8–14 Nov 2026.',
        '',
        '2 groups hidden for privacy (fewer than 10 members, or needed to protect one that has).',
        '⚠ The data is 4 days old: nothing has been imported in the last 48 hours.',
        'Data last updated 22 Nov 2026 06:30 UTC · data through 21 Nov 2026',
      ].join('\n'),
    );
  });

  it('puts several compared values under one heading', () => {
    const r = reply({
      command: 'overview',
      title: 'Overview',
      values: { active_users: 10, messages: 12345, gpt_messages: null, active_users_change_pct: 0.5 },
      comparison: {
        label: 'the 12 weeks before',
        changes: { active_users: 0.5, messages: -0.25, gpt_messages: null },
      },
    });
    expect(renderText(r)).toBe(
      [
        'Overview',
        '',
        '                      vs the 12 weeks before',
        'Active users      10  ▲ 50%',
        'Messages      12,345  ▼ 25%',
        'GPT messages       —  —',
      ].join('\n'),
    );
  });

  it('cuts a long table for display and says how many more there are', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ group: `Group ${i + 1}`, members: 1000 + i }));
    const text = renderText(
      reply({
        command: 'groups',
        title: 'Groups',
        rows,
        table: { noun: 'groups', columns: [{ key: 'group', label: 'Group' }, { key: 'members', label: 'Members', format: 'count' }], rows },
      }),
    );
    const lines = text.split('\n');
    expect(lines).toContain('Group 15    1,014');
    expect(lines).not.toContain('Group 16    1,015');
    expect(lines[lines.length - 1]).toBe('… and 5 more groups');
  });

  it('says when nothing has been imported', () => {
    const text = renderText(
      activeUsersReply({ footer: { lastUpdated: null, dataThrough: null, staleHours: null, groupsHidden: null, minGroupSize: null } }),
    );
    expect(text.split('\n').at(-1)).toBe('No data has been imported yet.');
  });

  it('is just the reason for a request that cannot be answered', () => {
    expect(renderText(errorReply('overview', new ForbiddenError('Not for you.')))).toBe('Not for you.');
  });
});

describe('JSON (docs/design.md §6)', () => {
  it('has exactly the keys of §6, in order, with the values unrounded', () => {
    const json = toJson(activeUsersReply());
    expect(Object.keys(json)).toEqual([
      'command',
      'period',
      'data_through',
      'filters',
      'values',
      'series',
      'rows',
      'last_updated',
      'warnings',
      'files',
    ]);
    expect(json).toEqual({
      command: 'active-users',
      period: { start: '2026-10-25', end: '2026-11-21', grain: 'week', partial: false },
      data_through: '2026-11-21',
      filters: { group: 'Sales EMEA' },
      values: { active_users: 1234 },
      series: [
        { period_start: '2026-10-25', period_end: '2026-10-31', active_users: 1000 },
        { period_start: '2026-11-01', period_end: '2026-11-07', active_users: 1100 },
        { period_start: '2026-11-08', period_end: '2026-11-14', active_users: null },
        { period_start: '2026-11-15', period_end: '2026-11-21', active_users: 12345 },
      ],
      rows: [],
      last_updated: '2026-11-22T06:30:00Z',
      warnings: ['No data for 8–14 Nov 2026.'],
      files: [],
    });
  });

  it('keeps every row, however many the text shows', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ public_id: `user-${i}`, messages: 100 - i }));
    const json = toJson(reply({ command: 'top-users', title: 'Top users', rows }));
    expect('rows' in json && json.rows).toHaveLength(40);
  });

  it('writes the same JSON row by row, streamed pages included', async () => {
    // Values of every kind a row holds: nested and empty objects and arrays, keys that read as
    // integers (JavaScript orders them first), text needing escapes, fractions, null.
    const rows = Array.from({ length: 7 }, (_, i) => ({
      public_id: `user-${i}`,
      messages: 100 - i,
      tool_to_messages: { a: i, 'b "c"': 1, '10': 2, '2': 3 },
      gpt_to_messages: {},
      groups: i % 2 ? [] : ['x', 'Zürich\n"HQ"'],
      department: i % 3 ? null : { path: ['Sales', { region: 'EMEA' }], empty: [] },
      credits_used: i === 0 ? 0.1 + 0.2 : null,
    }));
    const whole = reply({ ...activeUsersReply(), command: 'top-users', rows });
    async function* later() {
      yield rowsPage(rows.slice(2, 5));
      yield rowsPage([]);
      yield rowsPage(rows.slice(5));
    }
    const cases: Array<[Reply, Reply]> = [
      [whole, whole],
      [whole, { ...whole, rows: rows.slice(0, 2), moreRows: later() }],
      [activeUsersReply(), activeUsersReply()],
      [reply({ command: 'top-users', title: 'Top users' }), reply({ command: 'top-users', title: 'Top users', moreRows: (async function* () {})() })],
      [errorReply('overview', new UsageError('No.')), errorReply('overview', new UsageError('No.'))],
    ];
    for (const [expected, streamed] of cases) {
      let out = '';
      const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => ((out += chunk.toString('utf8')), cb()) });
      await writeReplyJson(streamed, sink, [{ kind: 'png', path: '/tmp/a.png' }]);
      expect(out).toBe(`${JSON.stringify(toJson(expected, [{ kind: 'png', path: '/tmp/a.png' }]), null, 2)}\n`);
    }
  });

  it('lists the files written', () => {
    const json = toJson(activeUsersReply(), [{ kind: 'png', path: '/tmp/out/active-users.png' }]);
    expect('files' in json && json.files).toEqual([{ kind: 'png', path: '/tmp/out/active-users.png' }]);
  });

  it('is {"error": {code, message}} for a request that cannot be answered', () => {
    expect(toJson(errorReply('overview', new UsageError('There is no command "x".')))).toEqual({
      error: { code: 'usage', message: 'There is no command "x".' },
    });
  });
});

describe('trend entries in text', () => {
  const weekly = (n: number, from = '2026-05-03') =>
    Array.from({ length: n }, (_, i) => {
      const start = new Date(Date.parse(`${from}T00:00:00Z`) + 7 * i * 86_400_000).toISOString().slice(0, 10);
      const end = new Date(Date.parse(`${start}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
      return { period_start: start, period_end: end, active_users: 10 };
    });

  it('counts the entries left out in the right number', () => {
    expect(renderText(activeUsersReply({ series: weekly(27) }))).toContain('… 1 earlier week not shown');
    expect(renderText(activeUsersReply({ series: weekly(28) }))).toContain('… 2 earlier weeks not shown');
  });

  it('says "no data yet" after the data, "no data" before it, and marks a partial entry', () => {
    const text = renderText(
      activeUsersReply({
        series: [
          { period_start: '2026-11-08', period_end: '2026-11-14', active_users: null },
          { period_start: '2026-11-15', period_end: '2026-11-21', active_users: 0 },
          { period_start: '2026-11-22', period_end: '2026-11-24', active_users: 7, partial: true },
          { period_start: '2026-11-29', period_end: '2026-12-05', active_users: null },
        ],
        footer: { lastUpdated: LAST_UPDATED, dataThrough: '2026-11-24', staleHours: null, groupsHidden: null, minGroupSize: null },
      }),
    );
    expect(text).toContain('8–14 Nov 2026                  no data');
    expect(text).toContain('15–21 Nov 2026                       0');
    expect(text).toContain('22–24 Nov 2026 (partial)             7');
    expect(text).toContain('29 Nov – 5 Dec 2026        no data yet');
  });
});
