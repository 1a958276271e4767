/**
 * What a Teams message says to wsa. There are no slash commands in Teams, so people type
 * `wsa overview`, `/wsa overview`, `@wsa overview` (teams-ai removes the bot's own mention; the
 * tags of any other are dropped, keeping the name) or, in a personal chat, just `overview`. Teams
 * sends the text with a few HTML entities and, after a mention, non-breaking spaces; those become
 * plain text here. The rest — the command, its arguments and where the answer goes
 * (`post:channel`) — is read by the core's grammar.
 */
import { UsageError } from '../../core/errors.ts';
import { parseRequest, type Destination } from '../../core/grammar.ts';

const ENTITIES: Readonly<Record<string, string>> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

export interface TeamsRequest {
  /** The text for the core, without `wsa`, mentions and the `post:` option. */
  readonly text: string;
  readonly destination: Destination;
  /** Why the request cannot go where it asks (an unknown or repeated `post:`); null when it can. */
  readonly problem: string | null;
}

/** The message as typed, without `wsa` or `/wsa` in front, its entities decoded, spaces tidied. */
export function commandTextOf(raw: string | undefined): string {
  let text = (raw ?? '').replace(/&nbsp;|&amp;|&lt;|&gt;|&quot;|&#39;/g, (e) => ENTITIES[e] ?? e);
  text = text.replace(/\u00a0/g, ' ').replace(/<\/?at>/gi, '').trim();
  text = text.replace(/^@?\/?wsa\b[:,]?/i, '').trim();
  return text.replace(/\s+/g, ' ');
}

export function readTeamsText(raw: string | undefined): TeamsRequest {
  const text = commandTextOf(raw);
  try {
    const parsed = parseRequest(text);
    return { text: parsed.text, destination: parsed.destination, problem: parsed.problem?.message ?? null };
  } catch (error) {
    // Text the grammar cannot read (an unclosed quote) goes to the core as it is, which says why.
    if (error instanceof UsageError) return { text, destination: 'private', problem: null };
    throw error;
  }
}
