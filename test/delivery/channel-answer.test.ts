/** Where each part of a channel answer goes (src/delivery/channel-answer.ts), for every form the core gives. */
import { describe, expect, it } from 'vitest';
import { planChannelAnswer } from '../../src/delivery/channel-answer.ts';
import { errorReply, reply } from '../../src/core/reply.ts';

const file = { kind: 'csv' as const, name: 'users.csv', content: 'a\n1\n' };
const full = reply({ command: 'top-users', title: 'Top users', summary: ['Ada sent the most.'], files: [file] });
const aggregate = reply({ command: 'top-users', title: 'Top users', summary: ['2 people sent 1,700 messages.'] });

describe('planChannelAnswer', () => {
  it('not into a channel, or an answer that is an error: all to the asker', () => {
    expect(planChannelAnswer({ reply: full, channel: null })).toEqual({ channel: null, asker: { reply: full, notes: [] } });
  });

  it('the full form: into the channel without the file, the file to the asker with a note', () => {
    const plan = planChannelAnswer({ reply: full, channel: { reply: full, form: 'full', reason: 'every reader of the channel (2) may see people' } });
    expect(plan.channel?.reply.files).toEqual([]);
    expect(plan.channel?.reply.summary).toEqual(['Ada sent the most.']);
    expect(plan.asker).toEqual({ reply: full, notes: ['Files go only to the person who asked, never into a channel.'] });
    const noFile = { ...full, files: [] };
    expect(planChannelAnswer({ reply: noFile, channel: { reply: noFile, form: 'full', reason: '' } }).asker).toBeNull();
  });

  it('the aggregate form: into the channel with its note, the full answer to the asker saying why', () => {
    const plan = planChannelAnswer({ reply: full, channel: { reply: aggregate, form: 'aggregate', reason: '1 of 3 readers of the channel may not see people' } });
    expect(plan.channel?.reply).toEqual({ ...aggregate, files: [] });
    expect(plan.channel?.notes[0]).toMatch(/^Aggregate form: not everyone in this channel may see people/);
    expect(plan.asker?.reply).toBe(full);
    expect(plan.asker?.notes[0]).toBe(
      'I posted the aggregate form to the channel (1 of 3 readers of the channel may not see people: no names, emails, per-person rows or small groups there). This is the full answer, just for you.',
    );
  });

  it('a refusal for the channel: nothing there, the answer to the asker with the reason', () => {
    const refused = errorReply('messages', { code: 'usage', message: 'Legal has 6 members, fewer than the minimum group size of 10.' });
    const plan = planChannelAnswer({ reply: full, channel: { reply: refused, form: 'aggregate', reason: '1 of 3 readers' } });
    expect(plan.channel).toBeNull();
    expect(plan.asker?.notes).toEqual(['Nothing was posted to the channel: Legal has 6 members, fewer than the minimum group size of 10. This is the answer, just for you.']);
  });
});
