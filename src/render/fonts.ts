/**
 * Registers the bundled TrueType fonts with node-canvas, once per thread and before vega creates
 * its first canvas (vega measures label widths with a canvas made when it is first imported), so
 * charts measure and draw text with the same font on every machine. A render thread registers
 * them in its entry (render-worker.mjs), before vega loads, and says so with
 * `markChartFontsRegistered()`.
 */
import { existsSync } from 'node:fs';
import { registerFont } from 'canvas';
import { RenderError } from '../core/errors.ts';
import { chartFontFaces } from './font-faces.ts';

export { CHART_FONT_FILES, FONT_DIR } from './font-faces.ts';

let registered = false;

export function registerChartFonts(): void {
  if (registered) return;
  for (const face of chartFontFaces()) {
    if (!existsSync(face.path)) throw new RenderError(`Bundled chart font is missing: assets/fonts/${face.file}`);
    registerFont(face.path, { family: face.family, weight: face.weight, style: 'normal' });
  }
  registered = true;
}

/** The fonts were registered on this thread by other means (the render thread's entry). */
export function markChartFontsRegistered(): void {
  registered = true;
}
