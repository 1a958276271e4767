/**
 * Vega-Lite ignores properties it does not know, silently: a misspelt theme key (labelFontsize)
 * would just not apply. This walks every sample spec against vega-lite's own JSON schema and
 * fails on any property name the schema does not allow at that place. (Names only, not value
 * types; the compile and render tests cover the rest.)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { badDataCharts, realisticCharts } from '../charts/samples.ts';

type Schema = Record<string, unknown>;
const require = createRequire(import.meta.url);
const root = JSON.parse(readFileSync(require.resolve('vega-lite/vega-lite-schema.json'), 'utf8')) as Schema;
const definitions = root['definitions'] as Record<string, Schema>;

/** Every object-shaped alternative a schema node can take ($ref, anyOf, oneOf, allOf resolved). */
function branches(node: Schema | undefined, seen = new Set<string>()): Schema[] {
  if (!node) return [];
  const ref = node['$ref'] as string | undefined;
  if (ref) {
    if (seen.has(ref)) return [];
    seen.add(ref);
    return branches(definitions[ref.replace('#/definitions/', '')], seen);
  }
  const alternatives = [...((node['anyOf'] as Schema[]) ?? []), ...((node['oneOf'] as Schema[]) ?? []), ...((node['allOf'] as Schema[]) ?? [])];
  if (alternatives.length > 0) return alternatives.flatMap((a) => branches(a, seen));
  return [node];
}

function check(value: unknown, node: Schema | undefined, path: string, problems: string[]): void {
  if (value === null || typeof value !== 'object' || !node) return;
  const options = branches(node);
  if (Array.isArray(value)) {
    const items = options.flatMap((o) => (o['items'] ? [o['items'] as Schema] : []));
    if (items.length === 0) return;
    value.forEach((v, i) => check(v, { anyOf: items }, `${path}[${i}]`, problems));
    return;
  }
  const objects = options.filter((o) => o['type'] === 'object' || o['properties']);
  if (objects.length === 0) return;
  // Free-form objects (data rows, maps) accept any key.
  if (objects.some((o) => o['additionalProperties'] !== false && !o['properties'])) return;
  if (objects.some((o) => o['additionalProperties'] !== false && o['additionalProperties'] !== undefined)) return;
  for (const [key, child] of Object.entries(value)) {
    const holders = objects.filter((o) => (o['properties'] as Schema | undefined)?.[key] !== undefined);
    if (holders.length === 0) {
      if (objects.every((o) => o['additionalProperties'] === false)) problems.push(`${path}.${key}`);
      continue;
    }
    if (path.endsWith('.data') && key === 'values') continue; // inline rows are free-form
    check(child, { anyOf: holders.map((o) => (o['properties'] as Record<string, Schema>)[key]!) }, `${path}.${key}`, problems);
  }
}

const charts = { ...realisticCharts(), ...badDataCharts() };

describe('spec property names are all Vega-Lite ones', () => {
  it('catches a misspelt property (the checker works)', () => {
    const problems: string[] = [];
    check({ $schema: 'x', mark: 'bar', config: { axis: { labelFontsize: 12 } } }, root, 'spec', problems);
    expect(problems).toEqual(['spec.config.axis.labelFontsize']);
  });

  it('looks inside layers, marks, encodings and axes too', () => {
    const spec = structuredClone(realisticCharts()['top-users']!.spec) as Record<string, unknown>;
    type Node = Record<string, Record<string, unknown>>;
    const layer = (spec['layer'] as Node[])[0]!;
    layer['mark']!['colr'] = 'red';
    ((layer['encoding']!['x'] as Node)['axis'] as Record<string, unknown>)['labelFontsize'] = 12;
    const problems: string[] = [];
    check(spec, root, 'spec', problems);
    expect(problems).toEqual(['spec.layer[0].mark.colr', 'spec.layer[0].encoding.x.axis.labelFontsize']);
  });

  it.each(Object.entries(charts))('%s', (_name, chart) => {
    const problems: string[] = [];
    check(chart.spec, root, 'spec', problems);
    expect(problems).toEqual([]);
  });
});
