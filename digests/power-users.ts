/**
 * `power-users` (docs/design.md §8): the period's power users with their messages and tools,
 * written as a shout-out for a champions channel. A private reader sees the first of them by
 * name; a channel whose readers are not all analytics viewers sees by name only the people who
 * agreed to be named (`digest_opt_ins`), and the others are counted. `wouldName` lists whom a
 * shout-out would name if they agreed, so the delivery can ask them once.
 */
import type { DigestInput, DigestKind } from '../src/core/digest.ts';
import { formatRange } from '../src/core/periods.ts';
import { reply, type Column, type Reply, type Row } from '../src/core/reply.ts';
import { powerUsers, type MetricAnswer } from '../src/metrics/api.ts';
import { optInChoices } from '../src/store/digest-opt-ins.ts';
import { emailKey } from '../src/store/directory-accounts.ts';
import { topOf } from '../commands/support/charts.ts';
import { num, plural } from '../commands/support/metric-reply.ts';
import { asPeriod, digestFooter, digestRequest } from './support/digest-request.ts';

/** People named in one shout-out at most. */
export const SHOUT_OUT_NAMES = 10;

interface PowerUser {
  readonly name: string;
  readonly email: string | null;
  readonly messages: number;
  readonly tools: number;
}

function personOf(row: Row): PowerUser {
  const email = typeof row.email === 'string' && row.email !== '' ? row.email : null;
  const name = typeof row.name === 'string' && row.name.trim() !== '' ? row.name.trim() : (email ?? String(row.public_id ?? ''));
  return { name, email, messages: Number(row.messages ?? 0), tools: Number(row.tools_messaged ?? 0) };
}

/** "Lindqvist, Taylor" → "Taylor Lindqvist": a shout-out reads as people talk. */
function spoken(name: string): string {
  const parts = name.split(',').map((p) => p.trim());
  return parts.length === 2 && parts[0] && parts[1] ? `${parts[1]} ${parts[0]}` : name;
}

async function ranked(input: DigestInput): Promise<{ answer: MetricAnswer; people: PowerUser[] }> {
  const req = await digestRequest(input, input.period);
  // Channel or not, names are read here and filtered below: the metric's aggregate form has none.
  const answer = await powerUsers(input.db, { ...req, aggregateOnly: false }, input.audience === 'private' ? { limit: SHOUT_OUT_NAMES } : {});
  return { answer, people: answer.rows.map(personOf) };
}

/** Who may be named: everyone for a private reader; in a channel, those who said yes. */
async function nameable(input: DigestInput, people: readonly PowerUser[]): Promise<PowerUser[]> {
  if (input.audience === 'private') return people.slice(0, SHOUT_OUT_NAMES);
  const choices = await optInChoices(input.db, people.flatMap((p) => (p.email ? [p.email] : [])));
  return people.filter((p) => p.email !== null && choices.get(emailKey(p.email)) === 'in').slice(0, SHOUT_OUT_NAMES);
}

/** The first power users, in rank order, who have never been asked whether they may be named. */
export async function wouldName(input: DigestInput): Promise<Array<{ name: string; email: string }>> {
  const { people } = await ranked({ ...input, audience: 'channel' });
  const first = people.slice(0, SHOUT_OUT_NAMES).filter((p): p is PowerUser & { email: string } => p.email !== null);
  const choices = await optInChoices(input.db, first.map((p) => p.email));
  return first.filter((p) => !choices.has(emailKey(p.email))).map((p) => ({ name: p.name, email: p.email }));
}

const COLUMNS: readonly Column[] = [
  { key: 'name', label: 'Power user' },
  { key: 'messages', label: 'Messages', format: 'count' },
  { key: 'tools', label: 'Tools', format: 'count' },
];

async function build(input: DigestInput): Promise<Reply> {
  const { answer, people } = await ranked(input);
  const named = await nameable(input, people);
  const total = num(answer, 'power_users') ?? 0;
  const others = total - named.length;
  const rows: Row[] = named.map((p) => ({ name: spoken(p.name), messages: p.messages, tools: p.tools }));

  const summary: string[] = [];
  if (answer.covered === null) summary.push(`No usage data for ${formatRange(input.period)}.`);
  else if (total === 0) summary.push('No power users this time: nobody was in the top 20% with 75+ messages a week and 3+ tools.');
  else {
    const leaders = rows.slice(0, 3).map((r) => String(r.name));
    const led = leaders.length === 0 ? '' : `, led by ${leaders.length === 1 ? leaders[0] : `${leaders.slice(0, -1).join(', ')} and ${leaders[leaders.length - 1]}`}`;
    summary.push(`A shout-out to this period's ${plural(total, 'power user', 'power users')}${led}!`);
  }
  if (total > 0) summary.push('Power users are in the top 20% of senders, average 75 or more messages a week and used 3 or more different tools.');

  const chartAnswer: MetricAnswer = { ...answer, rows: rows.map((r) => ({ name: r.name, messages: r.messages })), rowsTotal: total };
  const charts = rows.length > 1 ? topOf('power users', ['name'], 'messages', 'Power users by messages', true)({
    period: asPeriod(input.period),
    answer: chartAnswer,
    before: null,
    minGroupSize: null,
  }) : [];
  return reply({
    command: 'power-users-digest',
    title: 'Power-user shout-out',
    subtitle: [formatRange(input.period), answer.group ? `team: ${answer.group.name}` : null].filter(Boolean).join(' · '),
    summary,
    period: { start: input.period.start, end: input.period.end, grain: null, partial: answer.partial },
    filters: { group: answer.group?.name ?? null },
    values: { power_users: total, senders: num(answer, 'senders'), named: named.length },
    valueKeys: ['power_users', 'senders'],
    rows,
    table: rows.length > 0 ? { columns: COLUMNS, rows, noun: 'power users', ...(others > 0 ? { total } : {}) } : null,
    charts,
    footer: await digestFooter(input, answer, null),
  });
}

export const digest: DigestKind = {
  name: 'power-users',
  summary: "The period's power users as a shout-out for a champions channel (names only those who agreed, in a channel)",
  build,
  wouldName,
};
