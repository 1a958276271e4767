/**
 * Vega-Lite spec → PNG, kept warm (docs/design.md §6, §9, §10): vega-lite compile → vega View (renderer
 * 'none') → node-canvas at 2× density → PNG buffer (render-engine.ts). Images are capped at
 * 1024 px on the longer side (the scale factor drops below 2 when a spec is larger than 512 px).
 * Any failure is a RenderError, so a caller can fall back to the chart's alt text and text table.
 *
 * Where renders run: by default in a small pool of worker threads (render-worker.ts), because a
 * render is 50–150 ms of synchronous work (layout, drawing) that would otherwise hold the event
 * loop the server acknowledges Slack commands on (docs/design.md §10: ack p99 ≤ 50 ms). The pool starts
 * its threads on the first render (or on `warm()`), each loading vega and the fonts once, renders
 * one chart per thread at a time and queues the rest; a thread that dies (a crash, the memory
 * cap, a render over the time limit) fails its render with a RenderError and is replaced on the
 * next render. `workers: 0` renders on the calling thread instead, at most `maxConcurrent` at once.
 * This module loads no vega or canvas itself, so the server's thread never does.
 */
import { availableParallelism } from 'node:os';
import { threadId as currentThreadId, Worker } from 'node:worker_threads';
import { RenderError } from '../core/errors.ts';
import type { VegaLiteSpec } from '../core/charts/types.ts';
import type { CompiledChart } from './render-engine.ts';
import type { WorkerRequest, WorkerResponse, WorkerSettings } from './render-worker.ts';
import { chartFontFaces } from './font-faces.ts';
import { Semaphore } from './semaphore.ts';

export type { CompiledChart } from './render-engine.ts';

/** Teams shows inline card images up to this size (docs/design.md §9); Slack is happy with it too. */
export const MAX_IMAGE_SIDE = 1024;
export const DEFAULT_SCALE_FACTOR = 2;
/** Renders at once on the calling thread (`workers: 0`). */
export const DEFAULT_MAX_CONCURRENT = 2;
/**
 * Render threads: one per core beyond the one serving requests, at least one, at most two (each
 * holds vega, vega-lite, canvas and the fonts: about 100 MB). One on the 2-core machines of §10.
 */
export const DEFAULT_RENDER_WORKERS = Math.min(2, Math.max(1, availableParallelism() - 1));
/** A render still running after this long has its thread stopped (and replaced). */
export const DEFAULT_RENDER_TIMEOUT_MS = 30_000;
/** V8 old-generation cap of a render thread: a runaway chart ends its thread, not the server. */
export const DEFAULT_WORKER_MEMORY_MB = 512;
/**
 * Linux nice value of the render threads: when a render and the server's own thread want the same
 * core, the server (acknowledging Slack within its deadline) gets most of it; an idle server
 * leaves the render the whole core. Other platforms ignore it (render-worker.ts).
 */
export const DEFAULT_RENDER_THREAD_NICE = 10;

const WORKER_ENTRY = new URL('./render-worker.mjs', import.meta.url);

export interface ChartRendererOptions {
  /** Render threads (default DEFAULT_RENDER_WORKERS); 0 renders on the calling thread. */
  workers?: number;
  /** With `workers: 0`: renders running at once; the rest queue (default 2). */
  maxConcurrent?: number;
  /** Pixel density (default 2). */
  scaleFactor?: number;
  /** Longest side of the PNG in pixels (default and maximum 1024). */
  maxSide?: number;
  /**
   * Called with each Vega-Lite compile or Vega runtime warning (from a thread: when its render
   * ends). Default: ignored unless `strictWarnings`.
   */
  onWarning?: (message: string) => void;
  /** Turn every compile or runtime warning into a RenderError (for tests). */
  strictWarnings?: boolean;
  /** Threads only: a render's time limit, including a fresh thread's start (default 30 s). */
  renderTimeoutMs?: number;
  /** Threads only: each thread's V8 old-generation cap in MB (default 512). */
  workerMemoryMb?: number;
  /** Threads only: their Linux nice value, 0–19 (default 10; 0 = the server's priority). */
  workerNice?: number;
}

