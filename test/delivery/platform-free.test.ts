/** The delivery layer is for every platform: it imports no platform SDK, no renderer, no process.env. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = new URL('../../src/delivery/', import.meta.url).pathname;
const FORBIDDEN = /from\s+['"](@slack\/|@microsoft\/|botbuilder|vega|vega-lite|canvas|\.\.\/adapters\/|\.\.\/render\/)/;

describe('src/delivery', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));

  it('has files to check', () => {
    expect(files).toContain('port.ts');
  });

  it.each(files)('%s imports no platform or render code', (file) => {
    const text = readFileSync(join(DIR, file), 'utf8');
    expect(text).not.toMatch(FORBIDDEN);
    expect(text).not.toMatch(/process\.env/);
  });
});
