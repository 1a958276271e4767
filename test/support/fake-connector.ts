/**
 * A fake Bot Framework connector on loopback: what Teams' service URL answers for a bot. It
 * records every call the bot makes (replies, proactive posts, new conversations, member lookups)
 * and answers member lookups from a table of known members: one member, and a conversation's
 * members page by page (`pagedmembers`, `pageSize` and `continuationToken`) from `rosters`, else
 * every known member. `failNext` makes the next calls to a
 * path answer with given statuses (with Retry-After when given), to test retries.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: any;
  readonly at: number;
  /** The status the fake answered. */
  status: number;
}

export interface FakeMember {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  readonly userPrincipalName?: string;
}

/** A file PUT to an upload URL the fake handed out (as OneDrive would receive it). */
export interface FakeUpload {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly bytes: Buffer;
}

export interface FakeConnector {
  readonly url: string;
  readonly calls: ConnectorCall[];
  readonly uploads: FakeUpload[];
  readonly members: Map<string, FakeMember>;
  /** Conversation id (a channel's, without `;messageid=`) → its members' ids, for pagedmembers. */
  readonly rosters: Map<string, string[]>;
  /** The activities posted into conversations (replies and proactive posts), in order. */
  activities(): Array<{ conversationId: string; activity: any }>;
  /** Messages (not typing indicators) posted. */
  messages(): Array<{ conversationId: string; activity: any }>;
  /** The next calls that match answer with these statuses, one each, in order. */
  failNext(match: (call: ConnectorCall) => boolean, statuses: ReadonlyArray<{ status: number; retryAfter?: number }>): void;
  /** Waits until `count` messages have been posted (or fails after `ms`). */
  waitForMessages(count: number, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** Within one second, a conversation takes this many activities; more answer 429 with Retry-After: 1. */
export interface FakeConnectorOptions {
  activitiesPerSecondPerConversation?: number;
}

export async function startFakeConnector(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
  const recent = new Map<string, number[]>();
  const calls: ConnectorCall[] = [];
  const uploads: FakeUpload[] = [];
  const members = new Map<string, FakeMember>();
  const rosters = new Map<string, string[]>();
  const failures: Array<{ match: (call: ConnectorCall) => boolean; status: number; retryAfter?: number }> = [];
  let ids = 0;
  let conversations = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
      const json = (req.headers['content-type'] ?? '').includes('json');
      const call: ConnectorCall = { method: req.method ?? 'GET', path, headers: req.headers, body: text && json ? JSON.parse(text) : null, at: Date.now(), status: 0 };
      calls.push(call);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        call.status = status;
        const out = JSON.stringify(body);
        res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out), ...headers });
        res.end(out);
      };
      const failure = failures.findIndex((f) => f.match(call));
      if (failure >= 0) {
        const [f] = failures.splice(failure, 1);
        send(f!.status, { error: { code: 'Failure', message: `fake ${f!.status}` } }, f!.retryAfter !== undefined ? { 'retry-after': String(f!.retryAfter) } : {});
        return;
      }
      const paged = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/.exec(path);
      if (req.method === 'GET' && paged) {
        const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
        const ids = rosters.get(paged[1]!) ?? [...members.keys()];
        const size = Number(query.get('pageSize') ?? 200) || 200;
        const from = Number(query.get('continuationToken') ?? 0) || 0;
        const page = ids.slice(from, from + size).map((id) => members.get(id) ?? { id, name: '' });
        send(200, { members: page, ...(from + size < ids.length ? { continuationToken: String(from + size) } : {}) });
        return;
      }
      const member = /^\/v3\/conversations\/[^/]+\/members\/(.+)$/.exec(path);
      if (req.method === 'GET' && member) {
        const found = members.get(member[1]!);
        if (!found) send(404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
        else send(200, { id: found.id, name: found.name, email: found.email, userPrincipalName: found.userPrincipalName, aadObjectId: `aad-${found.id}` });
        return;
      }
      if (req.method === 'PUT' && path.startsWith('/upload/')) {
        uploads.push({ path, headers: req.headers, bytes: Buffer.concat(chunks) });
        send(201, { id: 'drive-item-1' });
        return;
      }
      if (req.method === 'POST' && path === '/v3/conversations') {
        conversations += 1;
        send(200, { id: `a:personal-${conversations}`, serviceUrl: undefined });
        return;
      }
      if (req.method === 'POST' && /^\/v3\/conversations\/[^/]+\/activities/.test(path)) {
        const limit = options.activitiesPerSecondPerConversation;
        if (limit !== undefined) {
          const conversation = path.split('/')[3] ?? '';
          const times = (recent.get(conversation) ?? []).filter((t) => t > call.at - 1000);
          if (times.length >= limit) {
            send(429, { error: { code: 'TooManyRequests', message: 'rate limited' } }, { 'retry-after': '1' });
            return;
          }
          recent.set(conversation, [...times, call.at]);
        }
        ids += 1;
        send(200, { id: `activity-${ids}` });
        return;
      }
      send(404, { error: { code: 'NotFound', message: `no fake for ${req.method} ${path}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const activities = () =>
    calls
      .filter((c) => c.method === 'POST' && c.status === 200 && /^\/v3\/conversations\/[^/]+\/activities/.test(c.path))
      .map((c) => ({ conversationId: c.path.split('/')[3] ?? '', activity: c.body }));
  const messages = () => activities().filter((a) => a.activity?.type === 'message');

  return {
    url,
    calls,
    uploads,
    members,
    rosters,
    activities,
    messages,
    failNext(match, statuses) {
      for (const s of statuses) failures.push({ match, ...s });
    },
    async waitForMessages(count, ms = 20_000) {
      const until = Date.now() + ms;
      while (messages().length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} messages, saw ${messages().length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
