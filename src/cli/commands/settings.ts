import { parseSettingsArgs, SETTINGS_KEYS } from '../../core/settings-args.ts';
import { getSettings, updateSettings, type WorkspaceSettings } from '../../store/settings.ts';
import { appendAudit } from '../../store/audit.ts';
import { CommandLineError, EXIT_OK, type CliCommand } from '../context.ts';

export function describeSettings(s: WorkspaceSettings): string {
  return [
    `seats purchased:      ${s.seatsPurchased ?? 'not set'}`,
    `benchmark industry:   ${s.benchmarkIndustry ?? 'not set (technology is used)'}`,
    `EU data residency:    ${s.euDataResidency ? 'yes' : 'no'}`,
    `task insights:        ${s.taskInsights ? 'on' : 'off'}${s.taskInsightsExplicit ? '' : ' (default)'}`,
    `minimum group size:   ${s.minGroupSize}`,
  ].join('\n');
}

export const command: CliCommand = {
  name: 'settings',
  usage:
    'wsa settings [seats:N|none] [industry:KEY] [eu-data-residency:yes|no] [task-insights:on|off|default] [min-group-size:N]',
  help: [
    'Without arguments, shows the workspace settings; with key:value pairs, changes those and',
    'shows the result. Every problem in the pairs is reported together and nothing is changed.',
    '',
    ...Object.entries(SETTINGS_KEYS).map(([key, what]) => `  ${`${key}:`.padEnd(19)} ${what}`),
  ],
  async run(args, ctx) {
    const pairs = args.map((arg) => {
      const m = /^([a-z-]+)[:=](.+)$/i.exec(arg);
      if (!m) throw new CommandLineError(`"${arg}" is not key:value`);
      return [m[1] as string, m[2] as string] as const;
    });
    const patch = parseSettingsArgs(pairs);
    const store = await ctx.openStore();
    try {
      if (pairs.length > 0) {
        const at = ctx.clock.now();
        await updateSettings(store.db, patch, at);
        const keys = pairs.map(([k]) => k.toLowerCase());
        await appendAudit(store.db, { at, actor: 'operator', platform: 'cli', command: 'settings', keys, where: 'cli', decision: 'allowed', reason: 'settings changed' });
      }
      ctx.stdout.write(`${describeSettings(await getSettings(store.db))}\n`);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
