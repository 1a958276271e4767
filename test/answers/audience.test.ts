/**
 * The channel's form of an answer, decided by the core from who reads the channel (docs/design.md
 * §7), on a generated workspace: readers who may all see people get the full answer; a channel
 * with one member gets, for every command, no email, no person's name, no person row, no
 * per-person chart and no group under the minimum size, and a `team:` filter on such a group is
 * refused there. What is hidden is worked out from the directory here, not by the code under test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFor } from '../../src/core/answer.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { registry } from '../../commands/index.ts';
import { storeGrants } from '../../src/core/access/grants.ts';
import { storeAudit } from '../../src/core/access/audit.ts';
import type { Reply } from '../../src/core/reply.ts';
import { silentLogger } from '../../src/log.ts';
import { loadDemo } from '../../src/local/load-demo.ts';
import { addGrants } from '../../src/store/grants.ts';
import { readAudit } from '../../src/store/audit.ts';
import { backends, openTestStore, type TestStore } from '../support/store.ts';

const NOW = new Date('2026-11-25T09:00:00Z');
const clock = fixedClock(NOW);
const EMAIL = /[^\s@<>()"',;|]+@[^\s@<>()"',;|]+\.[a-z]{2,}/i;
const MIN_GROUP_SIZE = 10;

/** Everything of a Reply a channel would show, as text. */
function shown(r: Reply): string {
  return JSON.stringify({
    title: r.title,
    subtitle: r.subtitle,
    summary: r.summary,
    warnings: r.warnings,
    values: r.values,
    series: r.series,
    rows: r.rows,
    table: r.table,
    charts: r.charts.map((c) => ({ spec: c.spec, alt: c.altText, fallback: c.fallbackText })),
    filters: r.filters,
  });
}

