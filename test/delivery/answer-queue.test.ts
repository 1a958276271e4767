/** Answers run after the acks, at most N at a time. */
import { describe, expect, it } from 'vitest';
import { AnswerQueue } from '../../src/delivery/answer-queue.ts';

describe('AnswerQueue', () => {
  it('runs at most its limit at once, in arrival order, and says when it is idle', async () => {
    const queue = new AnswerQueue(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      queue.run(async () => {
        running += 1;
        most = Math.max(most, running);
        order.push(i);
        await new Promise((r) => setTimeout(r, 10));
        running -= 1;
      });
    }
    // Nothing starts in the same turn as the ack that queued it.
    expect(order).toEqual([]);
    await queue.idle();
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(running).toBe(0);
    await queue.idle();
  });
});
