/**
 * The sentences only Slack says (its scopes, its `/invite`, its direct messages and limits). What
 * every platform says about delivering an answer is in src/delivery/wording.ts, the core's wording
 * in src/core/wording.ts.
 */
import type { TargetRefusal } from '../../delivery/port.ts';

export const SLASH_COMMAND = '/wsa';

export const slackWording = {
  noEmail: () =>
    'I could not read the email address of your Slack account, so I cannot tell which role you hold in the workspace. ' +
    'An admin may need to reinstall the app with the `users:read.email` scope.',

  sentToDm: () => 'I sent the answer with its chart to our direct messages (charts cannot be shown just to you here).',
  sentFilesToDm: () => 'I sent the answer with its files to our direct messages (files cannot be shown just to you here).',

  cannotPostHere: (reason: TargetRefusal) => {
    switch (reason) {
      case 'not_in_channel':
        return 'I cannot post into this channel because I am not a member of it. Invite me with `/invite @wsa`, or get the answer just for you.';
      case 'channel_not_found':
        return 'I cannot post into this conversation (it is private, or a conversation I was not added to). Add me to it, or get the answer just for you.';
      case 'archived':
        return 'This channel is archived, so I cannot post into it. You can get the answer just for you.';
      case 'restricted':
        return 'Posting into this channel is restricted for apps. You can get the answer just for you.';
      case 'no_reference':
        return 'I have not been added to this conversation. Add me to it, or get the answer just for you.';
    }
  },

  truncated: (omitted: number) => `… the rest of this answer (${omitted} more block${omitted === 1 ? '' : 's'}) did not fit in Slack.`,
};
