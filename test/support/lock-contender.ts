/**
 * A process that takes store locks when told to, for the lock takeover race test. Reads lines
 * `DIR AT_MS` on stdin; at AT_MS (busy-waiting, to start with the other contender) it calls
 * acquireLock(DIR) and prints `won` or `lost`. Won locks stay held until the process exits.
 */
import { createInterface } from 'node:readline';
import { acquireLock } from '../../src/store/lock.ts';

const held: unknown[] = [];
for await (const line of createInterface({ input: process.stdin })) {
  const [dir, at] = line.split(' ');
  while (Date.now() < Number(at));
  try {
    held.push(acquireLock(dir!));
    process.stdout.write('won\n');
  } catch (error) {
    process.stdout.write((error as Error).name === 'StoreInUseError' ? 'lost\n' : `error ${(error as Error).message}\n`);
  }
}
