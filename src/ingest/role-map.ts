/**
 * The role-map file (docs/design.md §7): `email,role,groups`, one analytics-viewer grant per line,
 * `groups` the `;`-separated names of SCIM groups it is limited to (blank = the whole workspace).
 * Recognised by its header like every CSV kind. All or nothing: every problem is reported with
 * its line, and nothing changes unless the whole file is good; a good file replaces every grant
 * of the previous role-map file and leaves the grants made in chat or with `wsa grant` alone.
 */
import type { DbOrTx } from '../store/schema.ts';
import type { CsvRecord } from './csv-reader.ts';
import { readPerson } from '../core/grammar.ts';
import { groupKey, suggestGroups } from '../metrics/groups.ts';
import { replaceRoleMapGrants, type NewGrant } from '../store/grants.ts';
import { appendAudit } from '../store/audit.ts';
import { newestSnapshot } from '../store/directory-accounts.ts';
import type { ImportOptions, ImportResult } from './import-types.ts';
import { Problems } from './problems.ts';
import { inTransaction } from './transaction.ts';

export const ROLE_MAP_COLUMNS = ['email', 'role', 'groups'] as const;

export function isRoleMapHeader(fields: readonly string[]): boolean {
  const names = fields.map((f) => f.replace(/^\uFEFF/, '').trim().toLowerCase());
  return names.length === ROLE_MAP_COLUMNS.length && ROLE_MAP_COLUMNS.every((c, i) => names[i] === c);
}

export async function importRoleMap(
  db: DbOrTx,
  name: string,
  next: (problems: Problems) => Promise<CsvRecord | undefined>,
  options: ImportOptions,
): Promise<ImportResult> {
  const problems = new Problems(name);
  const groups = await db.selectFrom('scim_groups').select(['group_id', 'name']).execute();
  const idsByKey = new Map<string, string[]>();
  for (const g of groups) idsByKey.set(groupKey(g.name), [...(idsByKey.get(groupKey(g.name)) ?? []), g.group_id]);

  const grants: NewGrant[] = [];
  const at = options.clock.now();
  let rows = 0;
  for (let record = await next(problems); record; record = await next(problems)) {
    rows++;
    const line = record.line;
    if (record.fields.every((f) => f.trim() === '')) continue;
    if (record.fields.length !== ROLE_MAP_COLUMNS.length) {
      problems.add(line, undefined, `has ${record.fields.length} cells; a role-map line has 3 (email,role,groups)`);
      continue;
    }
    const [emailCell, roleCell, groupsCell] = record.fields as [string, string, string];
    const person = readPerson(emailCell);
    if (person?.kind !== 'email') problems.add(line, 'email', `"${emailCell.trim()}" is not an email`);
    if (roleCell.trim().toLowerCase() !== 'analytics-viewer') {
      problems.add(line, 'role', `"${roleCell.trim()}" is not a role a role-map file gives; the one role is analytics-viewer`);
    }
    const names = groupsCell.split(';').map((g) => g.trim()).filter((g) => g !== '');
    const ids: string[] = [];
    for (const g of names) {
      const found = idsByKey.get(groupKey(g));
      if (found) ids.push(...found);
      else {
        const close = await suggestGroups(db, g);
        problems.add(line, 'groups', `no group is called "${g}"${close.length > 0 ? `; did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : ''}`);
      }
    }
    if (person?.kind === 'email') {
      grants.push({ email: person.email, groupIds: names.length === 0 ? null : ids, source: 'role-map', grantedBy: `role-map ${name}`, at });
    }
  }
  problems.throwIfAny();

  const result = await inTransaction(db, async (trx) => {
    const changed = await replaceRoleMapGrants(trx, grants);
    await appendAudit(trx, {
      at,
      actor: 'operator',
      platform: 'cli',
      command: 'import role-map',
      where: 'cli',
      decision: 'allowed',
      reason: `role-map file: ${changed.removed} grants replaced by ${changed.added}`,
      role: 'analytics-viewer',
    });
    return changed;
  });

  const warnings: string[] = [];
  const snapshot = await newestSnapshot(db);
  if (snapshot && grants.length > 0) {
    const known = new Set(
      (
        await db
          .selectFrom('directory_accounts')
          .select('email_key')
          .where('snapshot_id', '=', snapshot.id)
          .where('email_key', 'in', [...new Set(grants.map((g) => g.email.trim().toLowerCase()))])
          .execute()
      ).map((r) => r.email_key),
    );
    const missing = [...new Set(grants.map((g) => g.email.trim().toLowerCase()))].filter((e) => !known.has(e));
    if (missing.length > 0) {
      warnings.push(`${missing.length} ${missing.length === 1 ? 'person is' : 'people are'} not in the workspace directory (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}): their grants count once an import lists them`);
    }
  }
  warnings.push(`${result.added} grant${result.added === 1 ? '' : 's'} in place of the previous role-map file's ${result.removed}; grants made in chat or with \`wsa grant\` are unchanged`);
  return { file: name, kind: 'role-map', rows, warnings, replacedDemo: false };
}
