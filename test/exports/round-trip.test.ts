/**
 * Exports give back imported reports value for value (docs/design.md §7 "Exports"): each fixture is
 * imported, the same period exported through `wsa export`, and the two files compared cell by
 * cell — maps as parsed dicts (the store keeps them as jsonb, without the file's key order), a
 * formula-like cell with one leading apostrophe, every other cell exactly.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { command } from '../../src/cli/commands/export.ts';
import { parsePythonDict } from '../../src/ingest/python-literal.ts';
import { readAudit } from '../../src/store/audit.ts';
import { backends, clearStore, openTestStore, type TestStore } from '../support/store.ts';
import { fixtureText, importText, options } from '../ingest/support/import-helpers.ts';
import { cliContext } from './support.ts';

const MAP_COLUMNS = new Set(['model_to_messages', 'gpt_to_messages', 'tool_to_messages', 'project_to_messages']);

function rowsOf(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: false }) as string[][];
}

function dict(cell: string): unknown {
  return cell === '' ? {} : Object.fromEntries(parsePythonDict(cell));
}

/** Compares an export with its source cell by cell; returns the differences (none expected). */
function differences(source: string[][], exported: string[][]): string[] {
  const out: string[] = [];
  if (JSON.stringify(source[0]) !== JSON.stringify(exported[0])) out.push(`header ${exported[0]!.join(',')}`);
  if (source.length !== exported.length) out.push(`${exported.length - 1} rows, not ${source.length - 1}`);
  const header = source[0]!;
  for (let r = 1; r < Math.min(source.length, exported.length); r++) {
    header.forEach((column, c) => {
      const want = source[r]![c]!;
      const got = exported[r]![c]!;
      if (MAP_COLUMNS.has(column)) {
        if (JSON.stringify(dict(want)) !== JSON.stringify(dict(got)) && !sameDict(want, got)) out.push(`row ${r} ${column}: ${got} ≠ ${want}`);
      } else {
        // Spreadsheet safety: a cell a spreadsheet would run gets one apostrophe, nothing else.
        const expected = /^[=+\-@\t\r\n]/.test(want) ? `'${want}` : want;
        if (got !== expected) out.push(`row ${r} ${column}: ${JSON.stringify(got)} ≠ ${JSON.stringify(expected)}`);
      }
    });
  }
  return out;
}

function sameDict(a: string, b: string): boolean {
  const x = dict(a) as Record<string, unknown>;
  const y = dict(b) as Record<string, unknown>;
  return Object.keys(x).length === Object.keys(y).length && Object.entries(x).every(([k, v]) => y[k] === v);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsa-export-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(backends())('exports on %s', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(backend);
  });
  afterAll(async () => {
    await store?.close();
  });
  beforeEach(async () => {
    await clearStore(store.db);
  });

  async function exportTo(name: string, args: string[]): Promise<string> {
    const file = join(dir, `${backend}-${name}`);
    const { ctx } = cliContext(store);
    expect(await command.run([...args, '--out', file], ctx)).toBe(0);
    return readFileSync(file, 'utf8');
  }

  it('gives back a weekly Users report (BOM, CRLF, a quoted line break, credits, formulas) and the group names of its week', async () => {
    await importText(store.db, 'week1.csv', fixtureText('users-weekly-roundtrip.csv'));
    // The next week renames group 6806684c… (and leaves most people out, so it replaces the directory).
    await importText(store.db, 'week2.csv', fixtureText('users-weekly-next.csv'), options('2025-11-10T10:00:00Z', { replaceDirectory: true }));

    const week1 = await exportTo('week1.csv', ['users', '--from', '2025-10-26', '--to', '2025-11-01', '--cadence', 'weekly']);
    const source1 = rowsOf(fixtureText('users-weekly-roundtrip.csv'));
    expect(differences(source1, rowsOf(week1))).toEqual([]);
    // What the comparison rests on, spelled out once.
    expect(week1).not.toMatch(/^\uFEFF/);
    expect(week1).toContain('"Ann\r\nSecond-Line"');
    expect(week1).toContain(`,"'=HYPERLINK(""http://x.example"")",`);
    expect(week1).toContain(",'-director,");
    expect(week1).toContain("'SG-Chatgpt-Users'");
    expect(week1).not.toContain('SG ChatGPT Everyone');
    expect(rowsOf(week1)[0]!.at(-1)).toBe('credits_used');
    expect(statSync(join(dir, `${backend}-week1.csv`)).mode & 0o777).toBe(0o600);

    const both = await exportTo('both.csv', ['users', '--from', '2025-10-26', '--to', '2025-11-08', '--cadence', 'weekly']);
    const rows = rowsOf(both);
    const source2 = rowsOf(fixtureText('users-weekly-next.csv'));
    // No credits in the second week, but the file has the column for the first.
    expect(differences(source1, rows.slice(0, source1.length))).toEqual([]);
    const second = rows.slice(source1.length).map((r) => r.slice(0, -1));
    expect(rows.slice(source1.length).every((r) => r.at(-1) === '')).toBe(true);
    expect(differences(source2, [source2[0]!, ...second])).toEqual([]);
    expect(both).toContain("'SG ChatGPT Everyone'");

    const audit = await readAudit(store.db);
    expect(audit.at(-1)).toMatchObject({ actor: 'operator', command: 'export', export: { type: 'users', start: '2025-10-26', end: '2025-11-08', rows: rows.length - 1 } });
  });

  it('gives back a monthly Users report with its pending invite and credits', async () => {
    await importText(store.db, 'oct.csv', fixtureText('users-monthly-oct.csv'));
    const text = await exportTo('oct.csv', ['users', '--from', '2025-10-01', '--to', '2025-10-31', '--cadence', 'monthly']);
    expect(differences(rowsOf(fixtureText('users-monthly-oct.csv')), rowsOf(text))).toEqual([]);
  });

  it('leaves out credits_used when the report had none', async () => {
    await importText(store.db, 'week.csv', fixtureText('users-weekly.csv'));
    const text = await exportTo('plain.csv', ['users', '--from', '2025-10-26', '--to', '2025-11-01', '--cadence', 'weekly']);
    expect(differences(rowsOf(fixtureText('users-weekly.csv')), rowsOf(text))).toEqual([]);
  });

  it.each([
    ['gpts', 'gpts-weekly.csv', ['--from', '2025-10-26', '--to', '2025-11-01']],
    ['projects', 'projects-weekly.csv', ['--from', '2025-10-26', '--to', '2025-11-01']],
    ['impact', 'impact-range.csv', ['--from', '2025-10-01', '--to', '2025-10-31']],
  ])('gives back a %s report', async (type, file, range) => {
    await importText(store.db, file, fixtureText(file));
    const text = await exportTo(`${type}.csv`, [type, ...range]);
    expect(differences(rowsOf(fixtureText(file)), rowsOf(text))).toEqual([]);
  });
});
