/**
 * Registers the bundled TrueType fonts with node-canvas, once per process and before vega creates
 * its first canvas (vega measures label widths with a canvas made when it is first imported), so
 * charts measure and draw text with the same font on every machine.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { registerFont } from 'canvas';
import { RenderError } from '../core/errors.ts';
import { CHART_FONT_FAMILY } from '../core/charts/theme.ts';

export const FONT_DIR = fileURLToPath(new URL('../../assets/fonts/', import.meta.url));

export const CHART_FONT_FILES = [
  { file: 'DejaVuSans.ttf', weight: 'normal' },
  { file: 'DejaVuSans-Bold.ttf', weight: 'bold' },
] as const;

let registered = false;

export function registerChartFonts(): void {
  if (registered) return;
  for (const { file, weight } of CHART_FONT_FILES) {
    const path = fileURLToPath(new URL(file, new URL('../../assets/fonts/', import.meta.url)));
    if (!existsSync(path)) throw new RenderError(`Bundled chart font is missing: assets/fonts/${file}`);
    registerFont(path, { family: CHART_FONT_FAMILY, weight, style: 'normal' });
  }
  registered = true;
}
