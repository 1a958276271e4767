import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { metricReply } from '../../commands/support/metric-reply.ts';
import { presetPeriod } from '../../src/core/periods.ts';
import type { CommandArgs } from '../../src/core/grammar.ts';
import type { CommandContext } from '../../src/core/registry.ts';
import type { MetricAnswer } from '../../src/metrics/api.ts';
import { silentLogger } from '../../src/log.ts';

// The rows of a big answer and its charts are each several ms on the server's one thread: a
// request that arrived while the rows were made is read before the charts are made.
describe('metricReply and requests waiting on the event loop', () => {
  it('reads a request that arrived while the rows were made before making the charts', async () => {
    const order: string[] = [];
    const server = createServer((socket) => socket.on('data', () => order.push('request read')));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client: Socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await Promise.all([once(client, 'connect'), once(server, 'connection')]);
    const today = '2025-11-23';
    const answer: MetricAnswer = {
      range: { start: '2025-11-16', end: '2025-11-22' },
      covered: { start: '2025-11-16', end: '2025-11-22' },
      partial: false,
      grain: null,
      dataThrough: '2025-11-22',
      lastUpdated: null,
      group: null,
      values: { items: 1 },
      series: [],
      rows: [{ name: 'a', n: 1 }],
      warnings: [],
    };
    const ctx = {
      db: {},
      logger: silentLogger(),
      today,
      now: new Date(`${today}T12:00:00Z`),
      scope: { groups: null, aggregateOnly: false },
    } as unknown as CommandContext;
    const args = {
      period: presetPeriod('last-week', today),
      periodGiven: false,
      grain: null,
      group: null,
      word: null,
      words: [],
    } as unknown as CommandArgs;
    try {
      await metricReply('items', ctx, args, {
        title: 'Items',
        // A request arrives while the rows are made (they are made synchronously, as the store's reply is read).
        fetch: async () => {
          client.write('x');
          return answer;
        },
        charts: () => {
          order.push('charts');
          return [];
        },
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(order).toEqual(['request read', 'charts']);
    } finally {
      client.destroy();
      server.close();
    }
  });
});
