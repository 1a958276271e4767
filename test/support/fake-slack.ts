/**
 * A local fake of Slack's Web API on loopback, for the adapter's tests (docs/design.md §12): a node:http
 * server that records every call the bot makes and answers as Slack would. It serves
 * - `/api/{method}`: auth.test, users.info, users.list and conversations.members (paged with
 *   `cursor` and `limit`, as Slack pages them), conversations.open, chat.postMessage,
 *   chat.postEphemeral, files.getUploadURLExternal, files.completeUploadExternal,
 *   apps.connections.open, conversations.info, conversations.join, conversations.history
 *   (form-encoded or JSON bodies, token in the Authorization header); posted messages are kept
 *   per channel with their metadata, as history returns them;
 * - `/upload/{file_id}`: the upload URL files.getUploadURLExternal hands out (raw bytes, or
 *   multipart as the WebClient sends it), recording the bytes and the length declared for them;
 * - `/response/{id}`: response_urls, recording what the bot sent there.
 * Failures are injected per method (`failNext`; `upload` and `response_url` name the other two
 * paths): a 429 with Retry-After, a Slack error code, a 500, or a dropped connection after the
 * request was read (a lost response).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

export interface RecordedCall {
  method: string;
  /** Parameters as sent; JSON-valued form fields (blocks, files) are parsed. */
  params: Record<string, unknown>;
  token: string | undefined;
  at: number;
  /** HTTP status the fake answered with. */
  status: number;
}

export interface RecordedUpload {
  fileId: string;
  filename: string | undefined;
  bytes: Buffer;
  /** The `length` files.getUploadURLExternal was given for this file. */
  declaredLength: number | undefined;
  at: number;
}

export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export type Failure =
  | { kind: 'rate_limited'; retryAfterSeconds: number }
  | { kind: 'error'; error: string }
  | { kind: 'http'; status: number }
  /** Reads the request, then closes the connection without answering. */
  | { kind: 'drop' }
  /** Reads the request and never answers (a process killed while waiting for Slack). */
  | { kind: 'hang' };

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  /** Slack user id → email (absent: users.info says user_not_found; null: no email in profile). */
  users?: Record<string, string | null>;
  /** Channels the bot is not a member of (posts there fail with not_in_channel). */
  notMemberOf?: string[];
  /** Channel id → its members' user ids (conversations.members), the bot's included where it is. */
  channels?: Record<string, string[]>;
  /** Users that are bots or apps (users.list says `is_bot`), and deactivated ones (`deleted`). */
  bots?: string[];
  deleted?: string[];
  /** What apps.connections.open returns (Socket Mode). */
  socketUrl?: string;
  /** Known channels (absent: every channel exists, public, unarchived); conversations.info/join read them. */
  channelInfo?: Record<string, { private?: boolean; archived?: boolean }>;
  /** Within one second, a channel takes this many chat.postMessage calls; more answer 429 with Retry-After: 1. */
  postsPerSecondPerChannel?: number;
  /** Seconds since the epoch for message ts (default: a fixed 1700000000); tests with a pinned clock pass theirs. */
  nowSeconds?: () => number;
}

