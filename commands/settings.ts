/** `/wsa settings`: show the workspace settings (viewers), or change them (owners and admins). */
import { SETTINGS_KEYS, parseSettingsArgs } from '../src/core/settings-args.ts';
import { findIndustry, DEFAULT_INDUSTRY } from '../src/core/benchmarks.ts';
import { formatCount } from '../src/core/format.ts';
import type { Command } from '../src/core/registry.ts';
import { reply } from '../src/core/reply.ts';
import { getSettings, updateSettings, type WorkspaceSettings } from '../src/store/settings.ts';

function rowsOf(s: WorkspaceSettings) {
  const industry = s.benchmarkIndustry ? findIndustry(s.benchmarkIndustry) : undefined;
  return [
    {
      setting: 'seats',
      value: s.seatsPurchased,
      shown: s.seatsPurchased === null ? 'not set' : formatCount(s.seatsPurchased),
      label: 'Seats purchased',
    },
    {
      setting: 'industry',
      value: s.benchmarkIndustry,
      shown: industry?.label ?? `not set (${findIndustry(DEFAULT_INDUSTRY)?.label ?? DEFAULT_INDUSTRY} is used)`,
      label: 'Benchmark industry',
    },
    {
      setting: 'eu-data-residency',
      value: s.euDataResidency,
      shown: s.euDataResidency ? 'yes' : 'no',
      label: 'EU data residency',
    },
    {
      setting: 'task-insights',
      value: s.taskInsights,
      shown: `${s.taskInsights ? 'on' : 'off'}${s.taskInsightsExplicit ? '' : ' (default)'}`,
      label: 'Task insights',
    },
    {
      setting: 'min-group-size',
      value: s.minGroupSize,
      shown: formatCount(s.minGroupSize),
      label: 'Minimum group size',
    },
  ];
}

export const command: Command = {
  name: 'settings',
  summary: 'Workspace settings: seats, benchmark industry, EU data residency, task insights',
  details: ['Without arguments it shows the settings; with key:value pairs it changes them.'],
  args: { keys: SETTINGS_KEYS },
  examples: ['settings', 'settings seats:5000 industry:healthcare', 'settings task-insights:off'],
  access: (args) => (args.pairs.length > 0 ? 'admin' : 'viewer'),
  action: () => 'Changing settings',
  async run(ctx, args) {
    const changing = args.pairs.length > 0;
    if (changing) {
      const patch = parseSettingsArgs(args.pairs);
      await updateSettings(ctx.db, patch, ctx.now);
      ctx.logger.info({ keys: args.pairs.map(([k]) => k) }, 'settings.changed');
    }
    const s = await getSettings(ctx.db);
    // A viewer limited to groups gets no workspace-wide figure (docs/design.md §7): seats purchased is one.
    const scoped = ctx.scope.groups !== null;
    const rows = rowsOf(s).filter((r) => !(scoped && r.setting === 'seats'));
    return reply({
      command: 'settings',
      title: 'Workspace settings',
      summary: changing
        ? [`Saved: ${args.pairs.map(([k, v]) => `${k} ${v}`).join(', ')}.`]
        : ['Owners and admins change these with `settings KEY:VALUE`, e.g. `settings seats:5000`.'],
      ...(scoped ? { warnings: ['Seats purchased is left out: it is a figure of the whole workspace, and your grant covers groups.'] } : {}),
      values: { seats_purchased: scoped ? null : s.seatsPurchased, min_group_size: s.minGroupSize },
      valueKeys: [],
      rows: rows.map(({ setting, value }) => ({ setting, value })),
      table: {
        columns: [
          { key: 'label', label: 'Setting' },
          { key: 'shown', label: 'Value' },
          { key: 'setting', label: 'Key' },
        ],
        rows,
      },
    });
  },
};
