/** One way to turn a Reply's charts into images, with each failed chart standing as its text. */
import { describe, expect, it } from 'vitest';
import { reply, type ChartAttachment } from '../../src/core/reply.ts';
import { chartFileName, renderCharts } from '../../src/delivery/charts.ts';

function chart(title: string): ChartAttachment {
  return {
    kind: 'trend',
    spec: { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title },
    altText: `${title} over time`,
    fallbackText: `${title}\n2026-10-04  120`,
  };
}

const twoCharts = reply({ command: 'overview', title: 'Overview', charts: [chart('Active users'), chart('Messages')] });

describe('renderCharts', () => {
  it('renders each chart, and a chart whose render fails becomes its text fallback with a warning', async () => {
    const failures: Array<{ index: number; message: string }> = [];
    const result = await renderCharts(
      twoCharts,
      async (spec) => {
        if (spec.title === 'Messages') throw new Error('canvas out of memory');
        return new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
      },
      ({ index, error }) => failures.push({ index, message: (error as Error).message }),
    );
    expect(result.rendered.map((c) => [c.index, c.filename, [...c.png]])).toEqual([[0, 'overview-1.png', [0x89, 0x50, 0x4e, 0x47]]]);
    expect(result.fallbacks.map((f) => [f.index, f.text])).toEqual([[1, 'Messages\n2026-10-04  120']]);
    expect(result.failed).toBe(true);
    expect(failures).toEqual([{ index: 1, message: 'canvas out of memory' }]);
  });

  it('gives every chart as text when there is no renderer, and nothing failed when there are no charts', async () => {
    const none = await renderCharts(twoCharts, undefined);
    expect(none.rendered).toEqual([]);
    expect(none.fallbacks.map((f) => f.index)).toEqual([0, 1]);
    expect(none.failed).toBe(true);
    const empty = await renderCharts(reply({ command: 'help', title: 'Help' }), async () => new Uint8Array());
    expect(empty).toEqual({ rendered: [], fallbacks: [], failed: false });
  });

  it('names one chart after its command, several with their number', () => {
    expect(chartFileName({ command: 'active-users', charts: [chart('a')] }, 0)).toBe('active-users.png');
    expect(chartFileName(twoCharts, 1)).toBe('overview-2.png');
  });
});
