/** The `post:` option, read by the core's grammar: where the answer goes, and the text without it. */
import { describe, expect, it } from 'vitest';
import { parseRequest, parseText } from '../../src/core/grammar.ts';
import { usage } from '../../src/core/wording.ts';

describe('parseRequest', () => {
  it.each([
    ['overview', 'overview', 'private'],
    ['', '', 'private'],
    ['overview team:sales post:channel', 'overview team:sales', 'channel'],
    ['post:channel overview', 'overview', 'channel'],
    ['overview POST:Channel last-4-weeks', 'overview last-4-weeks', 'channel'],
    ['overview post:me', 'overview', 'private'],
    ['overview post: channel', 'overview', 'channel'],
    ['/wsa overview post:channel', '/wsa overview', 'channel'],
    ['overview   team:"Sales EMEA"  post:channel', 'overview team:"Sales EMEA"', 'channel'],
    ['overview team:"post:channel"', 'overview team:"post:channel"', 'private'],
    ['overview team:\u201cpost:channel x\u201d', 'overview team:\u201cpost:channel x\u201d', 'private'],
    [' a  b:"c d"  e ', 'a b:"c d" e', 'private'],
  ])('%j → %j to %s', (raw, text, destination) => {
    expect(parseRequest(raw)).toMatchObject({ text, destination, problem: null });
  });

  it('sets the option apart from the arguments', () => {
    expect(parseRequest('overview post:channel team:sales')).toMatchObject({
      command: 'overview',
      args: [{ key: 'team', value: 'sales' }],
    });
    expect(parseText('overview post:channel team:sales')).toEqual({ command: 'overview', args: [{ key: 'team', value: 'sales' }] });
  });

  it('refuses an unknown or repeated destination', () => {
    expect(parseRequest('overview post:everyone').problem?.message).toBe(usage.badDestination('post:everyone'));
    expect(parseRequest('overview post:').problem?.message).toBe(usage.badDestination('post:'));
    expect(parseRequest('overview post:me post:channel').problem?.message).toBe(usage.repeatedDestination());
    expect(usage.badDestination('post:everyone')).toBe(
      '"post:everyone" is not a place I can post to. Add `post:channel` to post the answer into this channel, or leave it out to get the answer just for you.',
    );
    expect(usage.repeatedDestination()).toBe('Give `post:` once.');
  });
});
