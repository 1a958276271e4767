/**
 * Every sentence wsa says to a person when it cannot do what was asked: usage errors, refusals,
 * warnings. Kept in one place so the wording stays consistent and reviewable.
 */

/** How people invoke the bot; help pointers use it. */
export const INVOCATION = '/wsa';

function list(items: readonly string[], last = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length > 0 ? ` Did you mean ${list(suggestions)}?` : '';
}

export const HELP_POINTER = `Type \`${INVOCATION} help\` for the list of commands.`;

export function helpFor(command: string): string {
  return `See \`${INVOCATION} help ${command}\`.`;
}

export const usage = {
  unknownCommand: (name: string, suggestions: readonly string[]) =>
    `There is no command "${name}".${didYouMean(suggestions)} ${HELP_POINTER}`,

  unknownKey: (command: string, key: string, suggestions: readonly string[], accepted: readonly string[]) =>
    `${command} has no argument "${key}:".${didYouMean(suggestions.map((s) => `${s}:`))} ` +
    (accepted.length > 0
      ? `It takes ${list(accepted.map((k) => `${k}:`))}. ${helpFor(command)}`
      : `It takes no arguments. ${helpFor(command)}`),

  keyNotTaken: (command: string, key: string, accepted: readonly string[]) =>
    `${command} does not take ${key}:. ` +
    (accepted.length > 0
      ? `It takes ${list(accepted.map((k) => `${k}:`))}. ${helpFor(command)}`
      : `It takes no arguments. ${helpFor(command)}`),

  noArguments: (command: string, given: string) =>
    `${command} takes no arguments, but got "${given}". ${helpFor(command)}`,

  strayWord: (command: string, word: string, suggestions: readonly string[]) =>
    `"${word}" is not something ${command} understands.${didYouMean(suggestions)} ` +
    `Arguments are key:value (team:sales) or a period word (last-4-weeks). ${helpFor(command)}`,

  tooManyWords: (command: string, words: readonly string[]) =>
    `${command} takes one word at most, but got ${list(words.map((w) => `"${w}"`), 'and')}. ${helpFor(command)}`,

  repeatedKey: (key: string) => `${key}: is given twice; give it once.`,

  repeatedGroup: () => 'Give one team: (or group:, the same filter); several at once are not supported.',

  emptyValue: (key: string, example: string) => `${key}: needs a value, e.g. ${example}.`,

  unclosedQuote: (fragment: string) =>
    `A quote is not closed in ${fragment}; put a " at the end of the value, e.g. team:"Sales EMEA".`,

  notAPeriod: (word: string, suggestions: readonly string[], presets: readonly string[]) =>
    `"${word}" is not a period.${didYouMean(suggestions)} Periods are ${list(presets)}, ` +
    `or from:YYYY-MM-DD to:YYYY-MM-DD.`,

  twoPeriods: (a: string, b: string) => `Give one period, not both ${a} and ${b}.`,

  toWithoutFrom: (to: string) =>
    `to:${to} needs a from: date too, e.g. from:2026-01-01 to:${to}.`,

  notAGrain: (value: string, grains: readonly string[]) =>
    `by:${value} is not a trend grain; use ${list(grains.map((g) => `by:${g}`))}.`,

  unknownHelpTopic: (word: string, suggestions: readonly string[]) =>
    `There is no command "${word}" to explain.${didYouMean(suggestions)} ${HELP_POINTER}`,

  badDestination: (given: string) =>
    `"${given}" is not a place I can post to. Add \`post:channel\` to post the answer into this channel, or leave it out to get the answer just for you.`,

  repeatedDestination: () => 'Give `post:` once.',

  empty: () => `Say what you want to know, e.g. \`${INVOCATION} overview\`. ${HELP_POINTER}`,
};

const ROLE_WORDS: Record<string, string> = {
  owner: 'owner',
  admin: 'admin',
  'analytics-viewer': 'analytics viewer',
  member: 'member',
};

export function roleWord(role: string): string {
  return ROLE_WORDS[role] ?? role;
}

const ASK_FOR_ACCESS = 'Ask a workspace owner or admin if you need access.';

export const denial = {
  noDirectory: () =>
    'No workspace directory has been imported yet, so no one\'s role can be checked. ' +
    'Until a Users report or directory file is imported, only the operator (the command line without --as) can see analytics.',

  notInDirectory: (email: string) =>
    `${email} is not in the workspace directory, so wsa cannot tell your role and answers you as a member. ` +
    `Workspace analytics are for owners, admins and analytics viewers. ${ASK_FOR_ACCESS}`,

  notEnabled: (email: string) =>
    `${email} has no enabled account in the workspace directory (it is pending or deleted), so wsa answers you as a member. ` +
    `Workspace analytics are for owners, admins and analytics viewers. ${ASK_FOR_ACCESS}`,

  needsViewer: (command: string, role: string) =>
    `\`${command}\` shows workspace analytics, which need the owner, admin or analytics-viewer role; ` +
    `your role is ${roleWord(role)}. ${ASK_FOR_ACCESS}`,

  needsAdmin: (what: string, role: string) =>
    `${what} needs the owner or admin role; your role is ${roleWord(role)}.`,

  outOfScope: (group: string | null, scope: readonly string[]) =>
    group === null
      ? `Your analytics-viewer grant covers ${list(scope, 'and')} only; add team:NAME to ask about one of them.`
      : `Your analytics-viewer grant covers ${list(scope, 'and')}, not "${group}".`,
};

export const notices = {
  taskInsightsOff: (eu: boolean) =>
    eu
      ? 'Task insights are off for this workspace: EU data residency is set, and they stay off unless an owner or admin turns them on (`settings task-insights:on`).'
      : 'Task insights are off for this workspace. An owner or admin can turn them on with `settings task-insights:on`.',

  stale: (hours: number) =>
    `The data is ${hours >= 72 ? `${Math.floor(hours / 24)} days` : `${Math.floor(hours)} hours`} old: ` +
    'nothing has been imported in the last 48 hours.',

  noImports: () => 'No data has been imported yet.',

  groupsHidden: (n: number, minSize: number | null) =>
    `${n} group${n === 1 ? '' : 's'} hidden for privacy${minSize ? ` (fewer than ${minSize} members, or needed to protect one that has)` : ''}.`,

  internal: () => 'Something went wrong while answering; the problem has been logged.',

  /** The channel form of an answer about a person (whoami, grant, revoke). */
  personalNotInChannel: (command: string) =>
    `\`${command}\` is about a person, and not everyone in this channel may see people's details: it was not posted here.`,

  /** A `team:` filter on a group too small for a channel's aggregate form. */
  smallGroupNotInChannel: (group: string, members: number, minSize: number) =>
    `${group} has ${members} member${members === 1 ? '' : 's'}, fewer than the minimum group size of ${minSize}: its figures are not posted into a channel whose readers may not all see people.`,
};