export interface PostedMessage {
  channel: string;
  ts: string;
  threadTs: string | undefined;
  text: unknown;
  metadata: { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
}

type Params = Record<string, unknown>;

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJsonish(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if ((t.startsWith('[') && t.endsWith(']')) || (t.startsWith('{') && t.endsWith('}'))) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

function parseParams(contentType: string, raw: Buffer): Params {
  if (raw.length === 0) return {};
  if (contentType.startsWith('application/json')) return JSON.parse(raw.toString('utf8')) as Params;
  const form = parseQuery(raw.toString('utf8'));
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k, parseJsonish(v)]));
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly uploads: RecordedUpload[] = [];
  readonly responses: RecordedResponse[] = [];
  /** Every message chat.postMessage accepted, in order. */
  readonly messages: PostedMessage[] = [];
  readonly options: Required<Omit<FakeSlackOptions, 'socketUrl' | 'channelInfo' | 'nowSeconds' | 'postsPerSecondPerChannel'>> & {
    socketUrl: string | undefined;
    postsPerSecondPerChannel: number | undefined;
    channelInfo: FakeSlackOptions['channelInfo'];
    nowSeconds: FakeSlackOptions['nowSeconds'];
  };
  #server: Server;
  #url = '';
  #failures = new Map<string, Failure[]>();
  #nextFile = 1;
  #nextTs = 1;
  #nextResponse = 1;
  #declaredLengths = new Map<string, number>();

  constructor(options: FakeSlackOptions = {}) {
    this.options = {
      botToken: options.botToken ?? 'xoxb-test-token',
      appToken: options.appToken ?? 'xapp-test-token',
      botUserId: options.botUserId ?? 'UBOT',
      botId: options.botId ?? 'BBOT',
      teamId: options.teamId ?? 'T0001',
      users: options.users ?? {},
      notMemberOf: [...(options.notMemberOf ?? [])],
      channels: options.channels ?? {},
      bots: options.bots ?? [],
      deleted: options.deleted ?? [],
      socketUrl: options.socketUrl,
      channelInfo: options.channelInfo,
      nowSeconds: options.nowSeconds,
      postsPerSecondPerChannel: options.postsPerSecondPerChannel,
    };
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) json(res, 500, { ok: false, error: String(error) });
      });
    });
  }

  /** `http://127.0.0.1:{port}` */
  get url(): string {
    return this.#url;
  }

  /** The Web API base to give the WebClient (`SLACK_API_URL`). */
  get apiUrl(): string {
    return `${this.#url}/api/`;
  }

  set socketUrl(url: string | undefined) {
    this.options.socketUrl = url;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.#url = `http://127.0.0.1:${port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  /** A fresh response_url on this server. */
  responseUrl(): string {
    return `${this.#url}/response/${this.#nextResponse++}`;
  }

  /** The next call(s) of `method` fail this way, in order. */
  failNext(method: string, ...failures: Failure[]): void {
    this.#failures.set(method, [...(this.#failures.get(method) ?? []), ...failures]);
  }

  /** Calls of `method` that Slack accepted (HTTP 200 and `ok: true`). */
  accepted(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && this.#accepted.has(c));
  }

  /** Every call of `method`, accepted or not. */
  attempts(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.uploads.length = 0;
    this.responses.length = 0;
    this.#failures.clear();
    this.#accepted.clear();
  }

  /** Waits until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
  async waitFor<T>(check: () => T | undefined | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`fake Slack: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  #accepted = new Set<RecordedCall>();

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = await readAll(req);
    const contentType = String(req.headers['content-type'] ?? '');

    if (path.startsWith('/response/')) {
      const failure = this.#takeFailure('response_url');
      if (failure && this.#fail(res, failure)) return;
      this.responses.push({ id: path.slice('/response/'.length), body: JSON.parse(raw.toString('utf8')) as Params, at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
      return;
    }

    if (path.startsWith('/upload/')) {
      const fileId = path.slice('/upload/'.length);
      const failure = this.#takeFailure('upload');
      if (failure && this.#fail(res, failure)) return;
      let bytes = raw;
      let filename: string | undefined;
      if (contentType.startsWith('multipart/form-data')) {
        const form = await new Request('http://fake/upload', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
        const part = form.get('body') ?? form.get('file');
        bytes = part && typeof part !== 'string' ? Buffer.from(await part.arrayBuffer()) : Buffer.from(String(part ?? ''));
        filename = part && typeof part !== 'string' ? part.name : undefined;
      }
      this.uploads.push({ fileId, filename, bytes, declaredLength: this.#declaredLengths.get(fileId), at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`OK - ${bytes.length}`);
      return;
    }

    if (!path.startsWith('/api/')) {
      json(res, 404, { ok: false, error: 'unknown_path' });
      return;
    }
    const method = path.slice('/api/'.length);
    const params = parseParams(contentType, raw);
    const auth = String(req.headers.authorization ?? '');
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : typeof params.token === 'string' ? params.token : undefined;
    const call: RecordedCall = { method, params, token, at: Date.now(), status: 200 };
    this.calls.push(call);

    const failure = this.#takeFailure(method) ?? this.#rateLimited(method, params, call.at);
    if (failure) {
      if (failure.kind === 'rate_limited') call.status = 429;
      if (failure.kind === 'http') call.status = failure.status;
      if (this.#fail(res, failure)) return;
    }

    const expectedToken = method === 'apps.connections.open' ? this.options.appToken : this.options.botToken;
    if (token !== expectedToken) {
      json(res, 200, { ok: false, error: 'invalid_auth' });
      return;
    }
    const body = this.#answer(method, params);
    if (body.ok) this.#accepted.add(call);
    json(res, 200, body);
  }

  #recentPosts = new Map<string, number[]>();

  /** Slack's chat.postMessage limit of about one message per second per channel, when asked for. */
  #rateLimited(method: string, params: Params, at: number): Failure | undefined {
    const limit = this.options.postsPerSecondPerChannel;
    if (limit === undefined || method !== 'chat.postMessage') return undefined;
    const channel = String(params.channel ?? '');
    const times = (this.#recentPosts.get(channel) ?? []).filter((t) => t > at - 1000);
    if (times.length >= limit) return { kind: 'rate_limited', retryAfterSeconds: 1 };
    this.#recentPosts.set(channel, [...times, at]);
    return undefined;
  }

  #takeFailure(method: string): Failure | undefined {
    const queue = this.#failures.get(method);
    return queue?.shift();
  }

  /** Answers with the failure; true when the request is fully handled. */
  #fail(res: ServerResponse, failure: Failure): boolean {
    switch (failure.kind) {
      case 'rate_limited':
        json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(failure.retryAfterSeconds) });
        return true;
      case 'http':
        json(res, failure.status, { ok: false, error: 'http_error' });
        return true;
      case 'drop':
        res.socket?.destroy();
        return true;
      case 'hang':
        return true;
      case 'error':
        json(res, 200, { ok: false, error: failure.error });
        return true;
    }
  }

  #answer(method: string, p: Params): Record<string, unknown> {
    const o = this.options;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'wsa', team_id: o.teamId, user_id: o.botUserId, bot_id: o.botId };
      case 'users.info': {
        const id = String(p.user ?? '');
        if (!(id in o.users)) return { ok: false, error: 'user_not_found' };
        const email = o.users[id];
        return { ok: true, user: { id, team_id: o.teamId, name: id.toLowerCase(), profile: email ? { email } : {} } };
      }
      case 'users.lookupByEmail': {
        const wanted = String(p.email ?? '').toLowerCase();
        const id = Object.keys(o.users).find((u) => (o.users[u] ?? '').toLowerCase() === wanted);
        return id ? { ok: true, user: { id, team_id: o.teamId, profile: { email: o.users[id] } } } : { ok: false, error: 'users_not_found' };
      }
      case 'users.list': {
        const ids = [...new Set([...Object.keys(o.users), ...o.bots, ...o.deleted, o.botUserId])];
        const page = paged(ids, p);
        return {
          ok: true,
          members: page.items.map((id) => ({
            id,
            team_id: o.teamId,
            name: id.toLowerCase(),
            deleted: o.deleted.includes(id),
            is_bot: o.bots.includes(id) || id === o.botUserId,
            profile: o.users[id] ? { email: o.users[id] } : {},
          })),
          response_metadata: { next_cursor: page.next },
        };
      }
      case 'conversations.members': {
        const members = o.channels[String(p.channel ?? '')];
        if (!members) return { ok: false, error: 'channel_not_found' };
        const page = paged(members, p);
        return { ok: true, members: page.items, response_metadata: { next_cursor: page.next } };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(p.users ?? '').replace(/^U/, '')}` } };
      case 'chat.postMessage': {
        const channel = String(p.channel ?? '');
        if (o.notMemberOf.includes(channel)) return { ok: false, error: 'not_in_channel' };
        if (o.channelInfo?.[channel]?.archived) return { ok: false, error: 'is_archived' };
        const ts = `${o.nowSeconds ? Math.floor(o.nowSeconds()) : 1700000000}.${String(this.#nextTs++).padStart(6, '0')}`;
        const metadata = p.metadata && typeof p.metadata === 'object' ? (p.metadata as PostedMessage['metadata']) : undefined;
        this.messages.push({ channel, ts, threadTs: typeof p.thread_ts === 'string' ? p.thread_ts : undefined, text: p.text, metadata });
        return { ok: true, channel, ts, message: { text: p.text } };
      }
      case 'conversations.info': {
        const id = String(p.channel ?? '');
        const known = o.channelInfo ? o.channelInfo[id] : {};
        if (!known) return { ok: false, error: 'channel_not_found' };
        return { ok: true, channel: { id, is_private: known.private === true, is_archived: known.archived === true, is_member: !o.notMemberOf.includes(id) } };
      }
      case 'conversations.join': {
        const id = String(p.channel ?? '');
        const known = o.channelInfo ? o.channelInfo[id] : {};
        if (!known) return { ok: false, error: 'channel_not_found' };
        if (known.private) return { ok: false, error: 'method_not_supported_for_channel_type' };
        if (known.archived) return { ok: false, error: 'is_archived' };
        o.notMemberOf.splice(0, o.notMemberOf.length, ...o.notMemberOf.filter((c) => c !== id));
        return { ok: true, channel: { id } };
      }
      case 'conversations.history': {
        const id = String(p.channel ?? '');
        const oldest = Number(p.oldest ?? 0);
        const withMetadata = p.include_all_metadata === true || p.include_all_metadata === 'true';
        const messages = this.messages
          .filter((m) => m.channel === id && m.threadTs === undefined && Number(m.ts) >= oldest)
          .reverse()
          .map((m) => ({ type: 'message', ts: m.ts, text: m.text, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) }));
        return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000000.${String(this.#nextTs++).padStart(6, '0')}` };
      case 'files.getUploadURLExternal': {
        const id = `F${String(this.#nextFile++).padStart(4, '0')}`;
        if (p.length !== undefined) this.#declaredLengths.set(id, Number(p.length));
        return { ok: true, upload_url: `${this.#url}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const channel = typeof p.channel_id === 'string' ? p.channel_id : undefined;
        if (channel && o.notMemberOf.includes(channel)) return { ok: false, error: 'not_in_channel' };
        const files = Array.isArray(p.files) ? (p.files as Array<{ id: string; title?: string }>) : [];
        if (!files.every((f) => this.uploads.some((u) => u.fileId === f.id))) return { ok: false, error: 'file_not_found' };
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
      }
      case 'apps.connections.open':
        return o.socketUrl ? { ok: true, url: o.socketUrl } : { ok: false, error: 'socket_mode_not_enabled' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** One page of a list as Slack pages it: `limit` (default 100) from the opaque `cursor`. */
function paged<T>(items: readonly T[], p: Params): { items: T[]; next: string } {
  const limit = Math.max(1, Number(p.limit ?? 100) || 100);
  const from = p.cursor ? Number(Buffer.from(String(p.cursor), 'base64').toString('utf8').replace('offset:', '')) : 0;
  const to = Math.min(items.length, from + limit);
  return { items: items.slice(from, to), next: to < items.length ? Buffer.from(`offset:${to}`).toString('base64') : '' };
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  return new FakeSlack(options).listen();
}
