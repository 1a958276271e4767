import type { CliCommand } from '../context.ts';
import { operatorChange } from './grant.ts';

export const command: CliCommand = {
  name: 'revoke',
  summary: 'End analytics-viewer grants: of the groups named, or every one without --team',
  usage: 'wsa revoke EMAIL analytics-viewer [--team NAME]…',
  run: (args, ctx) => operatorChange(ctx, 'revoke', args),
};
