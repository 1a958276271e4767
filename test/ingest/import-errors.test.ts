/**
 * Malformed inputs of every kind: each is refused with a specific message naming the physical
 * line and the column, and leaves the store exactly as it was (a full table dump before and
 * after) — including the report of the same period that a good file would have replaced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { parse } from 'csv-parse/sync';
import { ConflictError, InvalidInputError, type InputProblem } from '../../src/core/errors.ts';
import { importFile } from '../../src/ingest/import-files.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { ACCOUNT, dumpStore, fixture, fixtureText, importText, options } from './support/import-helpers.ts';

type Rows = string[][];

const cell = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
const toCsv = (rows: Rows, eol = '\n') => rows.map((r) => r.map(cell).join(',')).join(eol) + eol;
const read = (name: string): Rows => parse(fixtureText(name), { bom: true, relax_column_count: true }) as Rows;

/** A copy of a fixture with edits; the fixtures' rows are one line each, so row i is line i + 1. */
function edited(name: string, edit: (rows: Rows, at: (line: number, column: string, value: string) => void) => void): string {
  const rows = read(name);
  const header = rows[0]!;
  edit(rows, (line, column, value) => {
    const i = header.indexOf(column);
    if (i < 0) throw new Error(`no column ${column}`);
    rows[line - 1]![i] = value;
  });
  return toCsv(rows);
}
const users = (edit: Parameters<typeof edited>[1]) => edited('users-weekly.csv', edit);
const setUsers = (line: number, column: string, value: string) => users((_, at) => at(line, column, value));

interface Case {
  name: string;
  content: string | Buffer;
  problems: InputProblem[];
  total?: number;
  file?: string;
}

const LATIN1_E = Buffer.from([0xe9]); // é in Latin-1: not UTF-8

/** The text as UTF-8 bytes, with the (single) marker character replaced by raw bytes. */
function withBytes(text: string | Buffer, marker: string, bytes: Buffer): Buffer {
  const buf = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const at = buf.indexOf(marker);
  if (at < 0) throw new Error('no marker');
  return Buffer.concat([buf.subarray(0, at), bytes, buf.subarray(at + Buffer.byteLength(marker))]);
}

