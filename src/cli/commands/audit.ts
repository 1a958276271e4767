import { parseArgs } from 'node:util';
import { auditJsonRow, parseSince } from '../../core/access/audit.ts';
import { readAudit, type AuditDecision } from '../../store/audit.ts';
import { CommandLineError, EXIT_OK, type CliCommand } from '../context.ts';

export const command: CliCommand = {
  name: 'audit',
  usage: 'wsa audit [--json] [--since DATE] [--actor EMAIL] [--decision allowed|denied]',
  async run(args, ctx) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          json: { type: 'boolean' },
          since: { type: 'string' },
          actor: { type: 'string' },
          decision: { type: 'string' },
        },
      }));
    } catch (error) {
      throw new CommandLineError((error as Error).message);
    }
    const since = values.since !== undefined ? parseSince(values.since) : null;
    if (values.since !== undefined && since === null) throw new CommandLineError(`--since ${values.since} is not a date (YYYY-MM-DD)`);
    const decision = values.decision?.toLowerCase();
    if (decision !== undefined && decision !== 'allowed' && decision !== 'denied') {
      throw new CommandLineError('--decision is allowed or denied');
    }
    const store = await ctx.openStore();
    try {
      const rows = await readAudit(store.db, {
        ...(since ? { since } : {}),
        ...(values.actor ? { actor: values.actor } : {}),
        ...(decision ? { decision: decision as AuditDecision } : {}),
      });
      const json = rows.map(auditJsonRow);
      if (values.json) {
        ctx.stdout.write(`${JSON.stringify({ rows: json }, null, 2)}\n`);
      } else if (json.length === 0) {
        ctx.stdout.write('No audit entries match.\n');
      } else {
        for (const r of json) {
          const grant = r.grantee ? ` ${r.grantee} ${r.role}${r.groups ? ` (${(r.groups as string[]).join(', ')})` : ''}` : '';
          const e = r.export as { type: string; start: string; end: string; rows: number | null } | undefined;
          const exported = e ? ` ${e.type} ${e.start}–${e.end}${e.rows === null ? '' : `, ${e.rows} rows`}` : '';
          ctx.stdout.write(`${r.at}  ${r.actor}  ${r.where}  ${r.command}${grant}${exported}  ${r.decision}${r.reason ? `: ${r.reason}` : ''}\n`);
        }
      }
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};
