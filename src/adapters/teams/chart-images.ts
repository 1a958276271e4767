/**
 * A Reply's charts as inline card images: each rendered to PNG, checked against what Teams shows
 * inline (≤ MAX_IMAGE_SIDE pixels on the longer side, ≤ MAX_IMAGE_BYTES), and turned into a data
 * URI. A chart that cannot be drawn or is too large is left out, so the card shows its text.
 */
import type { Logger } from '../../log.ts';
import type { Reply } from '../../core/reply.ts';
import { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE } from './limits.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's header, or null when the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | null {
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export function fitsInline(png: Buffer): boolean {
  const size = pngSize(png);
  return size !== null && Math.max(size.width, size.height) <= MAX_IMAGE_SIDE && png.length <= MAX_IMAGE_BYTES;
}

export async function chartImages(
  reply: Reply,
  render: ((spec: Reply['charts'][number]['spec']) => Promise<Buffer>) | undefined,
  logger: Logger,
): Promise<{ images: Map<number, string>; failed: boolean }> {
  const images = new Map<number, string>();
  if (reply.charts.length === 0) return { images, failed: false };
  if (!render) return { images, failed: true };
  let failed = false;
  const results = await Promise.allSettled(reply.charts.map((chart) => render(chart.spec)));
  results.forEach((result, i) => {
    if (result.status === 'rejected') {
      failed = true;
      logger.warn({ err: result.reason, command: reply.command, chart: reply.charts[i]?.kind }, 'teams.chart.render_failed');
    } else if (!fitsInline(result.value)) {
      failed = true;
      logger.warn({ command: reply.command, bytes: result.value.length, size: pngSize(result.value) }, 'teams.chart.too_large');
    } else {
      images.set(i, `data:image/png;base64,${result.value.toString('base64')}`);
    }
  });
  return { images, failed };
}
