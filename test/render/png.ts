/** Decoding and inspecting rendered PNGs for tests (pngjs, not byte sizes). */
import { PNG } from 'pngjs';

export interface Decoded {
  width: number;
  height: number;
  data: Buffer;
}

export function decodePng(buffer: Buffer): Decoded {
  const png = PNG.sync.read(buffer);
  return { width: png.width, height: png.height, data: png.data };
}

function pixel(png: Decoded, x: number, y: number): [number, number, number, number] {
  const i = (y * png.width + x) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!, png.data[i + 3]!];
}

/** Pixels in the box that differ from the white background. */
export function inkPixels(png: Decoded, box = { x: 0, y: 0, w: png.width, h: png.height }): number {
  let n = 0;
  for (let y = box.y; y < Math.min(png.height, box.y + box.h); y++) {
    for (let x = box.x; x < Math.min(png.width, box.x + box.w); x++) {
      const [r, g, b] = pixel(png, x, y);
      if (r < 245 || g < 245 || b < 245) n++;
    }
  }
  return n;
}

/** Pixels dark enough to be text (the theme's text is #1F1F1F, anti-aliased). */
export function darkPixels(png: Decoded, box: { x: number; y: number; w: number; h: number }): number {
  let n = 0;
  for (let y = box.y; y < Math.min(png.height, box.y + box.h); y++) {
    for (let x = box.x; x < Math.min(png.width, box.x + box.w); x++) {
      const [r, g, b] = pixel(png, x, y);
      if (Math.max(r, g, b) < 100) n++;
    }
  }
  return n;
}

/** Ink within `margin` pixels of any edge: something drawn off the canvas or into the padding. */
export function inkOnBorder(png: Decoded, margin: number): number {
  const { width: w, height: h } = png;
  return (
    inkPixels(png, { x: 0, y: 0, w, h: margin }) +
    inkPixels(png, { x: 0, y: h - margin, w, h: margin }) +
    inkPixels(png, { x: 0, y: margin, w: margin, h: h - 2 * margin }) +
    inkPixels(png, { x: w - margin, y: margin, w: margin, h: h - 2 * margin })
  );
}

export function isOpaqueWhite(png: Decoded, x: number, y: number): boolean {
  const [r, g, b, a] = pixel(png, x, y);
  return r === 255 && g === 255 && b === 255 && a === 255;
}
