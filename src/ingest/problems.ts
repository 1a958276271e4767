/**
 * Collects the problems of one input file: keeps the first ones by line (docs/design.md §4: the first
 * 20 are reported) and counts them all, so memory stays bounded however bad the file is.
 */
import { InvalidInputError, MAX_REPORTED_PROBLEMS, type InputProblem } from '../core/errors.ts';

export class Problems {
  readonly #kept: InputProblem[] = [];
  #total = 0;

  constructor(readonly source: string) {}

  get total(): number {
    return this.#total;
  }

  get any(): boolean {
    return this.#total > 0;
  }

  add(line: number, column: string | undefined, message: string): void {
    this.#total++;
    const problem: InputProblem = column === undefined ? { line, message } : { line, column, message };
    const kept = this.#kept;
    if (kept.length >= MAX_REPORTED_PROBLEMS && kept[kept.length - 1]!.line <= line) return;
    // Problems mostly arrive in line order; a late one (a duplicate found at flush) is slotted in.
    let i = kept.length;
    while (i > 0 && kept[i - 1]!.line > line) i--;
    kept.splice(i, 0, problem);
    if (kept.length > MAX_REPORTED_PROBLEMS) kept.pop();
  }

  /** Throws the InvalidInputError for the file when there is any problem. */
  throwIfAny(): void {
    if (this.#total > 0) throw this.error();
  }

  error(): InvalidInputError {
    return new InvalidInputError(this.source, [...this.#kept], this.#total);
  }
}

/** Throws at once for a problem that makes the rest of the file unreadable. */
export function fail(source: string, line: number, column: string | undefined, message: string): never {
  const p = new Problems(source);
  p.add(line, column, message);
  throw p.error();
}
