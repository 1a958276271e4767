/**
 * Renders every sample chart to PNG so a person can look at them:
 *   npx tsx test/render/render-samples.ts [OUT_DIR]   (default .scratch/charts)
 * Writes NAME.png plus NAME.txt (alt text and text fallback) for each chart, and prints any
 * Vega-Lite/Vega warning.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createChartRenderer } from '../../src/render/chart-renderer.ts';
import { badDataCharts, realisticCharts } from '../charts/samples.ts';

const out = process.argv[2] ?? '.scratch/charts';
mkdirSync(out, { recursive: true });
const renderer = createChartRenderer({ onWarning: (message) => console.error(`warning: ${message}`) });
const charts = { ...realisticCharts(), ...Object.fromEntries(Object.entries(badDataCharts()).map(([k, v]) => [`bad-${k}`, v])) };
for (const [name, chart] of Object.entries(charts)) {
  const image = await renderer.render(chart.spec);
  writeFileSync(join(out, `${name}.png`), image.png);
  writeFileSync(join(out, `${name}.txt`), `ALT: ${chart.altText}\n\n${chart.fallbackText}\n`);
  console.log(`${name}: ${image.width}×${image.height} (×${image.scaleFactor})`);
}
await renderer.close();
