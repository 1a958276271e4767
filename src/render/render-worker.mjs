// The render thread's entry (chart-renderer.ts starts it with node:worker_threads; `workerData`
// carries the settings and the bundled font faces from font-faces.ts).
//
// Plain JavaScript on purpose: canvas, the fonts and vega load first, before tsx's module hooks
// are registered, because with the hooks in place every module load is a round trip to the hooks
// thread and vega's hundred-odd modules took 1.3–1.8 s longer to load (measured: 0.4–0.6 s
// without). The fonts must be registered before vega is imported (it makes its text-measuring
// canvas at import time). Then tsx, for the thread's own TypeScript (render-worker.ts), unless
// this is the compiled copy.
import { existsSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

const { registerFont } = await import('canvas');
let fontsMissing = false;
for (const face of workerData.fonts) {
  if (!existsSync(face.path)) fontsMissing = true;
  else registerFont(face.path, { family: face.family, weight: face.weight, style: 'normal' });
}
await Promise.all([import('vega'), import('vega-lite')]);
// In the compiled start path (.build/, scripts/build.mjs) this file sits beside the compiled
// render-worker.js and no TypeScript is left to load; in the checkout, tsx loads the .ts.
const compiled = existsSync(new URL('./render-worker.js', import.meta.url));
if (!compiled) (await import('tsx/esm/api')).register();
const fonts = compiled ? await import('./fonts.js') : await import('./fonts.ts');
// A missing font is left for fonts.ts to report, as a RenderError of each render.
if (!fontsMissing) fonts.markChartFontsRegistered();
if (compiled) await import('./render-worker.js');
else await import('./render-worker.ts');
