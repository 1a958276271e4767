/** `/wsa gpts`: custom GPTs known, created and used, and which ones people use most. */
import { gpts } from '../src/metrics/api.ts';
import type { Command } from '../src/core/registry.ts';
import { catalogReply } from './support/catalog.ts';

export const command: Command = {
  name: 'gpts',
  summary: 'Custom GPTs: how many exist, were created and were used, and the most used',
  details: ['Usage comes from people\'s activity; names and creators from the GPT reports.'],
  args: { period: true, group: true },
  examples: ['gpts', 'gpts last-3-months'],
  access: 'viewer',
  run: (ctx, args) => catalogReply('gpts', ctx, args, { item: 'gpt', noun: 'GPTs', title: 'GPTs', fetch: gpts }),
};
