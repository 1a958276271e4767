/** `/wsa projects`: projects known, created and used, and which ones people use most. */
import { projects } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { catalogReply } from './support/catalog.ts';

export const command: Command = {
  name: 'projects',
  summary: 'Projects: how many exist, were created and were used, and the most used',
  details: ['Usage comes from people\'s activity; names and creators from the Project reports.'],
  args: { period: true, group: true },
  examples: ['projects', 'projects this-month'],
  access: 'viewer',
  run: (ctx, args) =>
    catalogReply('projects', ctx, args, { item: 'project', noun: 'projects', title: 'Projects', fetch: projects }),
};
