/**
 * The chart specs are core (docs/design.md §2, STYLE "Core knows no platform"): they import nothing but
 * each other — no vega, vega-lite, canvas, platform SDK or Node built-in — and never read
 * process.env. This reads the source, so a new import fails here, not in production.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Grain as ChartGrain } from '../../src/core/charts/types.ts';
import type { Grain } from '../../src/core/periods.ts';

const DIR = new URL('../../src/core/charts/', import.meta.url);
const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /^\s*import\s+['"]([^'"]+)['"]/gm, /\brequire\s*\(\s*['"]([^'"]+)['"]/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) specifiers.push(match[1]!);
  return specifiers;
}

describe('src/core/charts stays pure', () => {
  it('has the builders', () => {
    expect(files).toEqual(expect.arrayContaining(['index.ts', 'types.ts', 'theme.ts', 'trend.ts', 'tasks.ts']));
  });

  it.each(files)('%s imports only sibling chart modules and reads no environment', (file) => {
    const source = readFileSync(join(DIR.pathname, file), 'utf8');
    for (const specifier of importsOf(source)) {
      expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\/[a-z-]+\.ts$/);
    }
    expect(source).not.toMatch(/\bprocess\s*\./);
    expect(source).not.toMatch(/\b(vega|canvas)\b['"]/);
  });

  it("restates the period module's Grain exactly (npm run typecheck fails otherwise)", () => {
    expectTypeOf<ChartGrain>().toEqualTypeOf<Grain>();
  });
});
