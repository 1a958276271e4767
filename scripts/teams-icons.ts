/**
 * Draws the two icons of the Teams app package, once: `npm run teams:icons` rewrites
 * manifest/teams/color.png and outline.png, which are committed.
 *
 * - color.png, 192×192: a rising bar chart in white and light blue on a dark blue square.
 * - outline.png, 32×32: the same bars in pure white on a transparent background, drawn on whole
 *   pixels so that every pixel is either opaque white or fully transparent, as Teams asks.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCanvas } from 'canvas';

export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;
export const ICON_BACKGROUND = '#1f3a5f';

/** Bar heights as a share of the chart height, left to right. */
const BARS = [0.38, 0.6, 0.45, 0.85] as const;

export function drawColorIcon(): Buffer {
  const size = COLOR_ICON_SIZE;
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = ICON_BACKGROUND;
  ctx.fillRect(0, 0, size, size);

  const left = 37;
  const base = 140;
  const chartHeight = 100;
  const width = 22;
  const gap = 10;
  BARS.forEach((share, i) => {
    const height = Math.round(chartHeight * share);
    const x = left + i * (width + gap);
    ctx.fillStyle = i === BARS.length - 1 ? '#ffffff' : '#8fbce6';
    ctx.beginPath();
    ctx.roundRect(x, base - height, width, height, [4, 4, 0, 0]);
    ctx.fill();
  });
  // The axis the bars stand on.
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(left - 8, base + 4, BARS.length * (width + gap) - gap + 16, 5);
  return canvas.toBuffer('image/png');
}

export function drawOutlineIcon(): Buffer {
  const size = OUTLINE_ICON_SIZE;
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, size, size);
  ctx.fillStyle = '#ffffff';
  const left = 5;
  const base = 23;
  const chartHeight = 18;
  const width = 4;
  const gap = 2;
  BARS.forEach((share, i) => {
    const height = Math.round(chartHeight * share);
    ctx.fillRect(left + i * (width + gap), base - height, width, height);
  });
  ctx.fillRect(left - 2, base + 1, BARS.length * (width + gap) - gap + 4, 2);
  return canvas.toBuffer('image/png');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = new URL('../manifest/teams/', import.meta.url);
  writeFileSync(new URL('color.png', dir), drawColorIcon());
  writeFileSync(new URL('outline.png', dir), drawOutlineIcon());
  console.log(`Wrote ${fileURLToPath(new URL('color.png', dir))} and outline.png`);
}