const CASES: Case[] = [
  // --- structure
  { name: 'an empty file', content: '', problems: [{ line: 1, message: 'the file is empty: a report starts with its header row (cadence,period_start,…)' }] },
  { name: 'a BOM and nothing else', content: '\uFEFF', problems: [{ line: 1, message: 'the file is empty: a report starts with its header row (cadence,period_start,…)' }] },
  {
    name: 'an unknown header',
    content: 'date,user,count\n2025-10-26,a,1\n',
    problems: [{ line: 1, message: 'unknown header "date,user,count": not a ChatGPT Enterprise Users, GPT, Project or Impact survey report (their header starts cadence,period_start,period_end,account_id,…), nor a directory CSV (public_id,name,email,role,user_role,department,groups,user_status,created_or_invited_date)' }],
  },
  {
    name: 'a missing column',
    content: toCsv(read('users-weekly.csv').map((r) => r.filter((_, i) => i !== 17))),
    problems: [{ line: 1, column: 'messages_rank', message: 'the Users report column messages_rank is missing' }],
  },
  {
    name: 'a column named in another case',
    content: users((rows) => (rows[0]![16] = 'Messages')),
    problems: [{ line: 1, column: 'messages', message: 'the Users report column messages is missing (found "Messages": column names are exact, lower-case, without spaces)' }],
  },
  {
    name: 'columns out of the appendix order',
    content: toCsv(read('users-weekly.csv').map((r) => [...r.slice(0, 5), r[6]!, r[5]!, ...r.slice(7)])),
    problems: [{ line: 1, column: 'name', message: 'column name is out of order: the Users report has it before email' }],
  },
  {
    name: 'a column twice',
    content: toCsv(read('users-weekly.csv').map((r) => [...r, r[16]!])),
    problems: [{ line: 1, column: 'messages', message: 'column messages appears twice (fields 17 and 31)' }],
  },
  {
    name: 'a row with a field too few',
    content: users((rows) => rows[3]!.pop()),
    problems: [{ line: 4, message: '29 fields where the header has 30 (a comma too many or too few, or a cell that should be quoted)' }],
  },
  {
    name: 'an unquoted comma inside a dict literal',
    content: users((rows) => rows.splice(2, 1, rows[2]!.flatMap((c, i) => (i === 10 ? c.split(', ') : [c])))),
    problems: [{ line: 3, message: '31 fields where the header has 30 (a comma too many or too few, or a cell that should be quoted)' }],
  },
  {
    name: 'a quote never closed',
    content: toCsv(read('users-weekly.csv').slice(0, 5)) + read('users-weekly.csv')[5]!.map(cell).join(',').replace(',ops.admin@example.com,', ',"ops.admin@example.com,') + '\n',
    problems: [{ line: 6, column: 'name', message: 'a quoted cell is never closed (its closing " is missing)' }],
  },
  {
    name: 'a quote inside an unquoted cell',
    content: toCsv(read('users-weekly.csv').slice(0, 2)) + read('users-weekly.csv')[2]!.map(cell).join(',').replace('jose.garcia@example.com', 'jose"garcia@example.com') + '\n',
    problems: [{ line: 3, column: 'email', message: 'a " inside an unquoted cell (such a cell must be quoted and the " written "")' }],
  },
  {
    name: 'a file separated by semicolons',
    content: fixtureText('users-weekly.csv').split('\n')[0]!.replaceAll(',', ';') + '\n',
    problems: [{ line: 1, message: 'the header is separated by semicolons; export reports are comma-separated (save the file as CSV with commas)' }],
  },
  // --- cadence and period
  {
    name: 'an unknown cadence',
    content: users((rows, at) => rows.forEach((_, i) => i > 0 && at(i + 1, 'cadence', 'weekly'))),
    problems: [{ line: 2, column: 'cadence', message: '"weekly" is not a cadence: one of Weekly, Monthly, Partial Weekly, Partial Monthly, Date Range (cadences are case-sensitive: Weekly)' }],
  },
  {
    name: 'a blank cadence',
    content: setUsers(2, 'cadence', ''),
    problems: [{ line: 2, column: 'cadence', message: 'is blank; it must be one of Weekly, Monthly, Partial Weekly, Partial Monthly, Date Range' }],
  },
  {
    name: 'a week that does not start on Sunday',
    content: users((rows, at) => rows.forEach((_, i) => i > 0 && (at(i + 1, 'period_start', '2025-10-27'), at(i + 1, 'period_end', '2025-11-02')))),
    problems: [{ line: 2, column: 'period_start', message: 'a Weekly report starts on a Sunday (weeks run Sunday–Saturday); 2025-10-27 is a Monday' }],
  },
  {
    name: 'a week of the wrong length',
    content: setUsers(2, 'period_end', '2025-10-31'),
    problems: [{ line: 2, column: 'period_end', message: 'a Weekly report starting 2025-10-26 ends on Saturday 2025-11-01, not 2025-10-31' }],
  },
  {
    name: 'a month not starting on the 1st',
    content: edited('users-monthly-oct.csv', (rows, at) => rows.forEach((_, i) => i > 0 && at(i + 1, 'period_start', '2025-10-02'))),
    problems: [{ line: 2, column: 'period_start', message: 'a Monthly report starts on the 1st of a month, not 2025-10-02' }],
  },
  {
    name: 'a month ending early',
    content: edited('users-monthly-oct.csv', (rows, at) => at(2, 'period_end', '2025-10-30')),
    problems: [{ line: 2, column: 'period_end', message: 'a Monthly report starting 2025-10-01 ends on 2025-10-31, not 2025-10-30' }],
  },
  {
    name: 'a Partial Monthly report that covers the whole month',
    content: edited('users-partial-nov.csv', (rows, at) => at(2, 'period_end', '2025-11-30')),
    problems: [{ line: 2, column: 'period_end', message: "a Partial Monthly report ends before the month's last day 2025-11-30; 2025-11-30 completes the month (that is a Monthly report)" }],
  },
  {
    name: 'a Partial Weekly report past its week',
    content: users((rows, at) => rows.forEach((_, i) => i > 0 && (at(i + 1, 'cadence', 'Partial Weekly'), at(i + 1, 'period_end', '2025-11-03')))),
    problems: [{ line: 2, column: 'period_end', message: "a Partial Weekly report ends before the week's Saturday 2025-11-01; 2025-11-03 is past the week" }],
  },
  {
    name: 'a period that ends before it starts',
    content: users((rows, at) => rows.forEach((_, i) => i > 0 && (at(i + 1, 'cadence', 'Date Range'), at(i + 1, 'period_end', '2025-10-20')))),
    problems: [{ line: 2, column: 'period_end', message: '2025-10-20 is before period_start 2025-10-26' }],
  },
  {
    name: 'a period date that does not exist',
    content: setUsers(2, 'period_start', '2025-02-30'),
    problems: [{ line: 2, column: 'period_start', message: '"2025-02-30" is not a real calendar date' }],
  },
  {
    name: 'another period on a later row',
    content: setUsers(6, 'period_end', '2025-11-02'),
    problems: [{ line: 6, column: 'period_end', message: '"2025-11-02" differs from line 2 ("2025-11-01"); every row of a report has the same period_end' }],
  },
  {
    name: 'another account on a later row',
    content: setUsers(9, 'account_id', 'ffffffffffffffffffffffffffffffff'),
    problems: [{ line: 9, column: 'account_id', message: `"ffffffffffffffffffffffffffffffff" differs from line 2 ("${ACCOUNT}"); every row of a report has the same account_id` }],
  },
  {
    name: 'a blank account id',
    content: setUsers(2, 'account_id', ''),
    problems: [{ line: 2, column: 'account_id', message: 'is blank; it needs the workspace account id' }],
  },
  // --- types and values
  { name: 'is_active not 1/0', content: setUsers(3, 'is_active', 'yes'), problems: [{ line: 3, column: 'is_active', message: '"yes" must be 1 or 0' }] },
  { name: 'a negative count', content: setUsers(3, 'messages', '-5'), problems: [{ line: 3, column: 'messages', message: '"-5" is negative; counts are whole numbers ≥ 0' }] },
  { name: 'a fractional count', content: setUsers(3, 'tool_messages', '12.5'), problems: [{ line: 3, column: 'tool_messages', message: '"12.5" is not a whole number ≥ 0' }] },
  { name: 'a count too large', content: setUsers(3, 'gpt_messages', '99999999999'), problems: [{ line: 3, column: 'gpt_messages', message: '"99999999999" is too large for a count' }] },
  { name: 'a blank count of an account', content: setUsers(3, 'projects_created', ''), problems: [{ line: 3, column: 'projects_created', message: 'is blank; it needs a count (a whole number ≥ 0)' }] },
  { name: 'a rank of 0', content: setUsers(3, 'messages_rank', '0'), problems: [{ line: 3, column: 'messages_rank', message: 'is 0; ranks start at 1' }] },
  {
    name: 'a map that is not a dict literal',
    content: setUsers(2, 'model_to_messages', "{'gpt-5': 100, 'gpt-5-thinking': 20"),
    problems: [{ line: 2, column: 'model_to_messages', message: "is not a dict literal like {'gpt-5': 12}: expected ',' or '}', found the end of the text (at character 36)" }],
  },
  {
    name: 'a map with a negative count',
    content: setUsers(2, 'tool_to_messages', "{'Search': -1}"),
    problems: [{ line: 2, column: 'tool_to_messages', message: 'the value for "Search" must be a whole number ≥ 0, not -1' }],
  },
  {
    name: 'a map with a text count',
    content: setUsers(2, 'gpt_to_messages', "{'g-1': 'many'}"),
    problems: [{ line: 2, column: 'gpt_to_messages', message: 'the value for "g-1" must be a whole number ≥ 0, not "many"' }],
  },
  {
    name: 'a map written with swapped quotes (a name with a quote breaks it)',
    content: setUsers(2, 'groups', `{"6806684c27e88190b4cb45225dded629": "R&D "Core""}`),
    problems: [{ line: 2, column: 'groups', message: `is not a dict literal like {'<group id>': 'Group name'}: expected ',' or '}', found "C" (at character 44)` }],
  },
  {
    name: 'a group named by a number',
    content: setUsers(2, 'groups', "{'6806684c27e88190b4cb45225dded629': 7}"),
    problems: [{ line: 2, column: 'groups', message: 'the name of group "6806684c27e88190b4cb45225dded629" must be a quoted string, not 7' }],
  },
  { name: 'a department that is not a JSON list', content: setUsers(2, 'department', 'finance'), problems: [{ line: 2, column: 'department', message: '"finance" is not a JSON list of strings like ["finance","analytics"]: it is not valid JSON' }] },
  { name: 'a department list holding a number', content: setUsers(2, 'department', '["finance",3]'), problems: [{ line: 2, column: 'department', message: '"[\\"finance\\",3]" is not a JSON list of strings like ["finance","analytics"]: it holds 3, not a string' }] },
  { name: 'an unknown user_role', content: setUsers(3, 'user_role', 'superuser'), problems: [{ line: 3, column: 'user_role', message: '"superuser" is not one of standard-user, account-admin, account-owner' }] },
  { name: 'an unknown user_status', content: setUsers(3, 'user_status', 'active'), problems: [{ line: 3, column: 'user_status', message: '"active" is not one of enabled, pending, deleted' }] },
  { name: 'a blank user_status', content: setUsers(3, 'user_status', ''), problems: [{ line: 3, column: 'user_status', message: 'is blank; it must be one of enabled, pending, deleted' }] },
  { name: 'a date that does not exist', content: setUsers(4, 'created_or_invited_date', '2024-02-30'), problems: [{ line: 4, column: 'created_or_invited_date', message: '"2024-02-30" is not a real calendar date' }] },
  { name: 'a date in another form', content: setUsers(4, 'last_day_active', '09/30/2025'), problems: [{ line: 4, column: 'last_day_active', message: '"09/30/2025" is not a date in the form YYYY-MM-DD' }] },
  { name: 'an active day outside the period', content: setUsers(2, 'first_day_active_in_period', '2025-10-25'), problems: [{ line: 2, column: 'first_day_active_in_period', message: "2025-10-25 is outside the report's period 2025-10-26..2025-11-01" }] },
  { name: 'a last active day before the first', content: setUsers(3, 'last_day_active_in_period', '2025-10-26'), problems: [{ line: 3, column: 'last_day_active_in_period', message: '2025-10-26 is before first_day_active_in_period 2025-10-27' }] },
  { name: 'credits that are not a number', content: users((rows) => rows.forEach((r, i) => r.push(i === 0 ? 'credits_used' : i === 2 ? 'lots' : ''))), problems: [{ line: 3, column: 'credits_used', message: '"lots" is not a number ≥ 0' }] },
  // --- pending invites and keys
  {
    name: 'a row with neither public_id nor email',
    content: setUsers(5, 'email', ''),
    problems: [{ line: 5, column: 'public_id', message: 'is blank and so is email: a row without public_id is a pending invite, which needs its email' }],
  },
  {
    name: 'an enabled account without public_id',
    content: setUsers(3, 'public_id', ''),
    problems: [{ line: 3, column: 'public_id', message: 'is blank but user_status is enabled: only pending invites have no public_id' }],
  },
  {
    name: 'a pending invite carrying usage',
    content: setUsers(5, 'messages', '5'),
    problems: [{ line: 5, column: 'messages', message: 'is "5" on a pending invite; an invite carries no usage (blank)' }],
  },
  {
    name: 'a duplicate public_id',
    content: setUsers(8, 'public_id', 'user-Gh5jK7lM9nP2qR4sT6uV8wX0'),
    problems: [{ line: 8, column: 'public_id', message: 'duplicate public_id user-Gh5jK7lM9nP2qR4sT6uV8wX0 (also on line 3); each account appears once in a report' }],
  },
  {
    name: 'two pending invites for one email (in another case)',
    content: users((rows) => rows.push([...rows[4]!].map((c) => (c === 'New.Hire@Example.com' ? 'new.hire@EXAMPLE.com' : c)))),
    problems: [{ line: 10, column: 'email', message: 'a second pending invite for the same email (also on line 5)' }],
  },
  // --- encodings
  {
    name: 'a Latin-1 byte in a name',
    content: withBytes(setUsers(3, 'name', 'Garcia, Jos§'), '§', LATIN1_E),
    problems: [{ line: 3, column: 'name', message: 'bytes that are not UTF-8 (save the file as UTF-8)' }],
  },
  {
    name: 'a Latin-1 byte in the cadence of the first row',
    content: withBytes(setUsers(2, 'cadence', 'Week§ly'), '§', LATIN1_E),
    problems: [{ line: 2, column: 'cadence', message: 'bytes that are not UTF-8 (save the file as UTF-8)' }],
  },
  {
    name: 'a NUL character in a name',
    content: setUsers(4, 'name', 'Ada\u0000Lovelace'),
    problems: [{ line: 4, column: 'name', message: 'holds a NUL character (byte 0), which the store cannot keep; remove it from the file' }],
  },
  {
    name: 'NUL characters in two cells of one row',
    content: users((_, at) => {
      at(3, 'role', '\u0000');
      at(3, 'email', 'a\u0000@example.com');
    }),
    problems: [
      { line: 3, column: 'email', message: 'holds a NUL character (byte 0), which the store cannot keep; remove it from the file' },
      { line: 3, column: 'role', message: 'holds a NUL character (byte 0), which the store cannot keep; remove it from the file' },
    ],
  },
  {
    name: 'a NUL character in a directory CSV',
    file: 'directory.csv',
    content: edited('directory.csv', (_, at) => at(2, 'department', '["Sales\u0000"]')),
    problems: [{ line: 2, column: 'department', message: 'holds a NUL character (byte 0), which the store cannot keep; remove it from the file' }],
  },
  {
    name: 'a file saved as Latin-1',
    content: Buffer.from(fixtureText('users-weekly.csv'), 'latin1'),
    problems: [2, 3, 7, 8].map((line) => ({ line, column: 'name', message: 'bytes that are not UTF-8 (save the file as UTF-8)' })),
  },
  {
    name: 'a UTF-16 file',
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixtureText('users-weekly.csv'), 'utf16le')]),
    problems: [{ line: 1, message: 'the header holds bytes that are not UTF-8 (save the file as UTF-8)' }],
  },
  // --- many problems: the first 20 by line, and the total
  {
    name: 'many bad rows',
    content: users((rows) => {
      const template = rows[2]!;
      rows.splice(1);
      for (let i = 0; i < 25; i++) rows.push(template.map((c, j) => (j === 4 ? `user-${i}` : j === 13 ? 'maybe' : c)));
    }),
    problems: Array.from({ length: 20 }, (_, i) => ({ line: i + 2, column: 'is_active', message: '"maybe" must be 1 or 0' })),
    total: 25,
  },
  // --- GPT and Project reports
  { name: 'a GPT without id', file: 'gpts.csv', content: edited('gpts-weekly.csv', (rows) => (rows[2]![4] = '')), problems: [{ line: 4, column: 'gpt_id', message: 'is blank; it needs the GPT id' }] },
  {
    name: 'a GPT twice',
    file: 'gpts.csv',
    content: edited('gpts-weekly.csv', (rows) => (rows[3]![4] = 'g-68f0c1d2e3a4b5c6d7e8f9a0')),
    problems: [{ line: 5, column: 'gpt_id', message: 'duplicate gpt_id g-68f0c1d2e3a4b5c6d7e8f9a0 (also on line 2); each GPT appears once in a report' }],
  },
  { name: 'a GPT is_active of 2', file: 'gpts.csv', content: edited('gpts-weekly.csv', (rows) => (rows[2]![10] = '2')), problems: [{ line: 4, column: 'is_active', message: '"2" must be 1 or 0' }] },
  { name: 'a project count that is text', file: 'projects.csv', content: edited('projects-weekly.csv', (rows) => (rows[2]![14] = 'x')), problems: [{ line: 3, column: 'unique_messagers_workspace', message: '"x" is not a whole number ≥ 0' }] },
  // --- Impact survey report
  { name: 'a response outside the period', file: 'impact.csv', content: edited('impact-range.csv', (rows) => (rows[2]![4] = '2025-11-01')), problems: [{ line: 3, column: 'date_partition', message: "2025-11-01 is outside the report's period 2025-10-01..2025-10-31" }] },
  { name: 'a response of another workspace', file: 'impact.csv', content: edited('impact-range.csv', (rows) => (rows[4]![5] = 'ffffffffffffffffffffffffffffffff')), problems: [{ line: 5, column: 'workspace_id', message: `"ffffffffffffffffffffffffffffffff" differs from the report's account_id ${ACCOUNT}` }] },
  { name: 'a response without email', file: 'impact.csv', content: edited('impact-range.csv', (rows) => (rows[1]![7] = '')), problems: [{ line: 2, column: 'email', message: "is blank; it needs the respondent's email" }] },
  // --- directory CSV
  {
    name: 'a directory with one account twice',
    file: 'directory.csv',
    content: edited('directory.csv', (rows) => (rows[4]![0] = 'user-Ev1dE2nT3sO4uR5cE6dU7sE8')),
    problems: [{ line: 5, column: 'public_id', message: 'duplicate public_id user-Ev1dE2nT3sO4uR5cE6dU7sE8 (also on line 2); each account appears once in a directory' }],
  },
  { name: 'a directory status that is unknown', file: 'directory.csv', content: edited('directory.csv', (rows) => (rows[1]![7] = 'Enabled')), problems: [{ line: 2, column: 'user_status', message: '"Enabled" is not one of enabled, pending, deleted' }] },
  // --- impact question catalog
  { name: 'a catalog that is not JSON', file: 'catalog.json', content: '{\n  "questions": [\n    {"question_id": "a"\n    "dimension": "x"}\n  ]\n}\n', problems: [{ line: 4, message: `not valid JSON: expected ',' or '}', found "\\""` }] },
  {
    name: 'usage events given to import',
    file: 'events.ndjson',
    content: '{"id":"e1","ts":"2025-11-03T09:00:00Z","user":"user-a","conversation_id":"c1"}\n{"id":"e2","ts":"2025-11-03T09:01:00Z","user":"user-a","conversation_id":"c1"}\n',
    problems: [{ line: 1, message: 'this looks like usage events (one JSON object per line): load it with `wsa ingest`, not `wsa import`' }],
  },
  { name: 'a catalog without questions', file: 'catalog.json', content: '{"items": []}', problems: [{ line: 1, column: 'questions', message: 'a catalog is a JSON object with a "questions" list' }] },
  { name: 'a catalog with an empty list', file: 'catalog.json', content: '{"questions": []}', problems: [{ line: 1, column: 'questions', message: 'the list is empty; a catalog has at least one question' }] },
  {
    name: 'a catalog question with one answer, a duplicate id and no positive answer',
    file: 'catalog.json',
    content: [
      '{"questions": [',
      '  {"question_id": "q1", "dimension": "productivity", "text": "T1",',
      '   "answers": [{"answer_id": "a", "label": "A", "positive": true}]},',
      '  {"question_id": "q1", "dimension": "", "text": "T2",',
      '   "answers": [{"answer_id": "a", "label": "A", "positive": false}, {"answer_id": "b", "label": "B", "positive": false}]},',
      '  {"question_id": "q3", "dimension": "time_saved", "text": "T3",',
      '   "answers": [{"answer_id": "a", "label": "A", "positive": "yes"}, {"answer_id": "a", "label": "", "positive": true}]}',
      ']}',
    ].join('\n'),
    problems: [
      { line: 3, column: 'questions[0].answers', message: 'has 1 answer; a question needs at least 2' },
      { line: 4, column: 'questions[1].question_id', message: '"q1" is also the id of the question on line 2; ids are unique' },
      { line: 4, column: 'questions[1].dimension', message: 'must be a non-empty string' },
      { line: 5, column: 'questions[1].answers', message: 'no answer is positive; share_positive needs at least one' },
      { line: 7, column: 'questions[2].answers[0].positive', message: 'must be true or false' },
      { line: 7, column: 'questions[2].answers[1].answer_id', message: '"a" appears twice in this question' },
      { line: 7, column: 'questions[2].answers[1].label', message: 'must be a non-empty string' },
    ],
  },
  { name: 'a catalog that is not UTF-8', file: 'catalog.json', content: Buffer.concat([Buffer.from('{"questions": [\n{"question_id": "caf'), LATIN1_E, Buffer.from('"}]}')]), problems: [{ line: 2, message: 'bytes that are not UTF-8 (save the file as UTF-8)' }] },
];

