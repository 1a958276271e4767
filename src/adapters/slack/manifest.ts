/**
 * What `manifest/slack.yaml` must say, as data the manifest test checks the file against: the
 * slash command and its usage hint (derived from the command registry), the bot scopes with the
 * reason for each, and which scope each Web API method and event the adapter uses needs.
 */
import { POST_OPTION } from '../../core/grammar.ts';
import { SLASH_COMMAND } from './wording.ts';

export { SLASH_COMMAND };
/** The one request URL (slash command, interactivity, events) on our server. */
export const SLACK_EVENTS_PATH = '/slack/events';

export const SLASH_COMMAND_DESCRIPTION = 'Workspace analytics of your AI assistant: adoption, usage, impact';

/**
 * Slack escapes the /wsa text (`should_escape: true`): an @-mention arrives as `<@U123|name>`, which
 * the adapter turns into the person's email (users.info) for `grant` and `revoke`.
 */
export const SHOULD_ESCAPE = true;

/** The usage hint Slack shows while typing `/wsa`: every command of the registry, then the arguments. */
export function usageHint(commands: ReadonlyArray<{ readonly name: string }>): string {
  return `[${commands.map((c) => c.name).join(' | ')}] [team:NAME] [last-4-weeks | from:YYYY-MM-DD to:YYYY-MM-DD] [${POST_OPTION}:channel]`;
}

/** The bot scopes, each with why wsa needs it (the manifest carries the same reason as a comment). */
export const BOT_SCOPES: Readonly<Record<string, string>> = {
  commands: 'the /wsa slash command',
  'chat:write': 'answers, pointers and channel posts (chat.postMessage, chat.postEphemeral)',
  'files:write': 'charts and CSV exports (files.getUploadURLExternal, files.completeUploadExternal)',
  'users:read': "users.info and users.list, to know who asked and who reads a channel (bots and deactivated accounts left out)",
  'users:read.email': 'the email in users.info, which maps the asker to their role; users.lookupByEmail, to ask a power user once whether they may be named',
  'im:write': 'conversations.open, to send charts and files to the asker privately',
  'app_mentions:read': 'answering @wsa mentions in channels the bot is in',
  'channels:read': "conversations.members and conversations.info of a public channel: what post:channel may show its readers, and a digest's channel checked before subscribing",
  'groups:read': "conversations.members and conversations.info of a private channel: what post:channel may show its readers, and a digest's channel checked before subscribing",
  'mpim:read': "conversations.members of a group DM, to decide what post:channel may show its readers",
  'im:read': "conversations.members of a DM, to decide what post:channel may show its readers",
  'channels:join': 'conversations.join, to join the public channel a digest is subscribed to',
  'channels:history': 'conversations.history, to find a digest already posted (its metadata) before posting it again',
  'groups:history': 'conversations.history in a private channel, for the same check',
};

/** Every Web API method the adapter calls, and the event it listens to, with the scope it needs. */
export const METHOD_SCOPES: Readonly<Record<string, string | readonly string[] | null>> = {
  'auth.test': null,
  'users.info': 'users:read',
  'users.list': 'users:read',
  'users.lookupByEmail': 'users:read.email',
  // One scope per kind of conversation the members are read of.
  'conversations.members': ['channels:read', 'groups:read', 'mpim:read', 'im:read'],
  'conversations.open': 'im:write',
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.join': 'channels:join',
  'conversations.history': ['channels:history', 'groups:history'],
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'event:app_mention': 'app_mentions:read',
  'command:/wsa': 'commands',
};