describe.each(backends())('the channel audience on %s', (backend) => {
  let store: TestStore;
  let owner: string;
  let admin: string;
  let member: string;
  let names: string[];
  let publicIds: string[];
  let small: string[];
  let smallest: { name: string; members: number };

  beforeAll(async () => {
    store = await openTestStore(backend);
    const dir = await mkdtemp(join(tmpdir(), 'wsa-audience-'));
    try {
      await loadDemo(store.db, { clock, logger: silentLogger(), dir, demo: false, generate: { users: 400, weeks: 8, source: 'events', today: '2026-11-25' } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const snap = await store.db.selectFrom('directory_snapshots').select('id').orderBy('as_of', 'desc').orderBy('period_start', 'desc').executeTakeFirstOrThrow();
    const accounts = await store.db
      .selectFrom('directory_accounts')
      .select(['email', 'name', 'public_id', 'user_role', 'user_status'])
      .where('snapshot_id', '=', snap.id)
      .execute();
    const enabled = (role: string) => accounts.find((a) => a.user_role === role && a.user_status === 'enabled' && a.email)!.email as string;
    owner = enabled('account-owner');
    admin = enabled('account-admin');
    member = enabled('standard-user');
    names = accounts.flatMap((a) => (a.name && a.name.includes(' ') ? [a.name] : []));
    publicIds = accounts.flatMap((a) => (a.public_id ? [a.public_id] : []));
    const { rows } = await sql<{ name: string; members: number }>`
      select g.name, count(distinct a.account_key)::int as members
      from directory_accounts a cross join lateral unnest(a.group_ids) as gid(group_id)
      join scim_groups g on g.group_id = gid.group_id
      where a.snapshot_id = ${snap.id} group by g.name order by members, g.name`.execute(store.db);
    small = rows.filter((r) => r.members < MIN_GROUP_SIZE).map((r) => r.name);
    smallest = rows.find((r) => !r.name.includes('"'))!;
    await addGrants(store.db, { email: 'viewer@example.org', groupIds: null, source: 'manual', grantedBy: 'operator', at: NOW });
  }, 180_000);
  afterAll(async () => {
    await store?.close();
  });

  const ask = (text: string, readers: (string | null)[]) =>
    answerFor({
      db: store.db,
      clock,
      logger: silentLogger(),
      registry,
      caller: { kind: 'person', email: owner, platform: 'slack', platformUserId: 'U0OWNER' },
      text,
      where: 'channel',
      channelId: 'C0CHAN',
      readers: async () => readers,
      grants: storeGrants,
      onDecision: storeAudit(store.db),
    });

  it('the fixture has small groups and people to hide, which the full answers show', async () => {
    expect(small.length).toBeGreaterThan(0);
    expect(names.length).toBeGreaterThan(100);
    const full = await ask('groups', [owner]);
    expect(small.some((g) => shown(full.reply).includes(JSON.stringify(g)))).toBe(true);
    expect(shown((await ask('gpts last-3-months', [owner])).reply)).toMatch(EMAIL);
  });

  it('a channel of owners and admins gets the full answer, and the audit log says so', async () => {
    const answered = await ask('top-users last-4-weeks', [owner, admin.toUpperCase()]);
    expect(answered.channel).toMatchObject({ form: 'full' });
    expect(answered.channel?.reply).toBe(answered.reply);
    expect(answered.reply.rows.length).toBeGreaterThan(0);
    const [entry] = (await readAudit(store.db)).slice(-1);
    expect(entry).toMatchObject({ where: 'channel', channelId: 'C0CHAN', decision: 'allowed' });
    expect(entry?.reason).toMatch(/channel got the full answer: every reader of the channel \(2\) may see people/);
  });

  it('one member, one reader without an email, or readers not known in time: the aggregate form', async () => {
    for (const readers of [[owner, member], [owner, null], [owner, 'stranger@example.org']]) {
      const answered = await ask('top-users last-4-weeks', readers);
      expect(answered.channel).toMatchObject({ form: 'aggregate', reason: '1 of 2 readers of the channel may not see people' });
    }
    const slow = await answerFor({
      db: store.db, clock, logger: silentLogger(), registry, caller: { kind: 'person', email: owner }, text: 'overview',
      where: 'channel', readers: () => new Promise(() => {}), audienceDeadlineMs: 50, grants: storeGrants,
    });
    expect(slow.channel).toMatchObject({ form: 'aggregate', reason: "the channel's readers were not known within 0.05 s" });
    const viewer = await ask('overview', [owner, 'viewer@example.org']);
    // A whole-workspace viewer granted before joining the directory is not an enabled account yet.
    expect(viewer.channel?.form).toBe('aggregate');
  });

  const texts = [...new Set(registry.commands.flatMap((c) => c.examples.filter((e) => !/^settings .+:/.test(e) && !/^(grant|revoke|audit)\b/.test(e))))];

  it.each(texts)('%s: the aggregate form shows no person and no small group', { timeout: 120_000 }, async (text) => {
    const answered = await ask(text, [owner, member]);
    if (answered.reply.error) return;
    const form = answered.channel!;
    expect(form.form).toBe('aggregate');
    expect(form.reply.files).toEqual([]);
    if (form.reply.error) {
      expect(form.reply.error.message).toMatch(/about a person|fewer than the minimum group size/);
      return;
    }
    const text2 = shown(form.reply);
    expect(text2).not.toMatch(EMAIL);
    for (const name of names) expect(text2, name).not.toContain(name);
    for (const id of publicIds) expect(text2, id).not.toContain(id);
    for (const g of small) expect(text2, g).not.toContain(JSON.stringify(g));
    expect(form.reply.charts.filter((c) => c.kind === 'top-n' && /user|people|sender/i.test(c.altText))).toEqual([]);
  });

  it('refuses a team: filter on a group under the minimum size in a channel, and the asker gets the answer', async () => {
    const answered = await ask(`messages team:"${smallest.name}"`, [owner, member]);
    expect(answered.reply.error).toBeNull();
    expect(answered.channel?.reply.error?.message).toBe(
      `${smallest.name} has ${smallest.members} member${smallest.members === 1 ? '' : 's'}, fewer than the minimum group size of ${MIN_GROUP_SIZE}: its figures are not posted into a channel whose readers may not all see people.`,
    );
  });
});