describe.each(backends())('refusing malformed input on %s', (backend) => {
  let store: TestStore;
  let before: Record<string, unknown[]>;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
    // The store already holds the same periods the bad files claim: a refused file must not
    // have deleted the report it would have replaced. (The small fixtures are not one directory
    // over time: each replaces the directory in use as asked.)
    for (const f of ['users-weekly.csv', 'users-monthly-oct.csv', 'users-partial-nov.csv', 'gpts-weekly.csv', 'projects-weekly.csv', 'impact-range.csv', 'directory.csv', 'catalog.json']) {
      await importFile(store.db, fixture(f), options(undefined, { replaceDirectory: true }));
    }
    before = await dumpStore(store.db);
  });
  afterAll(async () => {
    await store?.close();
  });

  it.each(CASES.map((c) => [c.name, c] as const))('refuses %s', async (_name, c) => {
    const file = c.file ?? 'users.csv';
    const error = await importText(store.db, file, c.content, options('2025-11-05T12:00:00Z')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    const invalid = error as InvalidInputError;
    expect(invalid.source).toBe(file);
    expect(invalid.problems).toEqual(c.problems);
    expect(invalid.totalProblems).toBe(c.total ?? c.problems.length);
    expect(invalid.message).toContain(`${file} was rejected, nothing was imported`);
    expect(await dumpStore(store.db)).toEqual(before);
  });

  it('says how many problems it did not list', async () => {
    const c = CASES.find((x) => x.name === 'many bad rows')!;
    const error = (await importText(store.db, 'users.csv', c.content).catch((e: unknown) => e)) as InvalidInputError;
    expect(error.message.split('\n').slice(0, 2)).toEqual([
      'users.csv was rejected, nothing was imported (25 problems):',
      '  line 2, column is_active: "maybe" must be 1 or 0',
    ]);
    expect(error.message.split('\n').at(-1)).toBe('  … and 5 more');
  });

  it('refuses a report of another workspace, naming line and column', async () => {
    const other = users((rows, at) => rows.forEach((_, i) => i > 0 && at(i + 1, 'account_id', 'ffffffffffffffffffffffffffffffff')));
    const error = await importText(store.db, 'other.csv', other).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toBe(
      `other.csv (line 2, column account_id) belongs to workspace ffffffffffffffffffffffffffffffff, but this store holds workspace ${ACCOUNT}. ` +
        'One store holds one workspace: use another store (WSA_DATA_DIR or DATABASE_URL) for the other workspace.',
    );
    expect(await dumpStore(store.db)).toEqual(before);
  });
});

