/** GPTs and projects read alike: totals, then the items by use. */
import type { CommandArgs } from '../../src/core/grammar.ts';
import type { CommandContext } from '../../src/core/registry.ts';
import type { Reply } from '../../src/core/reply.ts';
import { formatCount } from '../../src/core/format.ts';
import { topOf } from './charts.ts';
import { metricReply, num, plural, type MetricFetch } from './metric-reply.ts';

export interface CatalogSpec {
  readonly item: 'gpt' | 'project';
  /** Plural for people: "GPTs", "projects". */
  readonly noun: string;
  readonly title: string;
  readonly fetch: MetricFetch;
}

export function catalogReply(name: string, ctx: CommandContext, args: CommandArgs, spec: CatalogSpec): Promise<Reply> {
  const p = `${spec.item}s`;
  return metricReply(name, ctx, args, {
    title: spec.title,
    fetch: spec.fetch,
    valueKeys: [`${p}_total`, `${p}_created`, `${p}_active`],
    compare: [`${p}_active`],
    charts: topOf(spec.noun, [`${spec.item}_name`, `${spec.item}_id`], 'messages_workspace', `Most used ${spec.noun}`),
    summary: (a) => {
      const total = num(a, `${p}_total`);
      const active = num(a, `${p}_active`);
      if (total === null) return [];
      const one = spec.noun.replace(/s$/, '');
      return [
        `${plural(total, one, spec.noun)} known` +
          (active !== null ? `; ${formatCount(active)} ${active === 1 ? 'was' : 'were'} used in this period.` : '.'),
      ];
    },
    table: (a) => ({
      noun: spec.noun,
      columns: [
        { key: `${spec.item}_name`, label: spec.item === 'gpt' ? 'GPT' : 'Project' },
        { key: `${spec.item}_creator_email`, label: 'Creator' },
        { key: 'messages_workspace', label: 'Messages', format: 'count' },
        { key: 'unique_messagers_workspace', label: 'People', format: 'count' },
      ],
      rows: a.rows,
    }),
  });
}
