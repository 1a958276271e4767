/**
 * Slack's platform limits and the time windows the adapter works within, as named constants
 * (PLATFORMS.md "Slack"). Builders and delivery code refer to these, never to bare numbers.
 */

/** Blocks in one message (chat.postMessage, response_url, files.completeUploadExternal). */
export const MAX_BLOCKS_PER_MESSAGE = 50;
/** Characters in a section block's text. */
export const MAX_SECTION_TEXT = 3000;
/** Characters in a header block's plain text. */
export const MAX_HEADER_TEXT = 150;
/** Elements in one context block. */
export const MAX_CONTEXT_ELEMENTS = 10;
/** Characters of a context element's text (Slack allows 3000; kept as the section limit). */
export const MAX_CONTEXT_TEXT = 3000;
/** Characters of a button's value. */
export const MAX_BUTTON_VALUE = 2000;
/** The top-level `text` of a message is the notification and screen-reader text; keep it short. */
export const MAX_NOTIFICATION_TEXT = 3000;
/** Posts allowed through one response_url (within 30 minutes). */
export const MAX_RESPONSE_URL_POSTS = 5;

/** Slack shows the user a timeout when a request is not acknowledged within 3 s. */
export const ACK_DEADLINE_MS = 3000;
/** Signed requests whose timestamp is further than this from our clock, either way, are refused. */
export const SIGNATURE_MAX_SKEW_SECONDS = 5 * 60;
/** Inbound body limit: Slack's payloads are a few kilobytes; anything near this is not Slack. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** Table rows shown in a message; the rest are counted in a note (docs/design.md §5: cards may cut rows). */
export const MAX_DISPLAY_ROWS = 15;
