/**
 * The audit hook of `answer()` bound to the store (docs/design.md §7): each AccessEvent becomes one
 * row of the append-only audit log — who (email, platform, platform user id), what (the command and
 * the keys given), where, the decision and its reason, when. The typed text and any figure stay out.
 */
import type { DbOrTx } from '../../store/schema.ts';
import { appendAudit, type AuditEntry } from '../../store/audit.ts';
import type { AccessEvent } from '../answer.ts';

/** The reason, and for an answer into a channel which form went there and why. */
function withAudience(reason: string, event: AccessEvent): string {
  const a = event.audience;
  if (!a) return reason;
  return `${reason}; channel got the ${a.form === 'full' ? 'full answer' : 'aggregate form'}: ${a.reason}`;
}

export function auditEntryOf(event: AccessEvent): AuditEntry {
  const caller = event.caller;
  const d = event.decision;
  return {
    at: event.at,
    actor: caller.kind === 'operator' ? 'operator' : caller.email,
    platform: caller.kind === 'person' && caller.platform ? caller.platform : 'cli',
    platformUserId: caller.kind === 'person' ? (caller.platformUserId ?? null) : null,
    command: event.command,
    keys: event.keys,
    where: event.where,
    channelId: event.channelId,
    decision: d !== null && d.allow ? 'allowed' : 'denied',
    reason: withAudience(
      d === null
        ? `not understood (${event.outcome ?? 'usage'})`
        : !d.allow
          ? d.reason
          : event.outcome === null
            ? `answered (${d.role}${d.scope.groups ? `, scoped to ${d.scope.groups.join(', ')}` : ''})`
            : `allowed, then failed (${event.outcome})`,
      event,
    ),
    grantee: event.detail?.grantee ?? null,
    role: event.detail?.role ?? null,
    groups: event.detail ? event.detail.groups : null,
    export: event.exported ?? null,
  };
}

/** `onDecision` for `answer()`: every request into the store's audit log. */
export function storeAudit(db: DbOrTx): (event: AccessEvent) => Promise<void> {
  return (event) => appendAudit(db, auditEntryOf(event));
}

/** One audit row as `wsa audit --json` and `/wsa audit` give it. */
export function auditJsonRow(row: AuditEntry): Record<string, unknown> {
  const where = row.where === 'channel' && row.channelId ? `channel ${row.channelId}` : row.where === 'direct' && row.channelId ? `direct ${row.channelId}` : row.where;
  return {
    at: row.at.toISOString(),
    actor: row.actor,
    platform: row.platform,
    platform_user_id: row.platformUserId ?? null,
    command: row.command,
    keys: [...(row.keys ?? [])],
    decision: row.decision,
    reason: row.reason ?? null,
    where,
    ...(row.grantee || row.role ? { grantee: row.grantee ?? null, role: row.role ?? null, groups: row.groups ?? null } : {}),
    ...(row.export ? { export: { ...row.export } } : {}),
  };
}

/** `since:` / `--since`: a day (UTC midnight) or an ISO instant. */
export function parseSince(text: string): Date | null {
  const t = text.trim();
  const d = /^\d{4}-\d{2}-\d{2}$/.test(t) ? new Date(`${t}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(t) ? new Date(t) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}
