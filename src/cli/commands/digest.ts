/**
 * `wsa digest …` (docs/design.md §6, §8): subscriptions for the operator, a preview, a post now,
 * and `run-due` for an external scheduler (the server's own tick runs the same due-logic).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../../core/errors.ts';
import { renderText } from '../../core/format.ts';
import { toJson } from '../../core/reply.ts';
import { coveredPeriod, describeSchedule, nextSlot, scheduleFrom } from '../../core/schedule.ts';
import { resolveGroup } from '../../metrics/api.ts';
import { appendAudit } from '../../store/audit.ts';
import { disableSubscription, getSubscription, type DigestPlatform } from '../../store/digest-subscriptions.ts';
import type { DbOrTx } from '../../store/schema.ts';
import type { Store } from '../../store/open.ts';
import { digestActions, runDue, sendNow, type DigestRunDeps } from '../../delivery/digest-runs.ts';
import { DIGESTS } from '../../../digests/index.ts';
import { describeInstant, digestKind, listing, listingLines, subscribe } from '../../../digests/support/subscriptions.ts';
import { CommandLineError, EXIT_FAILED, EXIT_OK, type CliCommand, type CliContext } from '../context.ts';
import { writeAttachments } from './ask.ts';

const USAGE = [
  'wsa digest subscribe KIND --to slack:CHANNEL_ID|teams:CONVERSATION_ID [--day mon] [--time 09:00] [--tz ZONE] [--team NAME] [--every week|month]',
  'wsa digest list [--json]',
  'wsa digest unsubscribe ID',
  'wsa digest preview KIND [--team NAME] [--json] [--out DIR]',
  'wsa digest send-now ID',
  'wsa digest run-due',
].join('\n       ');

type Options = Record<string, { type: 'string' | 'boolean' }>;

function parse(args: string[], options: Options): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (error) {
    throw new CommandLineError((error as Error).message.replace(/\. To specify a positional.*$/s, '.'));
  }
}

/** `slack:C123` / `teams:19:abc@thread.tacv2` → platform and id. */
export function parseTarget(text: string): { platform: DigestPlatform; target: string } {
  const m = /^(slack|teams):(.+)$/i.exec(text.trim());
  if (!m || !m[2]?.trim()) throw new CommandLineError(`--to is slack:CHANNEL_ID or teams:CONVERSATION_ID, not "${text}"`);
  return { platform: m[1]!.toLowerCase() as DigestPlatform, target: m[2].trim() };
}


