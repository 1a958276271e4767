/**
 * `/wsa digest …` (docs/design.md §8): owners and admins subscribe channels to digests, list and
 * end subscriptions, preview a digest privately and post one now; anyone may say whether they
 * want to be named in power-user shout-outs (`digest opt-out`, `digest opt-in`).
 */
import type { Command, CommandContext } from '../src/core/registry.ts';
import type { CommandArgs } from '../src/core/grammar.ts';
import { UsageError } from '../src/core/errors.ts';
import { reply, type Reply } from '../src/core/reply.ts';
import { coveredPeriod, describeSchedule, nextSlot, scheduleFrom, type Schedule } from '../src/core/schedule.ts';
import { resolveGroup } from '../src/metrics/api.ts';
import { recordChoice } from '../src/store/digest-opt-ins.ts';
import { disableSubscription, getSubscription } from '../src/store/digest-subscriptions.ts';
import { describeInstant, digestKind, listing, listingLines, subscribe } from '../digests/support/subscriptions.ts';

const ACTIONS = ['subscribe', 'list', 'unsubscribe', 'preview', 'send-now', 'opt-out', 'opt-in'] as const;
type Action = (typeof ACTIONS)[number];
/** What anyone may do: their own answer about being named. */
const PERSONAL: ReadonlySet<string> = new Set(['opt-out', 'opt-in']);

function actionOf(args: CommandArgs): Action {
  const word = args.words[0]?.toLowerCase();
  if (word && (ACTIONS as readonly string[]).includes(word)) return word as Action;
  throw new UsageError(`\`digest\` takes one of: ${ACTIONS.join(', ')}${word ? ` (not "${args.words[0]}")` : ''}.`);
}

function pair(args: CommandArgs, key: string): string | undefined {
  return args.pairs.find(([k]) => k === key)?.[1];
}

function scheduleOf(args: CommandArgs): Schedule {
  return scheduleFrom({ day: pair(args, 'day'), time: pair(args, 'time'), tz: pair(args, 'tz'), every: pair(args, 'every') }, 'every:');
}

/** `<#C123|general>` or `<#C123>` as Slack escapes a channel mention, else the conversation asked in. */
function targetOf(ctx: CommandContext, word: string | undefined): string {
  const mention = word ? /^<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(word.trim()) : null;
  if (mention) return mention[1] as string;
  if (word) throw new UsageError(`"${word}" is not a channel: mention it with #, or ask in the channel itself.`);
  if (!ctx.channelId) throw new UsageError('Name the channel (#channel), or ask in the channel the digest should go to.');
  return ctx.channelId;
}

function platformOf(ctx: CommandContext): 'slack' | 'teams' {
  const platform = ctx.caller?.kind === 'person' ? ctx.caller.platform : undefined;
  if (!platform) throw new UsageError('Subscribe from Slack or Teams, or with `wsa digest subscribe … --to slack:CHANNEL_ID` at the command line.');
  return platform;
}

function actor(ctx: CommandContext): string {
  return ctx.identity.kind === 'operator' ? 'operator' : ctx.identity.email;
}

const say = (title: string, summary: string[], rows: Reply['rows'] = []): Reply => reply({ command: 'digest', title, summary, rows });

