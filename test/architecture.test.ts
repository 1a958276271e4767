/**
 * The core knows no platform (STYLE.md): metrics, periods, access policy, chart specs and the
 * commands import no Slack/Teams/botbuilder/vega/canvas code and never read process.env.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const CORE_DIRS = ['src/core', 'src/metrics', 'commands', 'digests'];
const FORBIDDEN = /from\s+['"](@slack\/|@microsoft\/|botbuilder|vega|vega-lite|canvas|node:http|pg|@electric-sql)/;

function files(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('architecture', () => {
  const coreFiles = CORE_DIRS.flatMap((d) => files(join(ROOT, d)));

  it('has core files to check', () => {
    expect(coreFiles.length).toBeGreaterThan(0);
  });

  it.each(coreFiles.map((f) => [relative(ROOT, f), f]))('%s imports no platform code', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(FORBIDDEN);
    expect(text).not.toMatch(/process\.env/);
  });
});
