import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { headerComment } from '../../bench/lib/usage.ts';

const BENCH = fileURLToPath(new URL('../../bench/', import.meta.url));

describe('bench scripts answer --help with their header comment', () => {
  it('reads a leading block comment without its markers', () => {
    expect(headerComment('/**\n * What it does.\n *\n *   node x.ts [--runs 5]\n */\nimport a from "a";')).toBe('What it does.\n\n  node x.ts [--runs 5]');
    expect(headerComment('import a from "a";\n/** later */')).toBe('');
  });

  it('every script run on its own has usage to print and asks for it', () => {
    const scripts = readdirSync(BENCH).filter((name) => name.endsWith('.ts'));
    expect(scripts.length).toBeGreaterThan(10);
    for (const name of scripts) {
      const source = readFileSync(`${BENCH}${name}`, 'utf8');
      expect(headerComment(source), name).toMatch(/\S/);
      expect(source, name).toContain('usageOnHelp(import.meta.url);');
    }
  });
});
