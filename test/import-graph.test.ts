/**
 * The runtime import graph of src/, commands/ and digests/ has no circle, and every import names
 * its module literally (so the graph can be read from the code). Type-only imports are erased at
 * run time and do not count.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const DIRS = ['src', 'commands', 'digests'];
/** Imports by computed path allowed: migrations are loaded by file name and import no app code. */
const COMPUTED_ALLOWED = new Set(['src/store/migrate.ts']);

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

const STATIC = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"]([^'"]+)['"]/gm;
const SIDE_EFFECT = /^\s*import\s+['"]([^'"]+)['"]/gm;
const DYNAMIC = /(?<!typeof\s)\bimport\(\s*(['"]([^'"]+)['"])?/g;

/** Whether every binding of `{ type A, type B }` is a type. */
function onlyTypes(clause: string): boolean {
  const m = /^\{([^}]*)\}$/s.exec(clause.trim());
  if (!m) return false;
  const names = m[1]!.split(',').map((s) => s.trim()).filter(Boolean);
  return names.length > 0 && names.every((n) => n.startsWith('type '));
}

function runtimeImports(file: string): { targets: string[]; computed: number } {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(STATIC)) {
    if (m[2] || onlyTypes(m[3]!)) continue;
    specs.push(m[4]!);
  }
  for (const m of text.matchAll(SIDE_EFFECT)) specs.push(m[1]!);
  let computed = 0;
  for (const m of text.matchAll(DYNAMIC)) {
    // `import('x').Type` in a type position is not an import at run time.
    const after = text.slice(m.index! + m[0].length);
    if (m[2] && /^\s*\)\s*\./.test(after) && !/^\s*\)\s*\.then/.test(after)) continue;
    if (m[2]) specs.push(m[2]);
    else computed++;
  }
  const targets = specs.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s));
  return { targets, computed };
}

describe('the import graph', () => {
  const all = DIRS.flatMap((d) => files(join(ROOT, d)));
  const inScope = new Set(all);
  const graph = new Map(all.map((f) => [f, runtimeImports(f)]));

  it('has modules to check', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it('names every imported module literally', () => {
    const computed = [...graph]
      .filter(([file, { computed }]) => computed > 0 && !COMPUTED_ALLOWED.has(relative(ROOT, file)))
      .map(([file]) => relative(ROOT, file));
    expect(computed).toEqual([]);
  });

  it('has no circle at run time', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      path.push(file);
      for (const next of graph.get(file)?.targets ?? []) {
        if (!inScope.has(next)) continue;
        if (state.get(next) === 'open') {
          circles.push([...path.slice(path.indexOf(next)), next].map((f) => relative(ROOT, f)).join(' → '));
        } else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of all) if (!state.has(file)) visit(file);
    expect(circles).toEqual([]);
  });

  it('lists every module in src/cli/commands/ as a subcommand', async () => {
    const { subcommandNames } = await import('../src/cli/subcommands.ts');
    const modules = readdirSync(join(ROOT, 'src/cli/commands'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3))
      .sort();
    expect([...subcommandNames()].sort()).toEqual(modules);
  });
});
