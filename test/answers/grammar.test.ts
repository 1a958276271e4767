import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { bindArgs, parseText, tokenize, type ArgsSchema } from '../../src/core/grammar.ts';
import { closest, editDistance } from '../../src/core/did-you-mean.ts';

const TODAY = '2026-11-26'; // a Thursday; this week began Sunday 2026-11-22
const TREND: ArgsSchema = { period: true, grain: true, group: true };
const PLAIN: ArgsSchema = { period: true, group: true };

function bind(text: string, schema: ArgsSchema = TREND, known: string[] = ['industry']) {
  const parsed = parseText(text);
  return bindArgs(parsed.command ?? 'help', schema, parsed.args, TODAY, known);
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('words and quotes', () => {
  it('splits on spaces and keeps straight-quoted values whole', () => {
    expect(tokenize('active-users team:"Sales EMEA" last-4-weeks')).toEqual([
      'active-users',
      'team:Sales EMEA',
      'last-4-weeks',
    ]);
  });

  it('accepts curly quotes, as chat apps type them, in either direction', () => {
    expect(tokenize('groups team:\u201CSales EMEA\u201D')).toEqual(['groups', 'team:Sales EMEA']);
    expect(tokenize('groups team:\u201DSales EMEA\u201D')).toEqual(['groups', 'team:Sales EMEA']);
    expect(tokenize('groups team:\u201ESales EMEA\u201C')).toEqual(['groups', 'team:Sales EMEA']);
  });

  it('treats no-break spaces (Teams) and runs of spaces as one gap', () => {
    expect(tokenize('overview\u00A0\u00A0 last-week')).toEqual(['overview', 'last-week']);
  });

  it('keeps a backslashed quote as part of the value', () => {
    expect(tokenize('groups team:"Project \\"Atlas\\" Core"')).toEqual(['groups', 'team:Project "Atlas" Core']);
  });

  it('keeps a quoted empty value as an empty word', () => {
    expect(tokenize('overview team:""')).toEqual(['overview', 'team:']);
  });

  it('refuses an unclosed quote and shows where', () => {
    expect(usageMessage(() => tokenize('overview team:"Sales EMEA'))).toMatch(
      /quote is not closed in team:"Sales EMEA/,
    );
  });

  it('drops a leading /wsa or wsa and lower-cases the command', () => {
    expect(parseText('/wsa Overview last-week')).toEqual({
      command: 'overview',
      args: [{ key: null, value: 'last-week' }],
    });
    expect(parseText('wsa help')).toEqual({ command: 'help', args: [] });
    expect(parseText('   ')).toEqual({ command: null, args: [] });
  });

  it('lower-cases keys and keeps values as typed', () => {
    expect(parseText('overview TEAM:Sales').args).toEqual([{ key: 'team', value: 'Sales' }]);
  });

  it('takes the next word as the value after "key: " with a space', () => {
    expect(parseText('overview team: sales last-week').args).toEqual([
      { key: 'team', value: 'sales' },
      { key: null, value: 'last-week' },
    ]);
  });
});

describe('did you mean', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    expect(editDistance('overveiw', 'overview')).toBe(1);
    expect(editDistance('actve-users', 'active-users')).toBe(1);
    expect(editDistance('groups', 'gpts')).toBe(4); // r→p, o→t, drop u and p
  });

  it('offers close names and names the word starts', () => {
    const commands = ['overview', 'active-users', 'users', 'top-users', 'power-users', 'groups'];
    expect(closest('overveiw', commands)).toEqual(['overview']);
    expect(closest('user', commands)).toEqual(['users']);
    expect(closest('power', commands)).toEqual(['power-users']);
    expect(closest('xyz', commands)).toEqual([]);
  });
});

