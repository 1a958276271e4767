/**
 * Every sentence the delivery of an answer says to a person, whatever the platform: which form of
 * an answer went where, what could not be attached, what was cut. The core's own wording is in
 * src/core/wording.ts; a platform's own sentences (its scopes, its commands) stay in its adapter.
 * Kept in one place so the wording stays consistent and reviewable.
 */

export const deliveryWording = {
  sendPrivatelyButton: () => 'Send it to me privately',

  postedAggregateFull: (why: string) =>
    `I posted the aggregate form to the channel (${why}: no names, emails, per-person rows or small groups there). This is the full answer, just for you.`,
  notPostedToChannel: (why: string) => `Nothing was posted to the channel: ${why} This is the answer, just for you.`,
  channelNote: () => 'Aggregate form: not everyone in this channel may see people, so no names, emails, per-person rows or groups under the minimum size.',
  filesNotInChannel: () => 'Files go only to the person who asked, never into a channel.',

  chartUnavailable: () => 'The chart could not be attached; here it is as text.',
  fileUnavailable: (name: string) => `The file ${name} could not be attached; ask again in a moment.`,
  rowsCut: (shown: number, total: number, noun: string) => `Showing ${shown} of ${total.toLocaleString('en-US')} ${noun}.`,
  answerFailed: () => 'Something went wrong while delivering the answer; the problem has been logged.',
};
