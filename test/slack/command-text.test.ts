/** The destination option (`post:channel`) is read by the adapter and never reaches the core. */
import { describe, expect, it } from 'vitest';
import { readCommandText, splitWords } from '../../src/adapters/slack/command-text.ts';

describe('readCommandText', () => {
  it.each([
    ['overview', 'overview', 'private'],
    ['', '', 'private'],
    ['overview team:sales post:channel', 'overview team:sales', 'channel'],
    ['post:channel overview', 'overview', 'channel'],
    ['overview POST:Channel last-4-weeks', 'overview last-4-weeks', 'channel'],
    ['overview post:me', 'overview', 'private'],
    ['overview   team:"Sales EMEA"  post:channel', 'overview team:"Sales EMEA"', 'channel'],
    ['overview team:"post:channel"', 'overview team:"post:channel"', 'private'],
    ['overview team:\u201cpost:channel x\u201d', 'overview team:\u201cpost:channel x\u201d', 'private'],
  ])('%j → %j to %s', (raw, text, destination) => {
    expect(readCommandText(raw)).toEqual({ ok: true, text, destination });
  });

  it('strips mentions of the bot only when asked (app mentions)', () => {
    expect(readCommandText('<@U0BOT> overview post:channel', { stripMentions: true })).toEqual({
      ok: true,
      text: 'overview',
      destination: 'channel',
    });
    expect(readCommandText('<@U0BOT|wsa> help', { stripMentions: true })).toMatchObject({ text: 'help' });
    expect(readCommandText('<@U0BOT> help')).toMatchObject({ text: '<@U0BOT> help' });
  });

  it('refuses an unknown or repeated destination', () => {
    expect(readCommandText('overview post:everyone')).toEqual({ ok: false, problem: 'unknown_destination', given: 'post:everyone' });
    expect(readCommandText('overview post:')).toEqual({ ok: false, problem: 'unknown_destination', given: 'post:' });
    expect(readCommandText('overview post:me post:channel')).toEqual({ ok: false, problem: 'repeated_destination', given: 'post:channel' });
  });

  it('splits words outside quotes only', () => {
    expect(splitWords(' a  b:"c d"  e ')).toEqual(['a', 'b:"c d"', 'e']);
  });
});