describe('binding arguments', () => {
  it('gives the command its default period when none is asked', () => {
    const args = bind('active-users');
    expect([args.period?.start, args.period?.end, args.periodGiven]).toEqual(['2026-08-30', '2026-11-21', false]);
    const short = bind('groups', { period: true });
    expect([short.period?.start, short.period?.end]).toEqual(['2026-10-25', '2026-11-21']);
  });

  it('takes a bare preset word, period:PRESET, or from:/to:', () => {
    expect(bind('overview last-week').period?.start).toBe('2026-11-15');
    expect(bind('overview period:Last-Month').period?.start).toBe('2026-10-01');
    const custom = bind('overview from:2026-09-01 to:2026-09-30');
    expect([custom.period?.start, custom.period?.end, custom.period?.preset]).toEqual([
      '2026-09-01',
      '2026-09-30',
      null,
    ]);
    expect(bind('overview from:2026-11-01').period?.end).toBe(TODAY);
  });

  it('reads by:, and team: and group: as the same filter', () => {
    const args = bind('active-users by:Month team:"Sales EMEA"');
    expect([args.grain, args.group]).toEqual(['month', 'Sales EMEA']);
    expect(bind('active-users group:sales').group).toBe('sales');
    expect(bind('active-users').group).toBeNull();
  });

  it('hands a command its own keys in order', () => {
    const args = bind('settings seats:100 Industry:retail', { keys: { seats: '', industry: '' } });
    expect(args.pairs).toEqual([
      ['seats', '100'],
      ['industry', 'retail'],
    ]);
  });

  it('takes one free word where the command has one', () => {
    expect(bind('help overview', { word: { name: 'command', describe: '' } }).word).toBe('overview');
  });
});

describe('every mistake gets its own message', () => {
  it.each<[string, ArgsSchema, RegExp]>([
    ['overview tema:sales', PLAIN, /overview has no argument "tema:"\. Did you mean team:\? It takes period:, from:, to: or team:\. See `\/wsa help overview`/],
    ['overview colour:red', PLAIN, /has no argument "colour:"\. It takes/],
    ['users by:week', PLAIN, /users does not take by:\. It takes period:, from:, to: or team:/],
    ['overview industry:retail', PLAIN, /overview does not take industry:/],
    ['whoami me', {}, /whoami takes no arguments, but got "me"/],
    ['whoami team:x', {}, /whoami does not take team:\. It takes no arguments/],
    ['overview last-5-weeks', PLAIN, /"last-5-weeks" is not something overview understands\. Did you mean last-4-weeks/],
    ['overview sales', PLAIN, /"sales" is not something overview understands\. Arguments are key:value/],
    ['overview period:fortnight', PLAIN, /"fortnight" is not a period\. Periods are this-week, .* or from:YYYY-MM-DD to:YYYY-MM-DD/],
    ['overview period:last-4-week', PLAIN, /Did you mean last-4-weeks\?/],
    ['overview last-week this-week', PLAIN, /Give one period, not both last-week and this-week/],
    ['overview last-week from:2026-11-01', PLAIN, /Give one period, not both last-week and from:2026-11-01/],
    ['overview to:2026-11-01', PLAIN, /to:2026-11-01 needs a from: date too/],
    ['overview from:2026-13-01', PLAIN, /from:2026-13-01 is not a date/],
    ['overview from:2026-11-10 to:2026-11-01', PLAIN, /to:2026-11-01 is before from:2026-11-10/],
    ['overview from:2026-11-01 to:2026-12-01', PLAIN, /to:2026-12-01 is after today \(2026-11-26\)/],
    ['overview from:2025-01-01 to:2026-01-01', PLAIN, /longer than 12 months/],
    ['active-users by:year', TREND, /by:year is not a trend grain; use by:day, by:week or by:month/],
    ['overview team:', PLAIN, /team: needs a value, e.g\. team:"Sales EMEA"/],
    ['overview team:a team:b', PLAIN, /Give one team: \(or group:/],
    ['overview team:a group:b', PLAIN, /Give one team: \(or group:/],
    ['overview from:2026-11-01 from:2026-11-02', PLAIN, /from: is given twice/],
    ['help a b', { word: { name: 'command', describe: '' } }, /help takes one word at most, but got "a" and "b"/],
  ])('%s', (text, schema, message) => {
    expect(usageMessage(() => bind(text, schema))).toMatch(message);
  });
});
