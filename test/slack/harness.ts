/**
 * The Slack adapter under test: our real HTTP server (src/server/http.ts) with the adapter's
 * `/slack/events` route, the real Bolt app behind it, a fake Slack Web API on loopback, and an
 * answer function that records what the core was asked and returns realistic Replies. Requests are
 * signed exactly as Slack signs them (v0 HMAC-SHA256).
 */
import type { AddressInfo } from 'node:net';
import { stringify } from 'node:querystring';
import { createHash } from 'node:crypto';
import { createHttpServer, type HttpServer } from '../../src/server/http.ts';
import { silentLogger } from '../../src/log.ts';
import { reply, type ChartAttachment, type Reply } from '../../src/core/reply.ts';
import type { Answered } from '../../src/core/answer.ts';
import { createSlackAdapter, type AnswerFn, type SlackAdapter, type SlackAdapterOptions, type SlackCaller, type SlackWhere } from '../../src/adapters/slack/index.ts';
import { computeSlackSignature } from '../../src/adapters/slack/verify.ts';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../support/fake-slack.ts';

export const SIGNING_SECRET = 'test-signing-secret-5f1c2a9e';
export const ASKER = 'U0ASKER';
export const ASKER_EMAIL = 'asker@example.com';
export const CHANNEL = 'C0GENERAL';

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function signedHeaders(body: string, options: { timestamp?: number; secret?: string; contentType?: string } = {}): Record<string, string> {
  const timestamp = options.timestamp ?? nowSeconds();
  return {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': computeSlackSignature(options.secret ?? SIGNING_SECRET, timestamp, body),
  };
}

let triggerCounter = 0;
export function newTriggerId(): string {
  triggerCounter += 1;
  return `${Date.now()}.${triggerCounter}.${createHash('sha1').update(String(triggerCounter)).digest('hex').slice(0, 12)}`;
}

/** A slash command body as Slack sends it (form-encoded). */
export function slashCommandBody(fake: FakeSlack, overrides: Record<string, string> = {}): string {
  return stringify({
    token: 'verification-token-unused',
    team_id: fake.options.teamId,
    team_domain: 'example',
    channel_id: CHANNEL,
    channel_name: 'general',
    user_id: ASKER,
    user_name: 'asker',
    command: '/wsa',
    text: 'help',
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: fake.responseUrl(),
    trigger_id: newTriggerId(),
    ...overrides,
  });
}

/** An Events API envelope (JSON) for an app mention. */
export function appMentionBody(fake: FakeSlack, overrides: { eventId?: string; text?: string; user?: string; channel?: string } = {}): string {
  return JSON.stringify({
    token: 'verification-token-unused',
    team_id: fake.options.teamId,
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: overrides.eventId ?? `Ev${newTriggerId().replace(/\W/g, '')}`,
    event_time: nowSeconds(),
    authorizations: [{ team_id: fake.options.teamId, user_id: fake.options.botUserId, is_bot: true }],
    event: {
      type: 'app_mention',
      user: overrides.user ?? ASKER,
      text: overrides.text ?? `<@${fake.options.botUserId}> help`,
      ts: '1700000000.000100',
      channel: overrides.channel ?? CHANNEL,
      event_ts: '1700000000.000100',
    },
  });
}

/** An interactivity payload (form-encoded `payload=`) for a button click. */
export function buttonClickBody(fake: FakeSlack, actionId: string, value: string, triggerId = newTriggerId()): string {
  return stringify({
    payload: JSON.stringify({
      type: 'block_actions',
      team: { id: fake.options.teamId, domain: 'example' },
      user: { id: ASKER, username: 'asker', team_id: fake.options.teamId },
      api_app_id: 'A0001',
      token: 'verification-token-unused',
      trigger_id: triggerId,
      response_url: fake.responseUrl(),
      channel: { id: CHANNEL, name: 'general' },
      container: { type: 'message', message_ts: '1700000000.000200', channel_id: CHANNEL, is_ephemeral: true },
      actions: [{ type: 'button', action_id: actionId, block_id: 'b1', value, action_ts: '1700000001.000000', text: { type: 'plain_text', text: 'x' } }],
    }),
  });
}

export interface Posted {
  status: number;
  body: string;
  ms: number;
}

export async function post(url: string, body: string, headers: Record<string, string>): Promise<Posted> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, body: text, ms: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------
// Replies the fake core gives

/** A small valid Vega-Lite bar chart with inline data. */
export function barChart(title: string): ChartAttachment {
  return {
    kind: 'trend',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title,
      width: 240,
      height: 120,
      data: { values: [{ week: '2026-10-04', users: 120 }, { week: '2026-10-11', users: 135 }, { week: '2026-10-18', users: 150 }] },
      mark: 'bar',
      encoding: { x: { field: 'week', type: 'ordinal' }, y: { field: 'users', type: 'quantitative' } },
    },
    altText: `${title}: 120, 135 and 150 active users in the three weeks.`,
    fallbackText: 'Week        Active users\n2026-10-04  120\n2026-10-11  135\n2026-10-18  150',
  };
}

export function textReply(): Reply {
  return reply({
    command: 'help',
    title: 'wsa commands',
    summary: ['Ask `/wsa overview` for adoption at a glance.', 'Numbers <always> & everywhere.'],
  });
}

export function chartReply(): Reply {
  return reply({
    command: 'active-users',
    title: 'Active users',
    subtitle: 'Last 3 weeks',
    summary: ['150 people sent a message in the week of 18 Oct.'],
    values: { active_users: 150 },
    charts: [barChart('Active users per week')],
    footer: { lastUpdated: new Date('2026-10-25T08:00:00Z'), dataThrough: '2026-10-24', staleHours: null, groupsHidden: null, minGroupSize: null },
  });
}

