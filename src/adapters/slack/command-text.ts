/**
 * Slack's command text as the core reads it. An app mention arrives as `<@U123> overview`: the
 * mention markup is Slack's, so it is dropped here; everything else — the command, its arguments
 * and where the answer goes (`post:channel`, `post:me`) — is read by the core's grammar.
 */
import { UsageError } from '../../core/errors.ts';
import { parseRequest, type Destination } from '../../core/grammar.ts';

export interface SlackRequest {
  /** The text for the core, without mentions and without the `post:` option. */
  readonly text: string;
  readonly destination: Destination;
  /** Why the request cannot go where it asks (an unknown or repeated `post:`); null when it can. */
  readonly problem: string | null;
}

/** Slack's user-mention markup (`<@U123>` or `<@U123|name>`) standing as a word. */
const MENTION = /(^|\s)<@[A-Z0-9]+(?:\|[^>]*)?>(?=\s|$)/g;

export function stripMentions(text: string): string {
  return text.replace(MENTION, '$1');
}

export function readCommandText(raw: string, options: { stripMentions?: boolean } = {}): SlackRequest {
  const text = options.stripMentions ? stripMentions(raw) : raw;
  try {
    const parsed = parseRequest(text);
    return { text: parsed.text, destination: parsed.destination, problem: parsed.problem?.message ?? null };
  } catch (error) {
    // Text the grammar cannot read (an unclosed quote) goes to the core as it is, which says why.
    if (error instanceof UsageError) return { text: text.trim(), destination: 'private', problem: null };
    throw error;
  }
}

/**
 * The people a command names by @-mention (`/wsa grant @lead analytics-viewer`), which Slack sends
 * escaped as `<@U123|lead>` with `should_escape`, replaced by their email (users.info) before the
 * core reads the text: the core knows people by email only. A mention whose email cannot be read
 * is left as it is, and the core says to give an email instead.
 */
export async function mentionsToEmails(text: string, emailOf: (userId: string) => Promise<string | null>): Promise<string> {
  const ids = [...new Set([...text.matchAll(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1] as string))];
  const emails = new Map<string, string>();
  for (const id of ids) {
    const email = await emailOf(id).catch(() => null);
    if (email) emails.set(id, email);
  }
  return text.replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, (whole, id: string) => emails.get(id) ?? whole);
}
