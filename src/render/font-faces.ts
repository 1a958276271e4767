/**
 * The bundled chart fonts: which files, under which family and weight. No canvas here, so the
 * server's thread can hand the list to a render thread (chart-renderer.ts) without loading it.
 */
import { fileURLToPath } from 'node:url';
import { CHART_FONT_FAMILY } from '../core/charts/theme.ts';

export const FONT_DIR = fileURLToPath(new URL('../../assets/fonts/', import.meta.url));

export const CHART_FONT_FILES = [
  { file: 'DejaVuSans.ttf', weight: 'normal' },
  { file: 'DejaVuSans-Bold.ttf', weight: 'bold' },
] as const;

export interface ChartFontFace {
  /** Absolute path of the TrueType file. */
  path: string;
  file: string;
  family: string;
  weight: 'normal' | 'bold';
}

export function chartFontFaces(): ChartFontFace[] {
  return CHART_FONT_FILES.map(({ file, weight }) => ({
    path: fileURLToPath(new URL(file, new URL('../../assets/fonts/', import.meta.url))),
    file,
    family: CHART_FONT_FAMILY,
    weight,
  }));
}
