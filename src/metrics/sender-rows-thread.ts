/**
 * The JSON answer's every-sender rows built on a thread of their own (sender-rows.ts,
 * sender-rows-worker.mjs). The main thread reads the statement's pages from the store and writes
 * the answer out; the thread parses each page's maps, merges them and prints its rows, about half
 * of the answer's work in the process, at the same time on the machine's other core. One thread
 * per answer, started before the statement's first page is asked for (its start overlaps the
 * database's work before the first row) and ended with the answer.
 */
import { Worker } from 'node:worker_threads';
import type { RowsPage } from '../core/rows-json.ts';

const WORKER_ENTRY = new URL('./sender-rows-worker.mjs', import.meta.url);

type Reply = { page: RowsPage } | { error: string };

export class SenderRowsThread {
  readonly #worker: Worker;
  /** The pages sent and not yet answered, oldest first (the thread answers in order). */
  readonly #waiting: Array<{ resolve: (page: RowsPage) => void; reject: (error: Error) => void }> = [];
  /** Set once the thread can build no more pages: why. */
  #failure: Error | undefined;

  constructor(senders: number, groupNames: Map<string, string>) {
    this.#worker = new Worker(WORKER_ENTRY, {
      workerData: { senders, groupNames: [...groupNames] },
      // The entry is plain JavaScript: the parent's own loader flags (--import tsx) are not for it.
      execArgv: [],
    });
    this.#worker.on('message', (reply: Reply) => {
      const waiting = this.#waiting.shift();
      if ('page' in reply) waiting?.resolve(reply.page);
      else waiting?.reject(new Error(`the JSON answer's rows could not be built: ${reply.error}`));
    });
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', () => this.#fail(new Error("the JSON answer's row thread ended")));
  }

  /** The statement's rows (their text, sender-rows.ts) as the answer's, once the thread has built them (pages in order). */
  build(rows: string[]): Promise<RowsPage> {
    if (this.#failure) return Promise.reject(this.#failure);
    const page = new Promise<RowsPage>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    this.#worker.postMessage(rows);
    return page;
  }

  /** Ends the thread (pages not yet built fail). */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiting of this.#waiting.splice(0)) waiting.reject(this.#failure);
  }
}