async function run(ctx: CommandContext, args: CommandArgs): Promise<Reply> {
  const action = actionOf(args);
  switch (action) {
    case 'subscribe': {
      const platform = platformOf(ctx);
      const target = targetOf(ctx, args.words[2]);
      const schedule = scheduleOf(args);
      const { subscription, group } = await subscribe(
        ctx.db,
        {
          kind: args.words[1],
          target: { platform, conversationId: target },
          schedule,
          group: args.group,
          createdBy: actor(ctx),
          ownerUserId: ctx.caller?.kind === 'person' ? (ctx.caller.platformUserId ?? null) : null,
        },
        ctx.digests,
        ctx.now,
      );
      return say('Digest subscribed', [
        `${subscription.kind} will be posted ${describeSchedule(schedule)}${group ? `, about ${group}` : ''} (id ${subscription.id}).`,
        `First post: ${describeInstant(nextSlot(schedule, ctx.now), schedule.timeZone)}.`,
      ], [{ id: subscription.id, kind: subscription.kind, target: `${platform}:${target}` }]);
    }
    case 'list': {
      const rows = await listing(ctx.db, ctx.now);
      return say('Digest subscriptions', listingLines(rows), rows as unknown as Reply['rows']);
    }
    case 'unsubscribe': {
      const id = args.words[1];
      if (!id) throw new UsageError('Which subscription? `digest list` shows their ids.');
      const sub = await getSubscription(ctx.db, id);
      const changed = await disableSubscription(ctx.db, sub.id, `unsubscribed by ${actor(ctx)}`, ctx.now);
      return say('Digest unsubscribed', [changed ? `${sub.id} (${sub.kind}) is switched off.` : `${sub.id} was already switched off.`]);
    }
    case 'preview': {
      const kind = digestKind(args.words[1]);
      const group = args.group ? await resolveGroup(ctx.db, args.group) : null;
      return kind.build({
        db: ctx.db,
        clock: ctx.clock,
        logger: ctx.logger,
        period: coveredPeriod('week', ctx.now),
        ...(group?.ids[0] ? { group: group.ids[0] } : {}),
        audience: 'private',
      });
    }
    case 'send-now': {
      const id = args.words[1];
      if (!id) throw new UsageError('Which subscription? `digest list` shows their ids.');
      if (!ctx.digests) throw new UsageError('Posting digests is not configured in this process.');
      const sent = await ctx.digests.sendNow(id);
      return say('Digest sent', [`${id}: ${sent.state} (${sent.period.start} – ${sent.period.end}). The scheduled post still goes out.`]);
    }
    case 'opt-out':
    case 'opt-in': {
      if (ctx.identity.kind !== 'person') throw new UsageError('Whether to be named is a person\'s own answer: ask it as them (`wsa ask --as EMAIL "digest opt-out"`).');
      const choice = action === 'opt-in' ? 'in' : 'out';
      await recordChoice(ctx.db, ctx.identity.email, choice, ctx.now);
      return say('Shout-outs', [
        choice === 'in'
          ? 'You may now be named in power-user shout-outs in channels. `digest opt-out` takes it back.'
          : 'You will not be named in power-user shout-outs in channels; you may still be counted. `digest opt-in` changes your mind.',
      ]);
    }
  }
}

export const command: Command = {
  name: 'digest',
  summary: 'Weekly digests for channels: subscribe, list, unsubscribe, preview, send-now; opt-out of shout-outs',
  details: [
    'subscribe KIND [#channel] [day:mon] [time:09:00] [tz:Europe/Paris] [team:NAME] [every:month] — kinds:',
    'weekly-adoption, weekly-impact, power-users. A weekly digest covers the Sunday–Saturday week before',
    'its slot; every:month, the previous calendar month on the first matching weekday. Owners and admins',
    'only, except `digest opt-out` / `digest opt-in`: whether you may be named in power-user shout-outs.',
  ],
  args: {
    word: { name: 'action', describe: 'subscribe, list, unsubscribe, preview, send-now, opt-out or opt-in, then its kind, channel or id', count: 3 },
    group: true,
    keys: { day: 'the weekday it is posted', time: 'the time it is posted (HH:MM)', tz: 'the time zone (IANA, e.g. Europe/Paris)', every: 'week or month' },
  },
  examples: ['digest subscribe weekly-adoption #ai-champions day:mon time:09:00 tz:Europe/Paris', 'digest list', 'digest opt-out'],
  access: (args) => (PERSONAL.has(args.words[0]?.toLowerCase() ?? '') ? 'everyone' : 'admin'),
  action: () => 'Managing digests',
  // The action is what was done (never the kind, channel or id typed after it, which the log may not keep).
  auditName: (args) => {
    const word = args.words[0]?.toLowerCase();
    return word && (ACTIONS as readonly string[]).includes(word) ? `digest ${word}` : 'digest';
  },
  privateOnly: true,
  run,
};