export interface RenderedChart {
  png: Buffer;
  /** PNG size in pixels. */
  width: number;
  height: number;
  /** Logical (1×) size of the chart. */
  logicalWidth: number;
  logicalHeight: number;
  /** Density actually used: the requested one, or less when the chart would exceed `maxSide`. */
  scaleFactor: number;
  /** The thread that drew it (node:worker_threads threadId; 0 is the main thread). */
  threadId: number;
}

export interface ChartRenderer {
  renderPng(spec: VegaLiteSpec): Promise<Buffer>;
  /** The PNG with its size and density. */
  render(spec: VegaLiteSpec): Promise<RenderedChart>;
  /** Starts the render threads and loads vega in them now rather than on the first render. */
  warm(): Promise<void>;
  /** Thread ids of the render threads now running (none with `workers: 0`). */
  threadIds(): number[];
  /** Waits for renders in flight and queued, then stops the threads; later calls are refused. */
  close(): Promise<void>;
}

/** Compile a Vega-Lite spec to Vega on this thread, collecting every compile warning (tests). */
export async function compileChartSpec(spec: VegaLiteSpec): Promise<CompiledChart> {
  const engine = await import('./render-engine.ts');
  return engine.compileChartSpec(spec);
}

export function createChartRenderer(options: ChartRendererOptions = {}): ChartRenderer {
  const settings: WorkerSettings = {
    scaleFactor: options.scaleFactor ?? DEFAULT_SCALE_FACTOR,
    maxSide: Math.min(options.maxSide ?? MAX_IMAGE_SIDE, MAX_IMAGE_SIDE),
    strictWarnings: options.strictWarnings ?? false,
    nice: options.workerNice ?? DEFAULT_RENDER_THREAD_NICE,
  };
  if (!Number.isInteger(settings.nice) || settings.nice < 0 || settings.nice > 19) throw new RangeError(`workerNice must be a whole number 0–19, got ${settings.nice}`);
  if (!(settings.scaleFactor > 0) || !(settings.maxSide > 0)) throw new RangeError('scaleFactor and maxSide must be positive');
  const workers = options.workers ?? DEFAULT_RENDER_WORKERS;
  if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`workers must be a whole number ≥ 0, got ${workers}`);
  const run = workers === 0 ? inProcess(settings, options) : new RenderPool(workers, settings, options);
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  async function track<T>(task: Promise<T>): Promise<T> {
    inFlight.add(task);
    try {
      return await task;
    } finally {
      inFlight.delete(task);
    }
  }

  async function render(spec: VegaLiteSpec): Promise<RenderedChart> {
    if (closed) throw new RenderError('The chart renderer is closed');
    return track(run.render(spec));
  }

  return {
    render,
    async renderPng(spec) {
      return (await render(spec)).png;
    },
    async warm() {
      if (closed) throw new RenderError('The chart renderer is closed');
      await track(run.warm());
    },
    threadIds: () => run.threadIds(),
    async close() {
      closed = true;
      await Promise.allSettled([...inFlight]);
      await run.close();
    },
  };
}

interface Runner {
  render(spec: VegaLiteSpec): Promise<RenderedChart>;
  warm(): Promise<void>;
  threadIds(): number[];
  close(): Promise<void>;
}

/** Renders on the calling thread, `maxConcurrent` at a time. */
function inProcess(settings: WorkerSettings, options: ChartRendererOptions): Runner {
  const semaphore = new Semaphore(options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT);
  const engine = () => import('./render-engine.ts');
  const onWarning = (message: string) => options.onWarning?.(message);
  return {
    render: (spec) =>
      semaphore.run(async () => {
        const rendered = await (await engine()).renderChartHere(spec, { ...settings, onWarning });
        return { ...rendered, threadId: currentThreadId };
      }),
    warm: async () => {
      await (await engine()).loadEngine();
    },
    threadIds: () => [],
    close: async () => {},
  };
}

/** A render's answer, and the thread that drew it. */
interface Done {
  response: Extract<WorkerResponse, { ok: true }>;
  threadId: number;
}

interface Task {
  id: number;
  request: WorkerRequest;
  resolve(done: Done): void;
  reject(error: RenderError): void;
}

interface Slot {
  worker: Worker;
  threadId: number;
  task: Task | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Why it stopped, when it did not stop cleanly: told to the render it was drawing. */
  failure: string | undefined;
}

