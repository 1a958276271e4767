/** Reply → Block Kit, checked structurally against Slack's limits (no Slack needed). */
import { describe, expect, it } from 'vitest';
import { reply } from '../../src/core/reply.ts';
import {
  chunkLines,
  escapeMrkdwn,
  noticeMessage,
  offerPrivateMessage,
  replyBlocks,
  replyMessages,
  splitMessages,
  type Block,
} from '../../src/adapters/slack/render-blocks.ts';
import { blockKitProblems, blockText } from './block-kit.ts';
import { barChart, groupsReply } from './harness.ts';

type AnyBlock = Block & Record<string, any>;

describe('replyBlocks', () => {
  it('lays out a Reply: header, subtitle, summary, values, chart fallback, table, warnings, footer', () => {
    const blocks = replyBlocks(groupsReply(40)) as AnyBlock[];
    expect(blockKitProblems(blocks)).toEqual([]);
    expect(blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section', 'section', 'section', 'section', 'context', 'context']);
    expect(blocks[0]?.text.text).toBe('Groups');
    expect(blocks[1]?.elements[0].text).toBe('Last 4 weeks · 4–31 Oct 2026');
    expect(blocks[3]?.fields.map((f: { text: string }) => f.text)).toEqual([
      '*Active users*\n1,234\n▲ 12.3% vs the 4 weeks before',
      '*Activation rate*\n90.7%',
      '*Groups hidden for privacy*\n2',
    ]);
    // The chart is not attached here, so its alt text and text table stand in for it.
    expect(blocks[4]?.text.text).toBe(`*${barChart('Active users per group').altText}*`);
    expect(blocks[5]?.text.text).toContain('2026-10-04  120');
    // 15 of 40 rows, and a note saying so.
    const table = blocks[6]?.text.text as string;
    expect(table.startsWith('```\n') && table.endsWith('\n```')).toBe(true);
    expect(table).toContain('Group 15');
    expect(table).not.toContain('Group 16');
    expect(blocks[7]?.elements[0].text).toBe('Showing 15 of 40 groups.');
    const context = (blocks[8]?.elements as Array<{ text: string }>).map((e) => e.text);
    expect(context[0]).toBe(':warning: 2 groups with fewer than 10 members are hidden.');
    expect(context.some((t) => t.startsWith('Data last updated 1 Nov 2026 06:30 UTC · data through 31 Oct 2026'))).toBe(true);
  });

  it('leaves out the text fallback of a chart that is attached as an image', () => {
    const blocks = replyBlocks(groupsReply(3), { attachedCharts: new Set([0]) });
    expect(blockText(blocks)).not.toContain('2026-10-04  120');
    expect(blockText(blocks)).not.toContain('could not be attached');
  });

  it('says so when an attachment failed', () => {
    const blocks = replyBlocks(groupsReply(3), { attachFailed: true });
    expect(blockText(blocks)).toContain('The chart could not be attached; here it is as text.');
  });

  it('shows a trend as a table when there is no chart', () => {
    const r = reply({
      command: 'active-users',
      title: 'Active users',
      period: { start: '2026-10-04', end: '2026-10-17', grain: 'week', partial: false },
      values: { active_users: 20 },
      series: [
        { period_start: '2026-10-04', period_end: '2026-10-10', active_users: 12 },
        { period_start: '2026-10-11', period_end: '2026-10-17', active_users: null },
      ],
      seriesKeys: ['active_users'],
    });
    const text = blockText(replyBlocks(r));
    expect(text).toContain('4–10 Oct 2026');
    expect(text).toContain('11–17 Oct 2026');
    expect(text).toMatch(/11–17 Oct 2026 +—/);
  });

  it('renders a refusal as the reason alone', () => {
    const r = reply({ command: 'overview', title: 'Not allowed', error: { code: 'forbidden', message: 'overview needs the analytics viewer role.' } });
    const blocks = replyBlocks(r) as AnyBlock[];
    expect(blockKitProblems(blocks)).toEqual([]);
    expect(blocks).toHaveLength(2);
    expect(blocks[1]?.text.text).toBe(':no_entry: overview needs the analytics viewer role.');
  });

  it('keeps every text within Slack limits and escapes mrkdwn', () => {
    const long = reply({
      command: 'help',
      title: 'T'.repeat(400),
      summary: Array.from({ length: 300 }, (_, i) => `Line ${i} <b> & ${'x'.repeat(40)}`),
      warnings: Array.from({ length: 25 }, (_, i) => `warning ${i}`),
    });
    const blocks = replyBlocks(long) as AnyBlock[];
    expect(blockKitProblems(blocks.slice(0, 50))).toEqual([]);
    expect((blocks[0]?.text.text as string).length).toBe(150);
    const summary = blocks.filter((b) => b.type === 'section').map((b) => (b as Record<string, any>).text.text as string);
    expect(summary.length).toBeGreaterThan(5);
    expect(summary.join('\n').split('\n')).toHaveLength(300);
    expect(summary[0]).toContain('Line 0 &lt;b&gt; &amp; x');
    // 25 warnings: three context blocks of at most 10 elements.
    expect(blocks.filter((b) => b.type === 'context').map((b) => b.elements.length)).toEqual([10, 10, 5]);
  });
});

describe('splitMessages', () => {
  const blocks: Block[] = Array.from({ length: 120 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `b${i}` } }));

  it('splits into messages of at most 50 blocks', () => {
    const messages = splitMessages(blocks, 'Answer');
    expect(messages.map((m) => m.blocks.length)).toEqual([50, 50, 20]);
    expect(messages.map((m) => m.text)).toEqual(['Answer', 'Answer (continued)', 'Answer (continued)']);
    for (const m of messages) expect(blockKitProblems(m.blocks)).toEqual([]);
  });

  it('cuts what does not fit in the messages allowed, with a note', () => {
    const messages = splitMessages(blocks, 'Answer', 2);
    expect(messages.map((m) => m.blocks.length)).toEqual([50, 50]);
    const last = messages[1]?.blocks[49] as AnyBlock;
    expect(last.type).toBe('context');
    // Blocks 0..98 shown, 99..119 (21 blocks) left out.
    expect(last.elements[0].text).toBe('… the rest of this answer (21 more blocks) did not fit in Slack.');
  });

  it('builds one message for a short Reply, with its notification text', () => {
    const messages = replyMessages(reply({ command: 'help', title: 'wsa', subtitle: 'Commands', summary: ['Try overview.'] }));
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe('wsa — Commands: Try overview.');
  });
});

describe('notices', () => {
  it('offers the answer privately with a button carrying the command', () => {
    const m = offerPrivateMessage('I cannot post here.', 'overview team:sales');
    expect(blockKitProblems(m.blocks)).toEqual([]);
    expect((m.blocks[1] as AnyBlock).elements[0]).toMatchObject({ type: 'button', value: 'overview team:sales' });
    // A command too long for a button value gets no button rather than an invalid one.
    expect(offerPrivateMessage('x', 'a'.repeat(2001)).blocks).toHaveLength(1);
    expect(noticeMessage('a < b').blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'a &lt; b' } }]);
  });

  it('splits text at line ends, cutting only lines longer than the limit', () => {
    expect(chunkLines('aa\nbb\ncc', 5)).toEqual(['aa\nbb', 'cc']);
    expect(chunkLines('abcdefgh', 3)).toEqual(['abc', 'def', 'gh']);
    expect(escapeMrkdwn('<@U1> & <!channel>')).toBe('&lt;@U1&gt; &amp; &lt;!channel&gt;');
  });
});
