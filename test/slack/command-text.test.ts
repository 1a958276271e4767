/** Slack's command text: mentions dropped here, the rest (and `post:`) read by the core's grammar. */
import { describe, expect, it } from 'vitest';
import { readCommandText, stripMentions } from '../../src/adapters/slack/command-text.ts';
import { usage } from '../../src/core/wording.ts';

describe('readCommandText', () => {
  it('strips mentions of the bot only when asked (app mentions)', () => {
    expect(readCommandText('<@U0BOT> overview post:channel', { stripMentions: true })).toEqual({
      text: 'overview',
      destination: 'channel',
      problem: null,
    });
    expect(readCommandText('<@U0BOT|wsa> help', { stripMentions: true })).toMatchObject({ text: 'help' });
    expect(readCommandText('<@U0BOT> help')).toMatchObject({ text: '<@U0BOT> help' });
    expect(stripMentions('overview team:"<@U1>x" <@U0BOT>')).toBe('overview team:"<@U1>x" ');
  });

  it('passes on the grammar’s refusal of an unknown or repeated destination', () => {
    expect(readCommandText('overview post:everyone')).toEqual({ text: 'overview', destination: 'private', problem: usage.badDestination('post:everyone') });
    expect(readCommandText('overview post:me post:channel').problem).toBe(usage.repeatedDestination());
  });

  it('leaves text the grammar cannot read to the core, which says why', () => {
    expect(readCommandText('overview team:"Sales post:channel')).toEqual({
      text: 'overview team:"Sales post:channel',
      destination: 'private',
      problem: null,
    });
  });
});