let canvasAddon: Promise<unknown> | undefined;

/**
 * Loads node-canvas's native addon on this thread too, once, and keeps it. When the last thread
 * holding a native addon exits, Node unloads the library, and canvas's (cairo's, pango's) cleanup
 * then crashes the whole process: a render thread that had drawn anything took the server down
 * with a segmentation fault on close() or on replacement (canvas 3.2, Node 20). Loaded here, the
 * library outlives every render thread. Costs ~10 MB and ~0.1–0.3 s once, when the pool is made.
 */
function pinCanvasAddon(): Promise<unknown> {
  canvasAddon ??= import('canvas').catch((error: unknown) => {
    canvasAddon = undefined;
    throw new RenderError('Could not load the chart renderer (canvas)', { cause: error });
  });
  return canvasAddon;
}

/** Worker threads, one render each at a time; the rest wait in arrival order. */
class RenderPool implements Runner {
  readonly #slots = new Set<Slot>();
  readonly #queue: Task[] = [];
  readonly #addonPinned: Promise<unknown>;
  #nextId = 1;
  #closing = false;

  constructor(
    readonly size: number,
    readonly settings: WorkerSettings,
    readonly options: ChartRendererOptions,
  ) {
    this.#addonPinned = pinCanvasAddon();
  }

  async render(spec: VegaLiteSpec): Promise<RenderedChart> {
    await this.#addonPinned;
    const { response, threadId } = await this.#submit((id) => ({ id, spec }));
    for (const message of response.warnings) this.options.onWarning?.(message);
    if (!response.render) throw new RenderError('The render thread returned no image');
    const { png, ...size } = response.render;
    return { ...size, png: Buffer.from(png.buffer, png.byteOffset, png.byteLength), threadId };
  }

  /** One warm-up per thread the pool may run: idle threads take some, new ones start for the rest. */
  async warm(): Promise<void> {
    await this.#addonPinned;
    await Promise.all(Array.from({ length: this.size }, () => this.#submit((id) => ({ id, warm: true }))));
  }

  threadIds(): number[] {
    return [...this.#slots].map((s) => s.threadId);
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all([...this.#slots].map((s) => s.worker.terminate()));
  }

  #submit(make: (id: number) => WorkerRequest): Promise<Done> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#queue.push({ id, request: make(id), resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#queue.length > 0) {
      let slot = [...this.#slots].find((s) => !s.task);
      if (!slot) {
        if (this.#slots.size >= this.size || this.#closing) return;
        slot = this.#spawn();
      }
      this.#dispatch(slot, this.#queue.shift() as Task);
    }
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_ENTRY, {
      workerData: { ...this.settings, fonts: chartFontFaces() },
      // The entry registers tsx itself; the parent's flags (its own --import tsx) are not for it.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.options.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB },
    });
    const slot: Slot = { worker, threadId: worker.threadId, task: undefined, timer: undefined, failure: undefined };
    this.#slots.add(slot);
    worker.unref();
    worker.on('message', (response: WorkerResponse) => {
      const task = slot.task;
      if (!task || task.id !== response.id) return;
      this.#finish(slot);
      if (response.ok) task.resolve({ response, threadId: slot.threadId });
      else {
        for (const message of response.warnings) this.options.onWarning?.(message);
        task.reject(new RenderError(response.message));
      }
      this.#pump();
    });
    worker.on('error', (error) => {
      slot.failure ??= error.message;
    });
    worker.on('exit', (code) => {
      this.#slots.delete(slot);
      const task = slot.task;
      this.#finish(slot);
      task?.reject(
        new RenderError(`The chart render thread stopped (exit code ${code}${slot.failure ? `: ${slot.failure}` : ''})`),
      );
      // A replacement starts when there is work for it.
      this.#pump();
    });
    return slot;
  }

  #dispatch(slot: Slot, task: Task): void {
    slot.task = task;
    slot.worker.ref();
    const timeoutMs = this.options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS;
    slot.timer = setTimeout(() => {
      slot.failure = `the render took longer than ${timeoutMs} ms`;
      void slot.worker.terminate();
    }, timeoutMs);
    slot.worker.postMessage(task.request);
  }

  #finish(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.task = undefined;
    slot.worker.unref();
  }
}