export const PEOPLE = [
  { public_id: 'user-aaaaaaaaaaaaaaaaaaaaaaaa', name: 'Ada Lovelace', email: 'ada@example.com', messages: 900 },
  { public_id: 'user-bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Grace Hopper', email: 'grace@example.com', messages: 800 },
];

export function peopleReply(): Reply {
  return reply({
    command: 'top-users',
    title: 'Top users',
    summary: ['2 people sent 1,700 messages.', 'Ada Lovelace sent the most.'],
    values: { senders: 2 },
    rows: PEOPLE,
    table: {
      columns: [
        { key: 'name', label: 'Name' },
        { key: 'email', label: 'Email' },
        { key: 'messages', label: 'Messages', format: 'count' },
      ],
      rows: PEOPLE,
      noun: 'users',
    },
    charts: [{ ...barChart('Messages per week'), kind: 'trend' }],
  });
}

export function csvReply(): Reply {
  return reply({
    command: 'export',
    title: 'Users export',
    summary: ['2 rows.'],
    files: [{ kind: 'csv', name: 'users.csv', content: 'public_id,messages\nuser-a,900\nuser-b,800\n' }],
  });
}

export interface AnswerCall {
  caller: SlackCaller;
  text: string;
  where: SlackWhere;
}

/**
 * A fake core's answer: into a channel, the core's aggregate form as the core would make it (the
 * same Reply without people's rows and lines) — the adapter only delivers what it is given.
 */
export function answeredAs(full: Reply, where: SlackWhere): Answered {
  if (!where.toChannel || full.error) return { reply: full, channel: null };
  const people = /Ada|Grace|@/;
  const aggregate: Reply = { ...full, rows: [], table: null, summary: full.summary.filter((l) => !people.test(l)), files: [] };
  return { reply: full, channel: { reply: aggregate, form: 'aggregate', reason: '1 of 2 readers of the channel may not see people' } };
}

/** The fake core: the first word of the text picks the Reply. */
export function recordingAnswer(calls: AnswerCall[], delayMs = 0): AnswerFn {
  return async (caller, text, where) => {
    calls.push({ caller, text, where });
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const word = text.split(' ')[0] ?? '';
    const full =
      word === 'active-users' ? chartReply() : word === 'top-users' ? peopleReply() : word === 'export' ? csvReply() : word === 'boom' ? null : textReply();
    if (full === null) throw new Error('the core failed');
    return answeredAs(full, where);
  };
}

// ---------------------------------------------------------------------------------------------

export interface Harness {
  fake: FakeSlack;
  adapter: SlackAdapter;
  http: HttpServer;
  /** `http://127.0.0.1:{port}/slack/events` */
  eventsUrl: string;
  answers: AnswerCall[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  fake?: FakeSlackOptions;
  adapter?: Partial<SlackAdapterOptions>;
  /** Give the bot ids (no auth.test at start); default true. */
  botIds?: boolean;
  answerDelayMs?: number;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeSlack({ users: { [ASKER]: ASKER_EMAIL }, ...options.fake });
  const answers: AnswerCall[] = [];
  const logger = silentLogger();
  const adapter = createSlackAdapter({
    botToken: fake.options.botToken,
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    ...(options.botIds === false ? {} : { botId: fake.options.botId, botUserId: fake.options.botUserId }),
    answer: recordingAnswer(answers, options.answerDelayMs),
    logger,
    retryPolicy: { maxAttempts: 3, maxRetryAfterMs: 5000, backoffMs: 50 },
    ...options.adapter,
  });
  const http = createHttpServer({
    routes: adapter.route ? [adapter.route] : [],
    logger,
    health: { ready: () => true, detail: () => ({}) },
  });
  const address: AddressInfo = await http.listen(0, '127.0.0.1');
  await adapter.start();
  return {
    fake,
    adapter,
    http,
    eventsUrl: `http://127.0.0.1:${address.port}/slack/events`,
    answers,
    async close() {
      await adapter.stop();
      await http.close();
      await fake.close();
    },
  };
}

/** A realistic groups answer with `rows` groups: values, a comparison, a chart, a table, warnings, a footer. */
export function groupsReply(rows: number): Reply {
  const table = Array.from({ length: rows }, (_, i) => ({ group: `Group ${String(i + 1).padStart(2, '0')}`, members: 100 + i, active_users: 50 + i }));
  return reply({
    command: 'groups',
    title: 'Groups',
    subtitle: 'Last 4 weeks · 4–31 Oct 2026',
    summary: ['40 groups; the busiest is Group 40.'],
    values: { groups_hidden: 2, active_users: 1234, activation_rate: 0.9066 },
    valueKeys: ['active_users', 'activation_rate', 'groups_hidden'],
    comparison: { label: 'the 4 weeks before', changes: { active_users: 0.123, activation_rate: null } },
    rows: table,
    table: {
      columns: [
        { key: 'group', label: 'Group' },
        { key: 'members', label: 'Members', format: 'count' },
        { key: 'active_users', label: 'Active users', format: 'count' },
      ],
      rows: table,
      noun: 'groups',
    },
    charts: [barChart('Active users per group')],
    warnings: ['2 groups with fewer than 10 members are hidden.'],
    footer: { lastUpdated: new Date('2026-11-01T06:30:00Z'), dataThrough: '2026-10-31', staleHours: null, groupsHidden: 2, minGroupSize: 10 },
  });
}
