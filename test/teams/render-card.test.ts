/** Reply → Adaptive Card, checked structurally and read by the official Adaptive Cards library. */
import { describe, expect, it } from 'vitest';
import { errorReply, reply } from '../../src/core/reply.ts';
import { cardSummary, neutraliseMentions, noticeCard, replyCard } from '../../src/adapters/teams/render-card.ts';
import { MAX_CARD_TABLE_ROWS } from '../../src/adapters/teams/limits.ts';
import { barChart, groupsReply } from '../slack/harness.ts';
import { cardElements, cardProblems, cardText } from './adaptive-cards.ts';

const PNG_URI = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('replyCard', () => {
  it('lays out a Reply: title, subtitle, summary, facts, chart, a table cut for a phone, warnings, footer', () => {
    const card = replyCard(groupsReply(40), { chartImages: new Map([[0, PNG_URI]]) });
    expect(cardProblems(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    const text = cardText(card);
    expect(text.split('\n').slice(0, 3)).toEqual(['Groups', 'Last 4 weeks · 4–31 Oct 2026', '40 groups; the busiest is Group 40.']);
    expect(text).toContain('Active users: 1,234 (▲ 12.3% vs the 4 weeks before)');
    // no change shown where none can be computed
    expect(text).toContain('Activation rate: 90.7%\n');
    const image = cardElements(card).find((n) => n.type === 'Image');
    expect(image).toMatchObject({ url: PNG_URI, altText: barChart('Active users per group').altText });
    // a header row, 10 groups, and how many more there are
    const rows = cardElements(card).filter((n) => n.type === 'ColumnSet');
    expect(rows).toHaveLength(1 + MAX_CARD_TABLE_ROWS);
    expect(text).toContain('Group 10\n109\n59');
    expect(text).not.toContain('Group 11');
    expect(text).toContain('… and 30 more groups');
    expect(text).toContain('⚠ 2 groups with fewer than 10 members are hidden.');
    expect(text).toMatch(/Data last updated 1 Nov 2026 06:30 UTC · data through 31 Oct 2026$/);
  });

  it('shows a chart without an image as its alt text and text table, and says why when drawing failed', () => {
    const card = replyCard(groupsReply(3), { chartsFailed: true });
    expect(cardProblems(card)).toEqual([]);
    expect(cardElements(card).some((n) => n.type === 'Image')).toBe(false);
    const text = cardText(card);
    expect(text).toContain('The chart could not be drawn; here it is as text.');
    expect(text).toContain(barChart('Active users per group').altText);
    const mono = cardElements(card).filter((n) => n.fontType === 'Monospace');
    expect(mono.map((n) => n.text)).toEqual([barChart('Active users per group').fallbackText]);
  });

  it('never lets typed text become markdown or a mention', () => {
    const typed = '<at>Everyone</at> **urgent** [click](https://evil.example) # title';
    const card = replyCard(errorReply('overview', { code: 'not_found', message: `No group named "${typed}".` }));
    expect(cardProblems(card)).toEqual([]);
    // Text runs are never read as markdown; the mention tag is broken up.
    const texts = cardElements(card).filter((n) => typeof n.text === 'string');
    expect(texts.every((n) => n.type === 'TextRun')).toBe(true);
    expect(JSON.stringify(card)).not.toMatch(/<at>|<\/at>/i);
    expect(cardText(card)).toContain('**urgent** [click](https://evil.example) # title');
    expect(neutraliseMentions('<AT>x</At>')).toBe('<\u200bAT>x<\u200b/At>');
    expect(cardSummary(errorReply('overview', { code: 'forbidden', message: '<at>Boss</at>' }))).not.toMatch(/<at>/);
  });

  it('colours a refusal as one', () => {
    const card = replyCard(errorReply('top-users', { code: 'forbidden', message: 'Seeing people needs the analytics viewer role.' }));
    expect(cardProblems(card)).toEqual([]);
    expect(cardElements(card).find((n) => n.type === 'TextRun' && n.color === 'Attention')?.text).toBe('Seeing people needs the analytics viewer role.');
    expect(cardText(card)).toBe('Not allowed\nSeeing people needs the analytics viewer role.');
  });

  it('a series without a chart becomes a table of its newest entries', () => {
    const series = Array.from({ length: 20 }, (_, i) => {
      const start = new Date(Date.UTC(2026, 6, 5 + 7 * i)).toISOString().slice(0, 10);
      const end = new Date(Date.UTC(2026, 6, 11 + 7 * i)).toISOString().slice(0, 10);
      return { period_start: start, period_end: end, active_users: 100 + i };
    });
    const card = replyCard(
      reply({ command: 'active-users', title: 'Active users', period: { start: '2026-07-05', end: '2026-11-21', grain: 'week', partial: false }, series }),
    );
    expect(cardProblems(card)).toEqual([]);
    const text = cardText(card);
    expect(text).toContain('… 8 earlier entries not shown');
    expect(text).toContain('Week\nActive users');
    expect(text).toContain('119');
    expect(text).not.toMatch(/\n107\n/);
  });

  it('a notice is one sentence', () => {
    const card = noticeCard('I sent the answer to our personal chat.');
    expect(cardProblems(card)).toEqual([]);
    expect(cardText(card)).toBe('I sent the answer to our personal chat.');
  });
});
