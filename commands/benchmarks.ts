/** `/wsa benchmarks`: activation and engagement against an industry's medians. */
import { benchmarks } from '../src/metrics/api.ts';
import { ILLUSTRATIVE_MEDIANS, findIndustry } from '../src/core/benchmarks.ts';
import { UsageError } from '../src/core/errors.ts';
import { formatFor, formatNumber, labelFor } from '../src/core/format.ts';
import type { CommandArgs } from '../src/core/grammar.ts';
import type { Command } from '../src/core/registry.ts';
import { benchmarkChart } from './support/charts.ts';
import { metricReply, text } from './support/metric-reply.ts';

const INDUSTRY_KEYS = ILLUSTRATIVE_MEDIANS.map((i) => i.key);

function industryOf(args: CommandArgs): string | undefined {
  const asked = args.pairs.find(([k]) => k === 'industry')?.[1];
  if (asked === undefined) return undefined;
  const found = findIndustry(asked);
  if (!found) {
    throw new UsageError(`industry:${asked} is not one of ${INDUSTRY_KEYS.join(', ')}.`);
  }
  return found.key;
}

export const command: Command = {
  name: 'benchmarks',
  summary: 'Activation rate, WAU per activated user and messages per WAU against industry medians',
  details: [
    'The industry is the workspace setting (technology when unset); industry: picks another.',
    'The shipped medians are illustrative placeholders, not measured industry figures.',
  ],
  args: { period: true, group: true, keys: { industry: `the industry to compare with (${INDUSTRY_KEYS.join(', ')})` } },
  examples: ['benchmarks', 'benchmarks last-12-weeks', 'benchmarks industry:healthcare'],
  access: 'viewer',
  run: (ctx, args) => {
    const industry = industryOf(args);
    return metricReply('benchmarks', ctx, args, {
      title: 'Benchmarks',
      fetch: (db, req) => benchmarks(db, req, industry ? { industry } : {}),
      charts: benchmarkChart,
      valueKeys: ['activation_rate', 'wau_per_activated_user', 'messages_per_wau', 'activated_users', 'seats_enabled', 'wau'],
      summary: (a) => {
        const label = text(a.rows[0]?.industry) || industry || 'the industry';
        const lines = [`Compared with the medians for ${findIndustry(label)?.label ?? label}.`];
        if (!a.warnings.some((w) => /illustrative/i.test(w))) {
          lines.push('These medians are illustrative placeholders, not measured industry figures.');
        }
        return lines;
      },
      table: (a) => ({
        noun: 'metrics',
        columns: [
          { key: 'label', label: 'Metric' },
          { key: 'value', label: 'This workspace', align: 'right' },
          { key: 'median', label: 'Median', align: 'right' },
        ],
        rows: a.rows.map((r) => {
          const metric = text(r.metric);
          const format = formatFor(metric);
          const cell = (v: unknown) => formatNumber(typeof v === 'number' ? v : null, format);
          return { label: labelFor(metric), value: cell(r.value), median: cell(r.median) };
        }),
      }),
    });
  },
};
