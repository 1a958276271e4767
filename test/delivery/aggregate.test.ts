/** What may go into a channel: no per-person rows, names, emails or files (docs/design.md §7). */
import { describe, expect, it } from 'vitest';
import { reply } from '../../src/core/reply.ts';
import { aggregateForm, describeRemoved, isPersonColumn, isPersonRow } from '../../src/delivery/aggregate.ts';
import { barChart, chartReply, csvReply, peopleReply } from '../slack/harness.ts';

describe('aggregateForm', () => {
  it('drops per-person rows, the lines naming them and ranking charts', () => {
    const people = peopleReply();
    const form = aggregateForm({ ...people, charts: [...people.charts, { ...barChart('Top users'), kind: 'top-n' }] });
    const text = JSON.stringify(form.reply);
    for (const secret of ['Ada Lovelace', 'Grace Hopper', 'ada@example.com', 'user-aaaa']) expect(text).not.toContain(secret);
    expect(form.reply.rows).toEqual([]);
    expect(form.reply.table).toBeNull();
    expect(form.reply.summary).toEqual(['2 people sent 1,700 messages.']);
    expect(form.reply.values).toEqual({ senders: 2 });
    expect(form.reply.charts.map((c) => c.kind)).toEqual(['trend']);
    expect(form.removed).toEqual({ personRows: 2, personColumns: [], lines: 1, charts: 1, files: 0 });
    expect(form.changed).toBe(true);
    expect(describeRemoved(form.removed)).toBe('2 per-person rows, 1 line naming people and 1 chart');
  });

  it('drops the power-users chart with the people it ranks', () => {
    const people = peopleReply();
    const form = aggregateForm({ ...people, charts: [...people.charts, { ...barChart('Power users'), kind: 'power-users' }] });
    expect(form.reply.charts.map((c) => c.kind)).toEqual(['trend']);
    expect(form.removed.charts).toBe(1);
  });

  it('keeps aggregate rows but removes the columns that name people', () => {
    const gpts = [
      { gpt_id: 'g-1', gpt_name: 'Contract helper', gpt_creator_email: 'lee@example.com', gpt_creator_public_id: 'user-x', messages_workspace: 40 },
      { gpt_id: 'g-2', gpt_name: 'Release notes', gpt_creator_email: null, gpt_creator_public_id: 'user-y', messages_workspace: 12 },
    ];
    const form = aggregateForm(
      reply({
        command: 'gpts',
        title: 'GPTs',
        summary: ['Contract helper was used most.', 'Ask lee@example.com for access.'],
        rows: gpts,
        table: {
          columns: [
            { key: 'gpt_name', label: 'GPT' },
            { key: 'gpt_creator_email', label: 'Creator' },
            { key: 'messages_workspace', label: 'Messages', format: 'count' },
          ],
          rows: gpts,
        },
      }),
    );
    expect(form.reply.rows).toEqual([
      { gpt_id: 'g-1', gpt_name: 'Contract helper', messages_workspace: 40 },
      { gpt_id: 'g-2', gpt_name: 'Release notes', messages_workspace: 12 },
    ]);
    expect(form.reply.table?.columns.map((c) => c.key)).toEqual(['gpt_name', 'messages_workspace']);
    expect(form.reply.summary).toEqual(['Contract helper was used most.']);
    expect(form.removed).toMatchObject({ personRows: 0, personColumns: ['gpt_creator_email', 'gpt_creator_public_id'], lines: 1 });
  });

  it('leaves an aggregate answer as it is, and never sends files to a channel', () => {
    const plain = aggregateForm(chartReply());
    expect(plain.changed).toBe(false);
    expect(plain.reply).toEqual(chartReply());
    const csv = aggregateForm(csvReply());
    expect(csv.reply.files).toEqual([]);
    expect(csv.removed.files).toBe(1);
    expect(describeRemoved(csv.removed)).toBe('1 file');
  });

  it('knows a person row and a person column', () => {
    expect(isPersonRow({ group: 'Sales', members: 10 })).toBe(false);
    expect(isPersonRow({ public_id: 'user-1', messages: 3 })).toBe(true);
    expect(isPersonRow({ email: '', messages: 3 })).toBe(false);
    expect(['email', 'name', 'project_creator_email', 'owner_public_id'].every(isPersonColumn)).toBe(true);
    expect(['gpt_name', 'group', 'messages', 'task_type'].some(isPersonColumn)).toBe(false);
  });
});
