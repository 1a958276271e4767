/** `/wsa audit`: the newest entries of the audit log, for owners and admins, answered privately. */
import { UsageError } from '../src/core/errors.ts';
import type { Command } from '../src/core/registry.ts';
import { reply } from '../src/core/reply.ts';
import { auditJsonRow, parseSince } from '../src/core/access/audit.ts';
import { readAudit, type AuditDecision } from '../src/store/audit.ts';

/** The most entries one answer lists. */
const AUDIT_ROWS = 50;

export const command: Command = {
  name: 'audit',
  summary: 'Who asked what, and what was allowed or denied (owners and admins, privately)',
  details: ['The newest entries first are listed oldest to newest; `wsa audit --json` at the command line gives them all.'],
  args: {
    keys: {
      since: 'entries from this day on (YYYY-MM-DD)',
      actor: 'only this person\'s requests (an email)',
      decision: 'allowed or denied',
    },
  },
  examples: ['audit', 'audit decision:denied', 'audit since:2026-11-01 actor:ana@example.com'],
  access: 'admin',
  action: () => 'Reading the audit log',
  privateOnly: true,
  async run(ctx, args) {
    const given = new Map(args.pairs);
    const sinceText = given.get('since');
    const since = sinceText !== undefined ? parseSince(sinceText) : null;
    if (sinceText !== undefined && since === null) throw new UsageError(`since:${sinceText} is not a day; use since:YYYY-MM-DD.`);
    const decision = given.get('decision')?.toLowerCase();
    if (decision !== undefined && decision !== 'allowed' && decision !== 'denied') {
      throw new UsageError(`decision:${decision} is not allowed or denied.`);
    }
    const limit = Math.min(AUDIT_ROWS, ctx.rowLimit ?? AUDIT_ROWS);
    const rows = await readAudit(ctx.db, {
      ...(since ? { since } : {}),
      ...(given.get('actor') ? { actor: given.get('actor') as string } : {}),
      ...(decision ? { decision: decision as AuditDecision } : {}),
      limit,
    });
    const json = rows.map(auditJsonRow);
    return reply({
      command: 'audit',
      title: 'Audit log',
      summary: [rows.length === 0 ? 'No entries match.' : `The newest ${rows.length} entr${rows.length === 1 ? 'y' : 'ies'}, oldest first.`],
      rows: json,
      table: {
        columns: [
          { key: 'at', label: 'When (UTC)' },
          { key: 'actor', label: 'Who' },
          { key: 'command', label: 'Command' },
          { key: 'decision', label: 'Decision' },
          { key: 'where', label: 'Where' },
          { key: 'reason', label: 'Reason', maxChars: 80 },
        ],
        rows: json.map((r) => ({ ...r, at: String(r.at).replace('T', ' ').slice(0, 16) })),
      },
    });
  },
};
