/**
 * The server's digest tick (docs/design.md §8): node-cron runs the due-logic of `wsa digest run-due`
 * (digest-runs.ts) at the start of every minute, so subscriptions made by other processes are seen
 * and a restart catches up within the window. A tick still running when the next one comes is not
 * doubled; the ledger keeps several servers from posting the same digest twice.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import { runDue, type DigestRunDeps } from './digest-runs.ts';

export const TICK_EVERY_MINUTE = '* * * * *';

export interface DigestScheduler {
  /** One run now (the tick's own work), resolved when it is done; a run already going is awaited. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startDigestScheduler(deps: DigestRunDeps): DigestScheduler {
  let running: Promise<void> | null = null;
  const tick = (): Promise<void> => {
    if (running) return running;
    running = runDue(deps)
      .then((summary) => {
        if (summary.posted + summary.failed + summary.missed + summary.gone > 0) deps.logger.info(summary, 'digest.tick');
      })
      .catch((err: unknown) => deps.logger.error({ err }, 'digest.tick_failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const task: ScheduledTask = createTask(TICK_EVERY_MINUTE, () => tick(), { name: 'wsa-digests', noOverlap: true });
  void task.start();
  return {
    tick,
    async stop() {
      await task.destroy();
      await running;
    },
  };
}
