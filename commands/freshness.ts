/** `/wsa freshness`: when the data was last updated and which days it covers. */
import { freshness } from '../src/metrics/api.ts';
import { staleHours } from '../src/core/format.ts';
import { formatDay } from '../src/core/periods.ts';
import type { Command } from '../src/core/registry.ts';
import { isoSeconds, reply } from '../src/core/reply.ts';

function ago(hours: number): string {
  if (hours < 1) return 'less than an hour ago';
  if (hours < 48) return `${Math.floor(hours)} hour${Math.floor(hours) === 1 ? '' : 's'} ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

const SOURCE_WORDS = { exports: 'ChatGPT export reports', events: 'usage events' } as const;

export const command: Command = {
  name: 'freshness',
  summary: 'When the data was last updated, and the days it covers',
  args: {},
  examples: ['freshness'],
  access: 'viewer',
  async run(ctx) {
    const f = await freshness(ctx.db, ctx.today);
    const summary: string[] = [];
    if (f.lastUpdated) {
      const hours = (ctx.now.getTime() - f.lastUpdated.getTime()) / 3_600_000;
      summary.push(`The data was last updated ${ago(Math.max(0, hours))}.`);
    } else {
      summary.push('Nothing has been imported yet.');
    }
    if (f.dataFrom && f.dataThrough) {
      summary.push(
        `Usage data runs from ${formatDay(f.dataFrom)} through ${formatDay(f.dataThrough)}` +
          (f.usageSource ? `, from ${SOURCE_WORDS[f.usageSource]}.` : '.'),
      );
    } else if (f.lastUpdated) {
      summary.push('No usage data has been imported yet.');
    }
    return reply({
      command: 'freshness',
      title: 'Data freshness',
      summary,
      rows: [
        {
          usage_source: f.usageSource,
          data_from: f.dataFrom,
          data_through: f.dataThrough,
          last_updated: f.lastUpdated ? isoSeconds(f.lastUpdated) : null,
        },
      ],
      footer: {
        lastUpdated: f.lastUpdated,
        dataThrough: f.dataThrough,
        staleHours: staleHours(f.lastUpdated, ctx.now),
        groupsHidden: null,
        minGroupSize: null,
      },
    });
  },
};
