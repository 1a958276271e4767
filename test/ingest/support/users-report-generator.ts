/**
 * Writes a large synthetic Users report in the real-world form of docs/design.md §4.1, for the
 * flat-memory test and bench/import-users.ts. Deterministic and arithmetic: row i is a pending
 * invite when i % 50 === 49, inactive when i % 5 === 4 (and not pending), active otherwise, so a
 * test can work out the expected counts by hand.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createHash } from 'node:crypto';

export const USERS_HEADER = [
  'cadence', 'period_start', 'period_end', 'account_id', 'public_id', 'name', 'email', 'role',
  'user_role', 'department', 'groups', 'user_status', 'created_or_invited_date', 'is_active',
  'first_day_active_in_period', 'last_day_active_in_period', 'messages', 'messages_rank',
  'model_to_messages', 'gpt_messages', 'gpts_messaged', 'gpt_to_messages', 'tool_messages',
  'tools_messaged', 'tool_to_messages', 'project_messages', 'projects_messaged',
  'project_to_messages', 'projects_created', 'last_day_active',
] as const;

export interface GeneratedReportOptions {
  rows: number;
  cadence?: string;
  periodStart?: string;
  periodEnd?: string;
  accountId?: string;
  crlf?: boolean;
  bom?: boolean;
}

export interface GeneratedReport {
  bytes: number;
  rows: number;
}

export function rowKind(i: number): 'pending' | 'inactive' | 'active' {
  if (i % 50 === 49) return 'pending';
  if (i % 5 === 4) return 'inactive';
  return 'active';
}

export function publicIdOf(i: number): string {
  return `user-${hex(`user${i}`).slice(0, 24)}`;
}

const NAMES = ["Zoë O'Brien", 'José García', 'Li, Wei', 'Anne "Nan" Smith', 'Jean-Luc Picard', 'Ana Souza'];
const ROLES = ['director', 'manager', 'team_member', 'executive', 'other', ''];
const DEPARTMENTS = ['["finance","analytics"]', '["engineering"]', '', '["sales"]'];
const GROUP_NAMES = ['SG-Chatgpt-Users', 'Sales EMEA', "R&D 'Core'", 'Support "Tier 2"', 'Finance, Ops'];
const TOOLS = ['Search', 'Retrieval', 'Data Analysis', 'Image Gen', 'Canvas', 'Deep Research'];

function hex(seed: string): string {
  return createHash('md5').update(seed).digest('hex');
}

/** The Python repr() of a str: single quotes unless the text holds one and no double quote. */
export function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  return quote + s.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`) + quote;
}

export function pyDict(entries: [string, string | number][]): string {
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${pyStr(k)}: ${typeof v === 'number' ? v : pyStr(v)}`).join(', ')}}`;
}

export function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const GROUPS = Array.from({ length: 200 }, (_, g) => [hex(`group${g}`), `${GROUP_NAMES[g % GROUP_NAMES.length]} ${g}`] as [string, string]);

export function usersRow(i: number, o: Required<Omit<GeneratedReportOptions, 'rows' | 'crlf' | 'bom'>>): string[] {
  const common = [o.cadence, o.periodStart, o.periodEnd, o.accountId];
  const kind = rowKind(i);
  const email = `person.${i}@example.com`;
  if (kind === 'pending') {
    return [...common, '', '', email, '', '', '', '', 'pending', '2025-09-15', ...Array(17).fill('')];
  }
  const name = `${NAMES[i % NAMES.length]} ${i}`;
  const groups = pyDict(i % 3 === 0 ? [GROUPS[i % 200]!, GROUPS[(i * 7 + 1) % 200]!] : [GROUPS[i % 200]!]);
  const identity = [
    publicIdOf(i), name, email, ROLES[i % ROLES.length]!, i % 97 === 0 ? 'account-admin' : 'standard-user',
    DEPARTMENTS[i % DEPARTMENTS.length]!, groups, 'enabled', '2024-03-01',
  ];
  if (kind === 'inactive') {
    return [...common, ...identity, '0', '', '', '0', '', '', '0', '0', '', '0', '0', '', '0', '0', '', '0', i % 3 ? '2025-08-20' : ''];
  }
  const messages = 1 + ((i * 7) % 300);
  const a = Math.ceil(messages * 0.8);
  const gpt = i % 3 === 1 ? 1 + ((i * 3) % 40) : 0;
  const tools = 1 + (i % 3);
  const toolEntries = Array.from({ length: tools }, (_, t) => [TOOLS[(i + t) % TOOLS.length]!, 1 + ((i + t) % 90)] as [string, number]);
  const project = i % 4 === 0 ? 1 + ((i * 5) % 30) : 0;
  return [
    ...common, ...identity, '1', o.periodStart, o.periodEnd, String(messages), String(i + 1),
    pyDict([['gpt-5', a], ['gpt-5-thinking', messages - a]].filter(([, v]) => v !== 0) as [string, number][]),
    String(gpt), gpt ? '2' : '0',
    pyDict(gpt ? [[`g-${hex(`gpt${i % 2000}`).slice(0, 24)}`, gpt - 1], [`g-${hex(`gpt${(i + 1) % 2000}`).slice(0, 24)}`, 1]] : []),
    String(toolEntries.reduce((s, [, v]) => s + v, 0)), String(tools), pyDict(toolEntries),
    String(project), project ? '1' : '0', pyDict(project ? [[`g-p-${hex(`project${i % 5000}`).slice(0, 24)}`, project]] : []),
    String(i % 11 === 0 ? 1 : 0), o.periodEnd,
  ];
}

/** Streams the report to `path` without holding it in memory. */
export async function writeUsersReport(path: string, options: GeneratedReportOptions): Promise<GeneratedReport> {
  const o = {
    cadence: options.cadence ?? 'Weekly',
    periodStart: options.periodStart ?? '2025-10-26',
    periodEnd: options.periodEnd ?? '2025-11-01',
    accountId: options.accountId ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  };
  const eol = options.crlf ? '\r\n' : '\n';
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`${options.bom ? '\uFEFF' : ''}${USERS_HEADER.join(',')}${eol}`);
  for (let start = 0; start < options.rows; start += 1000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(options.rows, start + 1000); i++) {
      lines.push(usersRow(i, o).map(csvCell).join(','));
    }
    await write(lines.join(eol) + eol);
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { bytes: out.bytesWritten, rows: options.rows };
}
