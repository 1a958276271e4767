import type { CliCommand } from '../context.ts';
import { operatorChange } from './grant.ts';

export const command: CliCommand = {
  name: 'revoke',
  usage: 'wsa revoke EMAIL analytics-viewer [--team NAME]…',
  run: (args, ctx) => operatorChange(ctx, 'revoke', args),
};
