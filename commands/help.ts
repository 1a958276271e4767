/** `/wsa help` and `/wsa help <command>`: derived from the registry, so it never drifts. */
import { UsageError } from '../src/core/errors.ts';
import { closest } from '../src/core/did-you-mean.ts';
import { PRESETS, defaultPreset, describePeriod, presetPeriod } from '../src/core/periods.ts';
import type { Command, Registry } from '../src/core/registry.ts';
import { reply, type Reply } from '../src/core/reply.ts';
import type { Need } from '../src/core/access/policy.ts';
import { INVOCATION, usage as usageWords } from '../src/core/wording.ts';

const WHO: Record<Need, string> = {
  everyone: 'everyone',
  viewer: 'owners, admins, analytics viewers',
  admin: 'owners and admins',
};

function whoFor(c: Command): string {
  if (typeof c.access === 'string') return WHO[c.access];
  return c.name === 'settings' ? 'view: owners, admins, analytics viewers; change: owners and admins' : WHO.viewer;
}

/** `/wsa overview [PERIOD] [team:NAME]` — the command line a person types. */
export function usageLine(c: Command): string {
  const parts = [`${INVOCATION} ${c.name}`];
  if (c.args.word) parts.push(`[${c.args.word.name}]`);
  if (c.args.period) parts.push('[PERIOD | period:PERIOD | from:YYYY-MM-DD to:YYYY-MM-DD]');
  if (c.args.grain) parts.push('[by:day|week|month]');
  if (c.args.group) parts.push('[team:NAME]');
  for (const key of Object.keys(c.args.keys ?? {})) parts.push(`[${key}:VALUE]`);
  return parts.join(' ');
}

function list(registry: Registry): Reply {
  const rows = registry.commands.map((c) => ({ command: c.name, summary: c.summary, who: whoFor(c) }));
  return reply({
    command: 'help',
    title: 'wsa — workspace analytics',
    summary: [
      `Ask \`${INVOCATION} <command>\`, optionally with a period and a team, e.g. \`${INVOCATION} active-users last-4-weeks team:"Sales EMEA"\`.`,
      `Periods: ${PRESETS.join(', ')} (as the word alone or as period:, e.g. period:last-4-weeks), or from:YYYY-MM-DD to:YYYY-MM-DD (up to 12 months). Trends: by:day, by:week or by:month.`,
      `\`${INVOCATION} help <command>\` explains one command.`,
    ],
    rows,
    table: {
      noun: 'commands',
      limit: rows.length,
      columns: [
        { key: 'command', label: 'Command' },
        { key: 'summary', label: 'What it answers', maxChars: 100 },
      ],
      rows,
    },
  });
}

function one(c: Command, today: string): Reply {
  const lines = [c.summary + '.', ...(c.details ?? [])];
  const usage = usageLine(c);
  const about: string[] = [`Usage: ${usage}`];
  if (c.args.period) {
    about.push(`PERIOD: ${PRESETS.join(', ')}; the word alone or period:PERIOD.`);
    about.push(`Default period: ${describePeriod(presetPeriod(defaultPreset(c.name), today))}.`);
  }
  if (c.args.group) about.push('team: (or group:) limits the answer to one group; names match whatever the case.');
  for (const [key, meaning] of Object.entries(c.args.keys ?? {})) about.push(`${key}: ${meaning}`);
  about.push(`Who may use it: ${whoFor(c)}.`);
  about.push(`Examples: ${c.examples.map((e) => `\`${INVOCATION} ${e}\``).join(', ')}`);
  return reply({
    command: 'help',
    title: `${INVOCATION} ${c.name}`,
    summary: [...lines, '', ...about],
    rows: [
      {
        command: c.name,
        summary: c.summary,
        usage,
        who: whoFor(c),
        default_period: c.args.period ? defaultPreset(c.name) : null,
        examples: c.examples.map((e) => `${INVOCATION} ${e}`),
      },
    ],
  });
}

export const command: Command = {
  name: 'help',
  summary: 'The commands, or how to use one',
  args: { word: { name: 'command', describe: 'the command to explain' } },
  examples: ['help', 'help active-users'],
  access: 'everyone',
  async run(ctx, args) {
    if (args.word === null) return list(ctx.registry);
    const name = args.word.toLowerCase().replace(/^\/?wsa\s*/, '');
    const c = ctx.registry.find(name);
    if (!c) {
      throw new UsageError(usageWords.unknownHelpTopic(args.word, closest(name, ctx.registry.commands.map((x) => x.name))));
    }
    return one(c, ctx.today);
  },
};
