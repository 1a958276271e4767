/** One short summary per imported file, for people (the CLI, the demo loader's log). */
import { lockoutReasons } from './directory-change.ts';
import type { ImportResult } from './import-types.ts';

const KIND_LABEL: Record<ImportResult['kind'], string> = {
  users: 'Users report',
  gpts: 'GPT report',
  projects: 'Project report',
  impact: 'Impact survey report',
  directory: 'directory',
  catalog: 'impact question catalog',
  'role-map': 'role-map file',
};

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}

export function describeImport(result: ImportResult): string {
  const what = KIND_LABEL[result.kind];
  let head: string;
  if (result.rows === 0 && result.kind !== 'catalog') {
    head = `${what}, no rows: nothing imported`;
  } else if (result.period) {
    head = `${what}, ${result.period.cadence} ${result.period.start}..${result.period.end}, ${plural(result.rows, 'row')}`;
  } else if (result.kind === 'role-map') {
    head = `${what}, ${plural(result.rows, 'line')}`;
  } else if (result.asOf) {
    head = `${what} as of ${result.asOf}, ${plural(result.rows, 'account')}`;
  } else {
    head = `${what}, ${plural(result.rows, 'question')}`;
  }
  const r = result.replaced;
  if (r) {
    if (r.cadence) head += ` (replaced the ${r.cadence} report ${r.start}..${r.end} imported earlier)`;
    else if (r.asOf) head += ` (replaced the directory imported earlier the same day)`;
    else head += ` (replaced the catalog in use${r.rows === undefined ? '' : `, ${plural(r.rows, 'question')}`})`;
  }
  const lines = [`${result.file}: ${head}`];
  if (result.replacedDemo) {
    lines.push(
      result.clearedSettings
        ? '  The store held only the demo workspace: it was emptied first, with the settings made while trying it (set them again with `wsa settings`).'
        : '  The store held only the demo workspace: it was emptied first.',
    );
  }
  const d = result.directory;
  if (d) {
    const since = d.previousAsOf === null ? ' (the first directory)' : ` since the directory as of ${d.previousAsOf}`;
    lines.push(`  accounts: ${count(d.added)} added, ${count(d.changed)} changed, ${count(d.dropped)} dropped${since}`);
    if (d.forced) lines.push(`  replaced the directory as asked (--replace-directory): ${lockoutReasons(d).join('; ')}`);
  }
  if (result.directoryInUseAsOf) {
    lines.push(`  accounts: not compared; a newer directory (as of ${result.directoryInUseAsOf}) stays the one in use`);
  }
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}

const KIND_PLURAL: Record<ImportResult['kind'], string> = {
  users: 'Users reports',
  gpts: 'GPT reports',
  projects: 'Project reports',
  impact: 'Impact survey reports',
  directory: 'directories',
  catalog: 'impact question catalogs',
  'role-map': 'role-map files',
};

/** The line that ends a multi-file import: how many files went in, of which kinds, and how many were skipped. */
export function describeImportTotals(results: readonly ImportResult[], skipped: number): string {
  const kinds = (Object.keys(KIND_LABEL) as ImportResult['kind'][])
    .map((kind) => {
      const n = results.filter((r) => r.kind === kind).length;
      return n === 0 ? '' : `${count(n)} ${n === 1 ? KIND_LABEL[kind] : KIND_PLURAL[kind]}`;
    })
    .filter((s) => s !== '');
  const files = `Imported ${plural(results.length, 'file')}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`;
  return `${files}; ${count(skipped)} skipped.`;
}
