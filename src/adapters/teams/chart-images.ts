/**
 * A Reply's charts as inline card images: rendered through the delivery layer (a chart that fails
 * stands as its text), then checked against what Teams shows inline (≤ MAX_IMAGE_SIDE pixels on
 * the longer side, ≤ MAX_IMAGE_BYTES) and turned into data URIs. A chart too large to show inline
 * is left out too, so the card shows its text.
 */
import type { Logger } from '../../log.ts';
import type { Reply } from '../../core/reply.ts';
import { renderCharts, type RenderChart } from '../../delivery/charts.ts';
import { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE } from './limits.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's header, or null when the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | null {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export function fitsInline(png: Uint8Array): boolean {
  const size = pngSize(png);
  return size !== null && Math.max(size.width, size.height) <= MAX_IMAGE_SIDE && png.byteLength <= MAX_IMAGE_BYTES;
}

export async function chartImages(reply: Reply, render: RenderChart | undefined, logger: Logger): Promise<{ images: Map<number, string>; failed: boolean }> {
  const charts = await renderCharts(reply, render, ({ chart, error }) =>
    logger.warn({ err: error, command: reply.command, chart: chart.kind }, 'teams.chart.render_failed'),
  );
  const images = new Map<number, string>();
  let failed = charts.failed;
  for (const { index, png } of charts.rendered) {
    if (!fitsInline(png)) {
      failed = true;
      logger.warn({ command: reply.command, bytes: png.byteLength, size: pngSize(png) }, 'teams.chart.too_large');
      continue;
    }
    images.set(index, `data:image/png;base64,${Buffer.from(png).toString('base64')}`);
  }
  return { images, failed };
}
