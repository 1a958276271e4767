/**
 * Every sentence the Teams adapter itself says to a person (the core's wording is in
 * src/core/wording.ts), in one place so it stays consistent and reviewable.
 */
export const teamsWording = {
  sentToPersonalChat: () => 'I sent the answer to our personal chat, where only you can see it.',
  answerFailed: () => 'Something went wrong while sending the answer; the problem has been logged.',
  fileOffer: (name: string) => `${name}, from wsa. Accept to save it to your OneDrive.`,
  fileDeclined: (name: string | undefined) => `Understood, I will not send ${name ?? 'the file'}.`,
  fileExpired: () => 'That file is no longer waiting for you; ask for it again.',
  fileUploadFailed: (name: string) => `I could not upload ${name} to your OneDrive; ask for it again in a moment.`,
};
