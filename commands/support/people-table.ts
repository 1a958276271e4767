/** The text table of per-person rows (Users-report columns): who, how much, with what. */
import type { Column, DisplayTable, Row } from '../../src/core/reply.ts';

const PREFERRED: readonly Column[] = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'messages', label: 'Messages', format: 'count' },
  { key: 'gpt_messages', label: 'GPT', format: 'count' },
  { key: 'tool_messages', label: 'Tool', format: 'count' },
  { key: 'project_messages', label: 'Project', format: 'count' },
  { key: 'tools_messaged', label: 'Tools', format: 'count' },
  { key: 'last_day_active_in_period', label: 'Last active' },
];

/**
 * Ranked people: a # column, then the preferred columns the rows actually have. `total` is how
 * many people there are when `rows` holds only the first of them.
 */
export function peopleTable(rows: readonly Row[], extra: readonly Column[] = [], total?: number): DisplayTable {
  const has = (key: string) => rows.some((r) => key in r);
  const columns: Column[] = [
    { key: '__rank', label: '#', format: 'count' },
    ...PREFERRED.filter((c) => has(c.key)),
    ...extra.filter((c) => has(c.key)),
  ];
  if (!has('name') && !has('email') && has('public_id')) columns.splice(1, 0, { key: 'public_id', label: 'User' });
  return { noun: 'people', columns, rows: rows.map((r, i) => ({ ...r, __rank: i + 1 })), total };
}
