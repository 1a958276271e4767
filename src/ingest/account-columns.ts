/**
 * The identity part of a Users report row, shared with the directory CSV (docs/design.md §4.1, §4.2):
 * who the account is, its role, status and SCIM groups. A row without `public_id` is a pending
 * invite, keyed by its email (lower-cased in code, never by the database).
 */
import type { RowReader } from './cells.ts';
import { encodeRow } from './bulk-insert.ts';
import { Stage, type Duplicate } from './staging.ts';
import { TableRows } from './table-batches.ts';
import type { Problems } from './problems.ts';

export const USER_ROLES = ['standard-user', 'account-admin', 'account-owner'] as const;
export const USER_STATUSES = ['enabled', 'pending', 'deleted'] as const;

/** A directory_accounts row as sent to the store (snapshot_id is added per batch). */
export interface AccountRow {
  account_key: string;
  position: number;
  public_id: string | null;
  name: string | null;
  email: string | null;
  email_key: string | null;
  role: string | null;
  user_role: string | null;
  department: string[] | null;
  group_ids: string[];
  user_status: string;
  created_or_invited_date: string | null;
  last_day_active: string | null;
}

export interface Identity {
  /** `account_key`, or null when neither public_id nor email can key the row. */
  key: string | null;
  /** The account, or null when a cell was invalid (the problem is reported). */
  account: AccountRow | null;
  groups: Map<string, string>;
}

export function emailKey(email: string): string {
  return email.toLowerCase();
}

export function accountKeyOf(publicId: string | null, email: string | null): string | null {
  if (publicId !== null) return publicId;
  return email !== null ? `email:${emailKey(email)}` : null;
}

/** Reads the identity columns of the current row. */
export function readIdentity(row: RowReader): Identity {
  const publicId = row.text('public_id');
  const email = row.text('email');
  const status = row.oneOf('user_status', USER_STATUSES, false);
  if (publicId === null) {
    if (email === null) {
      row.problem('public_id', 'is blank and so is email: a row without public_id is a pending invite, which needs its email');
    } else if (status !== null && status !== 'pending') {
      row.problem('public_id', `is blank but user_status is ${status}: only pending invites have no public_id`);
    }
  } else if (/\s/.test(publicId)) {
    row.problem('public_id', `${JSON.stringify(publicId)} holds spaces; a public_id does not`);
  }
  const name = row.text('name');
  const role = row.text('role');
  const userRole = row.oneOf('user_role', USER_ROLES, true);
  const department = row.stringList('department');
  const groups = row.groups('groups');
  const created = row.date('created_or_invited_date');
  const key = accountKeyOf(publicId, email);
  if (row.rowFailed || status === null || department === undefined || groups === undefined) {
    return { key, account: null, groups: groups ?? new Map() };
  }
  return {
    key,
    groups,
    account: {
      account_key: key!,
      position: row.line,
      public_id: publicId,
      name,
      email,
      email_key: email === null ? null : emailKey(email),
      role,
      user_role: userRole,
      department,
      group_ids: [...groups.keys()],
      user_status: status,
      created_or_invited_date: created,
      last_day_active: null,
    },
  };
}

/** The directory_accounts columns as a batch encodes them (encodeRow). */
export const ACCOUNT_COLUMNS = [
  { name: 'account_key', type: 'text' },
  { name: 'position', type: 'integer' },
  { name: 'public_id', type: 'text' },
  { name: 'name', type: 'text' },
  { name: 'email', type: 'text' },
  { name: 'email_key', type: 'text' },
  { name: 'role', type: 'text' },
  { name: 'user_role', type: 'text' },
  { name: 'department', type: 'jsonb' },
  { name: 'group_ids', type: 'text[]' },
  { name: 'user_status', type: 'text' },
  { name: 'created_or_invited_date', type: 'date' },
  { name: 'last_day_active', type: 'date' },
] as const;

/** An account encoded for a batch (encodeRow in ACCOUNT_COLUMNS order). */
export function encodeAccount(a: Partial<AccountRow>): string {
  return encodeRow(ACCOUNT_COLUMNS, ACCOUNT_COLUMNS.map((c) => a[c.name]));
}

/** Reports accounts that appear twice in one file (found by the store's primary key). */
export function reportDuplicateAccounts(problems: Problems, duplicates: readonly Duplicate[], where: 'report' | 'directory'): void {
  for (const d of duplicates) {
    const pending = d.key.startsWith('email:');
    problems.add(
      d.line,
      pending ? 'email' : 'public_id',
      pending
        ? `a second pending invite for the same email (also on line ${d.firstLine})`
        : `duplicate public_id ${d.key} (also on line ${d.firstLine}); each account appears once in a ${where}`,
    );
  }
}


/** The key stage's columns: each keyed row's `account_key` and line, whether the row is valid or not. */
const KEY_COLUMNS = [
  { name: 'account_key', type: 'text' },
  { name: 'position', type: 'integer' },
] as const;

/** A row's key as the key stage takes it (encodeRow in KEY_COLUMNS order). */
export function encodeAccountKey(key: string, line: number): string {
  return encodeRow(KEY_COLUMNS, [key, line]);
}

/**
 * The key stage of an import's accounts (staging.ts): every keyed row's `account_key` and line —
 * a row that failed included, so a later duplicate of its key is still named — for the one
 * duplicate query once the file is read. The accounts themselves go straight into
 * `directory_accounts` (table-batches.ts): this stage is never written anywhere.
 */
export function accountKeyStage(): Stage {
  return new Stage('account_keys', { table: 'directory_accounts', columns: KEY_COLUMNS, orderBy: ['account_key'] });
}

/** The accounts of one snapshot, written batch by batch into `directory_accounts`. */
export function accountRows(snapshotId: number): TableRows {
  return new TableRows('directory_accounts', ACCOUNT_COLUMNS, [{ name: 'snapshot_id', type: 'integer', value: snapshotId }]);
}
