/**
 * One error base for the whole application. The core throws these; each adapter (CLI, Slack,
 * Teams, HTTP) turns them into a reply in exactly one place.
 */
export type ErrorCode =
  | 'usage'
  | 'forbidden'
  | 'not_found'
  | 'unanswerable'
  | 'invalid_input'
  | 'conflict'
  | 'store_in_use'
  | 'config'
  | 'platform'
  | 'render'
  | 'internal';

export interface WsaErrorOptions {
  /** Whether the message may be shown to the person who asked. */
  userFacing?: boolean;
  cause?: unknown;
}

export class WsaError extends Error {
  readonly code: ErrorCode;
  readonly userFacing: boolean;

  constructor(code: ErrorCode, message: string, options: WsaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.userFacing = options.userFacing ?? true;
  }
}

/** A malformed request: bad arguments, unknown command or key. */
export class UsageError extends WsaError {
  constructor(message: string, options?: WsaErrorOptions) {
    super('usage', message, options);
  }
}

/** The caller's role does not allow the request. */
export class ForbiddenError extends WsaError {
  constructor(message: string, options?: WsaErrorOptions) {
    super('forbidden', message, options);
  }
}

export class NotFoundError extends WsaError {
  constructor(message: string, options?: WsaErrorOptions) {
    super('not_found', message, options);
  }
}

/** The request is well-formed but the data cannot answer it. */
export class UnanswerableError extends WsaError {
  constructor(message: string, options?: WsaErrorOptions) {
    super('unanswerable', message, options);
  }
}

/** A problem in an input file or request body, located by line and column. */
export interface InputProblem {
  line: number;
  column?: string;
  message: string;
}

/** How many problems an input error lists (docs/design.md §4: the first 20). */
export const MAX_REPORTED_PROBLEMS = 20;

export class InvalidInputError extends WsaError {
  readonly problems: InputProblem[];
  readonly source: string;
  readonly totalProblems: number;

  constructor(source: string, problems: InputProblem[], totalProblems = problems.length) {
    super('invalid_input', formatProblems(source, problems, totalProblems));
    this.source = source;
    this.problems = problems.slice(0, MAX_REPORTED_PROBLEMS);
    this.totalProblems = totalProblems;
  }
}

function formatProblems(source: string, problems: InputProblem[], total: number): string {
  const lines = problems.slice(0, MAX_REPORTED_PROBLEMS).map((p) => {
    const where = p.line > 0 ? `line ${p.line}` : 'file';
    return `  ${where}${p.column ? `, column ${p.column}` : ''}: ${p.message}`;
  });
  const more = total > lines.length ? `\n  … and ${total - lines.length} more` : '';
  return `${source} was rejected, nothing was imported (${total} problem${total === 1 ? '' : 's'}):\n${lines.join('\n')}${more}`;
}

/** The request conflicts with what the store holds (another workspace, another usage source). */
export class ConflictError extends WsaError {
  constructor(message: string, options?: WsaErrorOptions) {
    super('conflict', message, options);
  }
}

export class StoreInUseError extends WsaError {
  constructor(message: string, options?: WsaErrorOptions) {
    super('store_in_use', message, options);
  }
}

export class ConfigError extends WsaError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('config', `Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** A chat platform call failed. */
export class PlatformError extends WsaError {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(
    message: string,
    options: WsaErrorOptions & { retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super('platform', message, { userFacing: false, ...options });
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export class RenderError extends WsaError {
  constructor(message: string, options?: WsaErrorOptions) {
    super('render', message, { userFacing: false, ...options });
  }
}

export function isWsaError(error: unknown): error is WsaError {
  return error instanceof WsaError;
}
