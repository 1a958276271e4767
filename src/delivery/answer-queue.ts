/**
 * Ack first, answer after: work started after a platform request was acknowledged —
 * queued, at most `limit` at a time, each started on the event loop's check phase (setImmediate),
 * after the requests already waiting on sockets have been read and acknowledged. A burst of
 * commands is acked first and answered after, and answers do not pile up on the event loop all at
 * once. Tracked so shutdown and tests can wait for them. Every chat adapter answers through one.
 */

/** Answers computed at once by default. */
export const DEFAULT_MAX_CONCURRENT_ANSWERS = 2;

export class AnswerQueue {
  readonly #waiting: Array<() => Promise<void>> = [];
  readonly #running = new Set<Promise<void>>();
  #idle: Array<() => void> = [];

  constructor(readonly limit: number = DEFAULT_MAX_CONCURRENT_ANSWERS) {}

  /** Queues `task`; it must report its own failures (a rejection here is a bug and is rethrown). */
  run(task: () => Promise<void>): void {
    this.#waiting.push(task);
    this.#pump();
  }

  #pump(): void {
    while (this.#running.size < this.limit && this.#waiting.length > 0) {
      const task = this.#waiting.shift() as () => Promise<void>;
      const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .catch((error: unknown) => {
          queueMicrotask(() => {
            throw error;
          });
        })
        .finally(() => {
          this.#running.delete(p);
          this.#pump();
        });
      this.#running.add(p);
    }
    if (this.#running.size === 0 && this.#waiting.length === 0) {
      const waiters = this.#idle;
      this.#idle = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.#running.size === 0 && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }
}
