/** One short summary per imported file, for people (the CLI, the demo loader's log). */
import type { ImportResult } from './import-types.ts';

const KIND_LABEL: Record<ImportResult['kind'], string> = {
  users: 'Users report',
  gpts: 'GPT report',
  projects: 'Project report',
  impact: 'Impact survey report',
  directory: 'directory',
  catalog: 'impact question catalog',
};

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

export function describeImport(result: ImportResult): string {
  const what = KIND_LABEL[result.kind];
  let head: string;
  if (result.rows === 0 && result.kind !== 'catalog') {
    head = `${what}, no rows: nothing imported`;
  } else if (result.period) {
    head = `${what}, ${result.period.cadence} ${result.period.start}..${result.period.end}, ${plural(result.rows, 'row')}`;
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
  if (result.replacedDemo) lines.push('  The store held only the demo workspace: it was emptied first.');
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}
