/**
 * `--help` for the benchmark scripts that run on their own: each one's usage is the comment at
 * the top of its file, so that comment is what `--help` (or `-h`) prints, before the script's own
 * strict option parsing would refuse the flag.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Prints the calling script's header comment and exits 0 when `--help` or `-h` was given. */
export function usageOnHelp(scriptUrl: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  process.stdout.write(`${headerComment(readFileSync(fileURLToPath(scriptUrl), 'utf8'))}\n`);
  process.exit(0);
}

/** The text of a file's leading block comment, without its comment markers. */
export function headerComment(source: string): string {
  const match = /^\s*\/\*\*?([\s\S]*?)\*\//.exec(source);
  if (!match) return '';
  return match[1]!
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
}
