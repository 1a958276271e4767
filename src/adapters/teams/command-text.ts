/**
 * What a Teams message says to wsa. There are no slash commands in Teams, so people type
 * `wsa overview`, `/wsa overview`, `@wsa overview` (teams-ai removes the bot's own mention; the tags of any other are dropped, keeping the name) or,
 * in a personal chat, just `overview`. Teams sends the text of a message with a few HTML
 * entities and, after a mention, non-breaking spaces; those become plain text here.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The command text for the core: `wsa` and `/wsa` in front removed, spaces tidied. */
export function commandTextOf(raw: string | undefined): string {
  let text = (raw ?? '').replace(/&nbsp;|&amp;|&lt;|&gt;|&quot;|&#39;/g, (e) => ENTITIES[e] ?? e);
  text = text.replace(/\u00a0/g, ' ').replace(/<\/?at>/gi, '').trim();
  text = text.replace(/^@?\/?wsa\b[:,]?/i, '').trim();
  return text.replace(/\s+/g, ' ');
}
