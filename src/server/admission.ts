/**
 * Admission for work that holds the store: at most `maxRunning` at once and `maxWaiting` in line
 * (first come, first served); past that a caller is told at once to come back later, rather than
 * every request slowing down together until all of them time out.
 */
export interface Admission {
  /** Runs `task` when a place is free; undefined (task not run) when the line is full. */
  run<T>(task: () => Promise<T>): Promise<{ value: T } | undefined>;
  readonly running: number;
  readonly waiting: number;
}

export function createAdmission(options: { maxRunning: number; maxWaiting: number }): Admission {
  let running = 0;
  const line: Array<() => void> = [];

  const release = () => {
    const next = line.shift();
    if (next) next();
    else running--;
  };

  return {
    get running() {
      return running;
    },
    get waiting() {
      return line.length;
    },
    async run(task) {
      if (running < options.maxRunning) running++;
      else if (line.length < options.maxWaiting) await new Promise<void>((resolve) => line.push(resolve));
      else return undefined;
      // A place handed over by release() keeps `running` as it is.
      try {
        return { value: await task() };
      } finally {
        release();
      }
    },
  };
}