async function withStore<T>(ctx: CliContext, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await ctx.openStore();
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The digest runner's dependencies, with the platforms this configuration can post to. */
async function withPosting<T>(ctx: CliContext, store: Store, work: (deps: DigestRunDeps) => Promise<T>): Promise<T> {
  const made = ctx.digestPosters ? await ctx.digestPosters(store) : null;
  try {
    return await work({
      db: store.db,
      clock: ctx.clock,
      logger: ctx.logger,
      digests: DIGESTS,
      posters: made?.posters ?? {},
      catchUpMs: ctx.config.digestCatchUpMs,
    });
  } finally {
    await made?.close();
  }
}

async function audit(db: DbOrTx, ctx: CliContext, command: string, keys: string[], reason: string): Promise<void> {
  await appendAudit(db, { at: ctx.clock.now(), actor: 'operator', platform: 'cli', command, keys, where: 'cli', decision: 'allowed', reason });
}

async function subscribeCommand(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(args, {
    to: { type: 'string' },
    day: { type: 'string' },
    time: { type: 'string' },
    tz: { type: 'string' },
    team: { type: 'string' },
    every: { type: 'string' },
  });
  if (positionals.length > 1) throw new CommandLineError(`unexpected "${positionals.slice(1).join(' ')}"`);
  const text = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const to = text('to');
  if (!to) throw new CommandLineError('subscribe needs --to slack:CHANNEL_ID or --to teams:CONVERSATION_ID');
  const { platform, target } = parseTarget(to);
  const schedule = scheduleFrom({ day: text('day'), time: text('time'), tz: text('tz'), every: text('every') }, '--every');
  return withStore(ctx, async (store) => {
    const { subscription, group } = await withPosting(ctx, store, (deps) =>
      subscribe(
        store.db,
        { kind: positionals[0], target: { platform, conversationId: target }, schedule, group: text('team') ?? null, createdBy: 'operator' },
        digestActions(deps),
        ctx.clock.now(),
      ),
    );
    await audit(store.db, ctx, 'digest subscribe', Object.keys(values).filter((k) => values[k] !== undefined), `subscribed ${subscription.id}`);
    ctx.stdout.write(`${subscription.id}\n`);
    ctx.stderr.write(
      `${subscription.kind} to ${platform}:${target}${group ? ` (team: ${group})` : ''}, ${describeSchedule(schedule)}; ` +
        `first post ${describeInstant(nextSlot(schedule, ctx.clock.now()), schedule.timeZone)}.\n`,
    );
    return EXIT_OK;
  });
}

async function list(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (positionals.length > 0) throw new CommandLineError(`unexpected "${positionals.join(' ')}"`);
  return withStore(ctx, async (store) => {
    const rows = await listing(store.db, ctx.clock.now());
    ctx.stdout.write(values.json ? `${JSON.stringify({ rows }, null, 2)}\n` : `${listingLines(rows).join('\n')}\n`);
    return EXIT_OK;
  });
}

async function unsubscribe(args: string[], ctx: CliContext): Promise<number> {
  const { positionals } = parse(args, {});
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new CommandLineError('unsubscribe takes one subscription id (see wsa digest list)');
  return withStore(ctx, async (store) => {
    const sub = await getSubscription(store.db, id);
    const changed = await disableSubscription(store.db, sub.id, 'unsubscribed by the operator', ctx.clock.now());
    await audit(store.db, ctx, 'digest unsubscribe', [], changed ? `unsubscribed ${sub.id}` : `${sub.id} was already off`);
    ctx.stdout.write(changed ? `Unsubscribed ${sub.id} (${sub.kind} to ${sub.platform}:${sub.target}).\n` : `${sub.id} was already unsubscribed.\n`);
    return EXIT_OK;
  });
}

async function preview(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parse(args, { team: { type: 'string' }, json: { type: 'boolean' }, out: { type: 'string' } });
  const kind = digestKind(positionals[0]);
  return withStore(ctx, async (store) => {
    const group = values.team !== undefined ? await resolveGroup(store.db, String(values.team)) : null;
    const reply = await kind.build({
      db: store.db,
      clock: ctx.clock,
      logger: ctx.logger,
      period: coveredPeriod('week', ctx.clock.now()),
      ...(group?.ids[0] ? { group: group.ids[0] } : {}),
      audience: 'private',
    });
    const written = values.out ? await writeAttachments(reply, String(values.out), ctx) : [];
    ctx.stdout.write(values.json ? `${JSON.stringify(toJson(reply, written), null, 2)}\n` : `${renderText(reply)}\n`);
    return EXIT_OK;
  });
}

async function post(args: string[], ctx: CliContext): Promise<number> {
  const { positionals } = parse(args, {});
  const id = positionals[0];
  if (!id || positionals.length > 1) throw new CommandLineError('send-now takes one subscription id (see wsa digest list)');
  return withStore(ctx, async (store) => {
    const sent = await withPosting(ctx, store, (deps) => sendNow(deps, id));
    await audit(store.db, ctx, 'digest send-now', [], `${id}: ${sent.state}`);
    ctx.stdout.write(`${id}: ${sent.state} (${sent.period.start} – ${sent.period.end})\n`);
    return sent.state === 'posted' ? EXIT_OK : EXIT_FAILED;
  });
}

async function due(args: string[], ctx: CliContext): Promise<number> {
  const { positionals } = parse(args, {});
  if (positionals.length > 0) throw new CommandLineError(`unexpected "${positionals.join(' ')}"`);
  return withStore(ctx, async (store) => {
    const summary = await withPosting(ctx, store, (deps) => runDue(deps));
    ctx.stdout.write(
      `posted ${summary.posted}, failed ${summary.failed}, missed ${summary.missed}, target gone ${summary.gone}, left to others ${summary.skipped}\n`,
    );
    return summary.failed > 0 || summary.gone > 0 ? EXIT_FAILED : EXIT_OK;
  });
}

const ACTIONS: Readonly<Record<string, (args: string[], ctx: CliContext) => Promise<number>>> = {
  subscribe: subscribeCommand,
  list,
  unsubscribe,
  preview,
  'send-now': post,
  'run-due': due,
};

export const command: CliCommand = {
  name: 'digest',
  usage: USAGE,
  help: [
    'Kinds: weekly-adoption, weekly-impact, power-users. A subscription posts the digest of the',
    'Sunday–Saturday week before its slot (or, with --every month, of the previous calendar month on',
    'the first matching weekday of the month). Default slot: Monday 09:00 UTC.',
    'run-due posts every digest that is due, once across every process using this store, then exits:',
    '0 when nothing failed, 1 when a due post finally failed.',
  ],
  async run(args, ctx) {
    const [action, ...rest] = args;
    const run = action ? ACTIONS[action] : undefined;
    if (!run) throw new CommandLineError(`digest needs one of: ${Object.keys(ACTIONS).join(', ')}`);
    return run(rest, ctx);
  },
};
