/**
 * The render worker thread (chart-renderer.ts): renders one chart at a time with the engine
 * (render-engine.ts) and posts the PNG back, transferred rather than copied. It loads vega and the
 * fonts as soon as it starts, so the first chart does not wait for them more than it must.
 * Protocol (both ways structured-cloned):
 *   parent → worker  { id, spec } | { id, warm: true }
 *   worker → parent  { id, ok: true, render?, warnings } | { id, ok: false, message, warnings }
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { VegaLiteSpec } from '../core/charts/types.ts';
import { loadEngine, renderChartHere, type EngineRender } from './render-engine.ts';

export interface WorkerSettings {
  scaleFactor: number;
  maxSide: number;
  strictWarnings: boolean;
  /** Linux nice value of the render thread (0 leaves it as the process's). */
  nice: number;
}

export type WorkerRequest = { id: number; spec: VegaLiteSpec } | { id: number; warm: true };

export type WorkerResponse =
  | { id: number; ok: true; render?: Omit<EngineRender, 'png'> & { png: Uint8Array }; warnings: string[] }
  | { id: number; ok: false; message: string; warnings: string[] };

const port = parentPort;
if (!port) throw new Error('render-worker.ts runs as a worker thread (see chart-renderer.ts)');
const settings = workerData as WorkerSettings;

// Renders are background work: where this thread and the server's own thread both want a core,
// the server's (reading and acknowledging requests) should win. On Linux a nice value belongs to a
// thread (setpriority with 0 names the calling thread), so this lowers the render thread alone;
// elsewhere it would lower the whole process, so it is left alone there.
if (process.platform === 'linux' && settings.nice > 0) {
  try {
    setPriority(0, settings.nice);
  } catch {
    // Not allowed here (a container's seccomp policy): renders still run, at normal priority.
  }
}

// Start loading at once; a failure here shows up as the failure of each render.
loadEngine().catch(() => {});

port.on('message', (request: WorkerRequest) => {
  void handle(request).then(
    (response) => {
      const png = response.ok ? response.render?.png : undefined;
      // Transfer the PNG's memory when it owns all of it (it normally does); otherwise copy.
      const whole = png && png.byteOffset === 0 && png.byteLength === png.buffer.byteLength;
      port.postMessage(response, whole ? [png.buffer as ArrayBuffer] : []);
    },
  );
});

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  const warnings: string[] = [];
  try {
    if ('warm' in request) {
      await loadEngine();
      return { id: request.id, ok: true, warnings };
    }
    const render = await renderChartHere(request.spec, { ...settings, onWarning: (m) => warnings.push(m) });
    return { id: request.id, ok: true, render, warnings };
  } catch (error) {
    return { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error), warnings };
  }
}
