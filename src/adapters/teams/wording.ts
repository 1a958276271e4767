/**
 * Every sentence the Teams adapter itself says to a person (the core's wording is in
 * src/core/wording.ts), in one place so it stays consistent and reviewable.
 */
export const teamsWording = {
  sentToPersonalChat: () => 'I sent the answer to our personal chat, where only you can see it.',
  answerFailed: () => 'Something went wrong while sending the answer; the problem has been logged.',
};
