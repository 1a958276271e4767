/**
 * The append-only audit log (docs/design.md §7, migration 0009): rows are added and read, never
 * changed — the database refuses UPDATE and DELETE on it.
 */
import type { DbOrTx } from './schema.ts';

export type AuditWhere = 'cli' | 'direct' | 'channel';
export type AuditDecision = 'allowed' | 'denied';

export interface AuditEntry {
  readonly at: Date;
  /** The email of the person (lower-cased), or `operator`. */
  readonly actor: string;
  /** `cli`, `slack`, `teams`. */
  readonly platform: string;
  readonly platformUserId?: string | null;
  /** A registered command's name, or `unknown (N chars)`. */
  readonly command: string;
  /** The keys given (`period`, `team`, `seats` …), never their values. */
  readonly keys?: readonly string[];
  readonly where: AuditWhere;
  readonly channelId?: string | null;
  readonly decision: AuditDecision;
  readonly reason?: string | null;
  /** For grants and revokes: whom, which role, which groups (null = the whole workspace). */
  readonly grantee?: string | null;
  readonly role?: string | null;
  readonly groups?: readonly string[] | null;
  /** For an export (migration 0010): the report type, the range it covers and the rows it gave out. */
  readonly export?: ExportAudit | null;
}

export interface ExportAudit {
  readonly type: string;
  readonly start: string;
  readonly end: string;
  /** Null when the export failed before a file was complete. */
  readonly rows: number | null;
}

export async function appendAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor: entry.actor.trim().toLowerCase(),
      platform: entry.platform,
      platform_user_id: entry.platformUserId ?? null,
      command: entry.command,
      keys: [...(entry.keys ?? [])],
      where_kind: entry.where,
      channel_id: entry.channelId ?? null,
      decision: entry.decision,
      reason: entry.reason ?? null,
      grantee: entry.grantee ?? null,
      role: entry.role ?? null,
      groups: entry.groups ? [...entry.groups] : null,
      export_type: entry.export?.type ?? null,
      export_start: entry.export?.start ?? null,
      export_end: entry.export?.end ?? null,
      export_rows: entry.export?.rows ?? null,
    })
    .execute();
}

export interface AuditFilter {
  /** From this instant on. */
  readonly since?: Date;
  /** An email (any case) or `operator`. */
  readonly actor?: string;
  readonly decision?: AuditDecision;
  /** The newest this many rows (oldest first). */
  readonly limit?: number;
}

export interface AuditRow extends AuditEntry {
  readonly id: string;
}

export async function readAudit(db: DbOrTx, filter: AuditFilter = {}): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.since) q = q.where('at', '>=', filter.since);
  if (filter.actor) q = q.where('actor', '=', filter.actor.trim().toLowerCase());
  if (filter.decision) q = q.where('decision', '=', filter.decision);
  q = q.orderBy('at', 'desc').orderBy('id', 'desc');
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  const rows = await q.execute();
  return rows.reverse().map((r) => ({
    id: String(r.id),
    at: r.at,
    actor: r.actor,
    platform: r.platform,
    platformUserId: r.platform_user_id,
    command: r.command,
    keys: r.keys,
    where: r.where_kind,
    channelId: r.channel_id,
    decision: r.decision,
    reason: r.reason,
    grantee: r.grantee,
    role: r.role,
    groups: r.groups,
    export: r.export_type === null ? null : { type: r.export_type, start: r.export_start!, end: r.export_end!, rows: r.export_rows },
  }));
}
