/**
 * Every sentence the Slack adapter itself says to a person (the core's wording is in
 * src/core/wording.ts): where an answer went, why it could not go somewhere, what was left out.
 * Kept in one place so the wording stays consistent and reviewable.
 */
import { POST_OPTION } from './command-text.ts';

export const SLASH_COMMAND = '/wsa';

export const slackWording = {
  badDestination: (given: string) =>
    `"${given}" is not a place I can post to. Add \`${POST_OPTION}:channel\` to post the answer into this channel, or leave it out to get the answer just for you.`,
  repeatedDestination: () => `Give \`${POST_OPTION}:\` once.`,

  noEmail: () =>
    'I could not read the email address of your Slack account, so I cannot tell which role you hold in the workspace. ' +
    'An admin may need to reinstall the app with the `users:read.email` scope.',

  sentToDm: () => 'I sent the answer with its chart to our direct messages (charts cannot be shown just to you here).',
  sentFilesToDm: () => 'I sent the answer with its files to our direct messages (files cannot be shown just to you here).',

  cannotPostHere: (reason: 'not_in_channel' | 'channel_not_found' | 'archived' | 'restricted') => {
    switch (reason) {
      case 'not_in_channel':
        return 'I cannot post into this channel because I am not a member of it. Invite me with `/invite @wsa`, or get the answer just for you.';
      case 'channel_not_found':
        return 'I cannot post into this conversation (it is private, or a conversation I was not added to). Add me to it, or get the answer just for you.';
      case 'archived':
        return 'This channel is archived, so I cannot post into it. You can get the answer just for you.';
      case 'restricted':
        return 'Posting into this channel is restricted for apps. You can get the answer just for you.';
    }
  },
  sendPrivatelyButton: () => 'Send it to me privately',

  postedAggregateFull: (removed: string) =>
    `I posted the aggregate form to the channel (${removed} left out, since not everyone there may see per-person data). This is the full answer, just for you.`,
  channelNote: () => 'Aggregate form: per-person rows, names and emails are not posted into channels.',
  filesNotInChannel: () => 'Files go only to the person who asked, never into a channel.',

  chartUnavailable: () => 'The chart could not be attached; here it is as text.',
  fileUnavailable: (name: string) => `The file ${name} could not be attached; ask again in a moment.`,
  truncated: (omitted: number) => `… the rest of this answer (${omitted} more block${omitted === 1 ? '' : 's'}) did not fit in Slack.`,
  rowsCut: (shown: number, total: number, noun: string) => `Showing ${shown} of ${total.toLocaleString('en-US')} ${noun}.`,
  answerFailed: () => 'Something went wrong while delivering the answer; the problem has been logged.',
  duplicateIgnored: () => 'Already answered.',
};
