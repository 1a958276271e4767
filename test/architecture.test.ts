/**
 * The walls of the house (src/README.md), read from the code's own imports:
 * - the core (src/core) stands on the ground: it imports nothing from the rooms above it
 *   (adapters, delivery, render, server, CLI, local mode, the composition root, commands,
 *   digests) and no platform SDK, vega, canvas or database driver — static, dynamic, side-effect
 *   or type-only, it makes no difference;
 * - the platform-neutral rooms (core, metrics, commands, digests) import no platform SDK, vega or
 *   canvas and never read process.env;
 * - a platform SDK is imported only inside its own adapter folder;
 * - the delivery layer (src/delivery) serves every platform: no adapter, renderer or SDK in it;
 * - nothing in src/, commands/ or digests/ imports itself back through a runtime circle, and every
 *   import names its module literally, so the graph can be read from the code (the migration
 *   loader, which loads migrations by file name, is the one exception).
 * A folder named here that does not exist fails the test rather than passing it vacuously.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('..', import.meta.url).pathname);

const CORE = 'src/core';
/** Rooms above the core: the core may not name them. */
const ABOVE_CORE = [
  'src/adapters',
  'src/delivery',
  'src/render',
  'src/server',
  'src/cli',
  'src/local',
  'src/app.ts',
  'commands',
  'digests',
];
/** Rooms that know no platform and no environment. */
const NEUTRAL = ['src/core', 'src/metrics', 'src/exports', 'commands', 'digests'];
/** Where the runtime import graph must have no circle. */
const ACYCLIC = ['src', 'commands', 'digests'];
/** The platform-neutral delivery layer and what it may not import. */
const DELIVERY = 'src/delivery';
const NOT_IN_DELIVERY = ['src/adapters', 'src/render', 'src/server', 'src/cli', 'src/local', 'src/app.ts'];
/** Imports by computed path allowed: migrations are loaded by file name and import no app code. */
const COMPUTED_ALLOWED = new Set(['src/store/migrate.ts']);
/** Each platform SDK and the one folder allowed to import it. */
const SDK_HOMES: ReadonlyArray<{ sdk: RegExp; home: string }> = [
  { sdk: /^@slack\//, home: 'src/adapters/slack' },
  { sdk: /^(@microsoft\/teams-ai|botbuilder|botframework-)/, home: 'src/adapters/teams' },
];
/** Where SDK imports are looked for (tests may drive the libraries directly). */
const SDK_SCAN = ['src', 'commands', 'digests', 'bench'];
/** Packages the core and the neutral rooms never import. */
const PLATFORM_PACKAGE = /^(@slack\/|@microsoft\/|botbuilder|botframework-|vega($|-)|canvas$|pg$|@electric-sql\/|node:http)/;
const CORE_ONLY_PACKAGE = /^(kysely$|pg$|@electric-sql\/|pino$)/;

interface Import {
  readonly spec: string;
  /** Erased at run time: `import type`, `export type`, every named binding `type`, `import('…').T`. */
  readonly typeOnly: boolean;
  readonly line: number;
}

function sourceFiles(dir: string): string[] {
  const path = join(ROOT, dir);
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path)) {
    const p = join(path, entry);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(relative(ROOT, p)));
    else if (/\.(ts|mts|mjs|js)$/.test(p) && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const STATIC = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"]([^'"]+)['"]/gm;
const SIDE_EFFECT = /^\s*import\s+['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)(\s*\.\s*(?!then\b)[A-Za-z_$])?/g;
/** `import(` with anything but a string literal: a module named by an expression. */
const COMPUTED = /(?<![\w.])import\(\s*(?!['"])/g;

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(STATIC)) {
    const [, , typeKeyword, clause = '', spec = ''] = m;
    const named = /^\{([\s\S]*)\}$/.exec(clause.trim());
    const allTypeNames =
      named !== null &&
      named[1]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .every((s) => s.startsWith('type '));
    out.push({ spec, typeOnly: Boolean(typeKeyword) || allTypeNames, line: lineOf(text, m.index ?? 0) });
  }
  for (const m of text.matchAll(SIDE_EFFECT)) out.push({ spec: m[1]!, typeOnly: false, line: lineOf(text, m.index ?? 0) });
  // `import('x').Name` names a type; `await import('x')` loads the module.
  for (const m of text.matchAll(DYNAMIC)) out.push({ spec: m[1]!, typeOnly: Boolean(m[2]), line: lineOf(text, m.index ?? 0) });
  return out;
}

/** The repository path an import names, or undefined for a package. */
function resolveLocal(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(ROOT, resolve(dirname(from), spec));
}

function inside(path: string, room: string): boolean {
  return path === room || path.startsWith(`${room}/`);
}

const rel = (file: string) => relative(ROOT, file);

describe('the walls of the house', () => {
  it.each([...new Set([CORE, ...ABOVE_CORE, ...NEUTRAL, ...ACYCLIC, ...SDK_SCAN])])('%s exists', (room) => {
    expect(existsSync(join(ROOT, room)), `${room} is named by this test but does not exist`).toBe(true);
  });

  it('the core imports nothing from the rooms above it, and no platform, vega, canvas or driver', () => {
    const files = sourceFiles(CORE);
    expect(files.length).toBeGreaterThan(10);
    const breaches: string[] = [];
    for (const file of files) {
      for (const imp of importsOf(file)) {
        const target = resolveLocal(file, imp.spec);
        if (target !== undefined) {
          const room = ABOVE_CORE.find((r) => inside(target, r));
          if (room) breaches.push(`${rel(file)}:${imp.line} imports ${imp.spec} (${room})`);
        } else if (PLATFORM_PACKAGE.test(imp.spec) || CORE_ONLY_PACKAGE.test(imp.spec) && !imp.typeOnly) {
          breaches.push(`${rel(file)}:${imp.line} imports the package ${imp.spec}`);
        }
      }
    }
    expect(breaches).toEqual([]);
  });

  it('the platform-neutral rooms import no platform, vega or canvas and never read process.env', () => {
    const breaches: string[] = [];
    for (const room of NEUTRAL) {
      for (const file of sourceFiles(room)) {
        for (const imp of importsOf(file)) {
          if (resolveLocal(file, imp.spec) === undefined && PLATFORM_PACKAGE.test(imp.spec) && !/^pg$|^@electric-sql\//.test(imp.spec)) {
            breaches.push(`${rel(file)}:${imp.line} imports ${imp.spec}`);
          }
        }
        if (/process\.env/.test(readFileSync(file, 'utf8'))) breaches.push(`${rel(file)} reads process.env`);
      }
    }
    expect(breaches).toEqual([]);
  });

  it('a platform SDK is imported only inside its own adapter folder', () => {
    const breaches: string[] = [];
    for (const room of SDK_SCAN) {
      for (const file of sourceFiles(room)) {
        for (const imp of importsOf(file)) {
          const home = SDK_HOMES.find((h) => h.sdk.test(imp.spec));
          if (home && !inside(rel(file), home.home)) breaches.push(`${rel(file)}:${imp.line} imports ${imp.spec} outside ${home.home}`);
        }
      }
    }
    expect(breaches).toEqual([]);
  });

  it('the delivery layer imports no adapter, renderer, server, CLI or platform package', () => {
    const files = sourceFiles(DELIVERY);
    expect(files.map(rel)).toContain('src/delivery/port.ts');
    const breaches: string[] = [];
    for (const file of files) {
      for (const imp of importsOf(file)) {
        const target = resolveLocal(file, imp.spec);
        const room = target === undefined ? undefined : NOT_IN_DELIVERY.find((r) => inside(target, r));
        if (room) breaches.push(`${rel(file)}:${imp.line} imports ${imp.spec} (${room})`);
        if (target === undefined && PLATFORM_PACKAGE.test(imp.spec) && !/^pg$|^@electric-sql\//.test(imp.spec)) {
          breaches.push(`${rel(file)}:${imp.line} imports ${imp.spec}`);
        }
      }
      if (/process\.env/.test(readFileSync(file, 'utf8'))) breaches.push(`${rel(file)} reads process.env`);
    }
    expect(breaches).toEqual([]);
  });

  it('every import names its module literally', () => {
    const computed = ACYCLIC.flatMap(sourceFiles)
      .filter((file) => !COMPUTED_ALLOWED.has(rel(file)))
      .filter((file) => COMPUTED.test(readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')))
      .map(rel);
    expect(computed).toEqual([]);
  });

  it('lists every module in src/cli/commands/ as a subcommand', async () => {
    const { subcommandNames } = await import('../src/cli/subcommands.ts');
    const modules = readdirSync(join(ROOT, 'src/cli/commands'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3))
      .sort();
    expect([...subcommandNames()].sort()).toEqual(modules);
  });

  it('no runtime import circle in src/, commands/ or digests/', () => {
    const files = ACYCLIC.flatMap(sourceFiles).map(rel);
    const known = new Set(files);
    const edges = new Map<string, string[]>();
    for (const file of files) {
      const targets = importsOf(join(ROOT, file))
        .filter((imp) => !imp.typeOnly)
        .map((imp) => resolveLocal(join(ROOT, file), imp.spec))
        .filter((t): t is string => t !== undefined && known.has(t));
      edges.set(file, targets);
    }
    expect(circles(files, edges)).toEqual([]);
  });

  it('finds a circle when there is one (the check itself can fail)', () => {
    const edges = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(['a', 'b', 'c', 'd'], edges)).toEqual([['a', 'b', 'c']]);
  });
});

/** Tarjan's strongly connected components of more than one file (or a file importing itself). */
function circles(nodes: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return found;
}