describe.each(backends())('an event-sourced store on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
    await sql`insert into workspace (id, account_id, usage_source) values (1, null, 'events')`.execute(store.db);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('refuses a Users report (two usage sources would double count)', async () => {
    const before = await dumpStore(store.db);
    const error = await importFile(store.db, fixture('users-weekly.csv'), options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain('is a Users report, but this store\'s usage comes from usage events');
    expect(await dumpStore(store.db)).toEqual(before);
  });

  it('takes GPT, Project and Impact reports, the catalog and the directory', async () => {
    for (const f of ['gpts-weekly.csv', 'projects-weekly.csv', 'impact-range.csv', 'catalog.json', 'directory.csv']) {
      await importFile(store.db, fixture(f), options());
    }
    expect(await store.db.selectFrom('workspace').select(['account_id', 'usage_source']).execute()).toEqual([
      { account_id: ACCOUNT, usage_source: 'events' },
    ]);
    expect(await store.db.selectFrom('reports').select('kind').orderBy('kind').execute()).toEqual([
      { kind: 'gpts' },
      { kind: 'impact' },
      { kind: 'projects' },
    ]);
  });
});

describe.each(backends())('extra columns on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
    await clearStore(store.db);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('keeps unknown columns out of the store with a warning naming them', async () => {
    const withExtras = users((rows) => rows.forEach((r, i) => r.splice(7, 0, i === 0 ? 'employee_number' : `EMPNO-${i}`) && r.push(i === 0 ? 'cost_center' : 'CC-1')));
    const result = await importText(store.db, 'extra.csv', withExtras);
    expect(result.warnings).toEqual(['ignored columns the Users report does not have: employee_number, cost_center (not stored)']);
    expect(result.rows).toBe(8);
    const dump = JSON.stringify(await dumpStore(store.db));
    expect(dump).not.toContain('CC-1');
    expect(dump).not.toContain('EMPNO');
    expect(await store.db.selectFrom('directory_accounts').select('account_key').execute()).toHaveLength(8);
  });

  it('notes oddities of harmless rows as counted warnings', async () => {
    const odd = edited('users-monthly-oct.csv', (_rows, at) => {
      at(3, 'is_active', '0');
    });
    const result = await importText(store.db, 'odd.csv', odd);
    expect(result.warnings).toEqual(['1 row with is_active 0 but messages above 0 (first on line 3); imported as written']);
  });
});
