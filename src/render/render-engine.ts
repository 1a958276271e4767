/**
 * The render itself, on whatever thread runs it (chart-renderer.ts decides which): Vega-Lite
 * compile → vega View (renderer 'none') → node-canvas at the density asked for → PNG buffer.
 * The vega modules and the fonts load once per thread, on the first render (or `loadEngine()`).
 * Any failure is a RenderError, so a caller can fall back to the chart's alt text and text table.
 */
import { Canvas } from 'canvas';
import type { Spec as VegaSpec, View as VegaView } from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { RenderError } from '../core/errors.ts';
import type { VegaLiteSpec } from '../core/charts/types.ts';
import { registerChartFonts } from './fonts.ts';

/**
 * PNG encoding: flat-colour charts compress best without row filters, and zlib level 3 is several
 * times faster than the default (6, all filters) while the files come out smaller, not larger
 * (measured: trend 66 kB against 76 kB, heat map 181 kB against 203 kB).
 */
const PNG_OPTIONS = { compressionLevel: 3, filters: Canvas.PNG_FILTER_NONE } as const;

/** What one render needs besides the spec. */
export interface RenderSettings {
  scaleFactor: number;
  maxSide: number;
  /** Turn every compile or runtime warning into a RenderError. */
  strictWarnings: boolean;
  /** Called with each warning as it is logged. */
  onWarning?: (message: string) => void;
}

export interface EngineRender {
  png: Buffer;
  width: number;
  height: number;
  logicalWidth: number;
  logicalHeight: number;
  scaleFactor: number;
}

type VegaModule = typeof import('vega');
type VegaLiteModule = typeof import('vega-lite');

interface Engine {
  vega: VegaModule;
  vl: VegaLiteModule;
}

let enginePromise: Promise<Engine> | undefined;

/** Fonts first, then vega (whose text measurer grabs a canvas at import time). Once per thread. */
export function loadEngine(): Promise<Engine> {
  enginePromise ??= (async () => {
    registerChartFonts();
    const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
    return { vega, vl };
  })().catch((error: unknown) => {
    enginePromise = undefined;
    throw error instanceof RenderError ? error : new RenderError('Could not load the chart renderer', { cause: error });
  });
  return enginePromise;
}

/**
 * A vega/vega-lite logger that records warnings (and errors) and forwards them to one callback.
 * Plain closures: vega calls these methods detached from the object.
 */
interface WarningLogger {
  /** Warnings and errors, in order. */
  messages: string[];
  /** Errors only: these fail a render whatever `strictWarnings` says. */
  errors: string[];
  level(level?: number): unknown;
  error(...args: unknown[]): unknown;
  warn(...args: unknown[]): unknown;
  info(...args: unknown[]): unknown;
  debug(...args: unknown[]): unknown;
}

function warningLogger(sink?: (message: string) => void): WarningLogger {
  let current = 2; // vega's Warn level
  const messages: string[] = [];
  const errors: string[] = [];
  const logger: WarningLogger = {
    messages,
    errors,
    level: (level?: number) => {
      if (level === undefined) return current;
      current = level;
      return logger;
    },
    error: (...args: unknown[]) => {
      errors.push(text(args));
      return record(args);
    },
    warn: (...args: unknown[]) => record(args),
    info: () => logger,
    debug: () => logger,
  };
  function text(args: unknown[]): string {
    return args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  }
  function record(args: unknown[]) {
    const message = text(args);
    messages.push(message);
    sink?.(message);
    return logger;
  }
  return logger;
}

export interface CompiledChart {
  vega: VegaSpec;
  warnings: string[];
}

/** Compile a Vega-Lite spec to Vega, collecting every compile warning (used by tests and the renderer). */
export async function compileChartSpec(spec: VegaLiteSpec): Promise<CompiledChart> {
  const { vl } = await loadEngine();
  const logger = warningLogger();
  try {
    const compiled = vl.compile(spec as unknown as TopLevelSpec, { logger: logger as never });
    return { vega: compiled.spec, warnings: logger.messages };
  } catch (error) {
    throw new RenderError(`Chart spec did not compile: ${messageOf(error)}`, { cause: error });
  }
}

/** One render on this thread. */
export async function renderChartHere(spec: VegaLiteSpec, settings: RenderSettings): Promise<EngineRender> {
  const { vega, vl } = await loadEngine();
  const logger = warningLogger(settings.onWarning);
  let vegaSpec: VegaSpec;
  try {
    vegaSpec = vl.compile(spec as unknown as TopLevelSpec, { logger: logger as never }).spec;
  } catch (error) {
    throw new RenderError(`Chart spec did not compile: ${messageOf(error)}`, { cause: error });
  }
  failOnWarnings(logger, 'compile', settings.strictWarnings);

  let view: VegaView | undefined;
  const refused: string[] = [];
  try {
    view = new vega.View(vega.parse(vegaSpec), {
      renderer: 'none',
      logger: logger as never,
      logLevel: vega.Warn,
      loader: offlineLoader(vega, refused),
    });
    await view.runAsync();
    // Vega only warns when data cannot load, and draws an empty chart: refuse that outright.
    if (refused.length > 0) {
      throw new RenderError(`Charts load no external data (asked for ${refused.map((u) => JSON.stringify(u.slice(0, 80))).join(', ')})`);
    }
    const logicalWidth = Math.ceil(viewSize(view, 'width'));
    const logicalHeight = Math.ceil(viewSize(view, 'height'));
    if (!(logicalWidth > 0 && logicalHeight > 0)) throw new RenderError('The chart has no area to draw');
    let scale = fitScale(settings.scaleFactor, logicalWidth, logicalHeight, settings.maxSide);
    let canvas = (await view.toCanvas(scale)) as unknown as NodeCanvas;
    // The renderer rounds sizes up; if that pushed a side past the cap, shrink once more.
    if (Math.max(canvas.width, canvas.height) > settings.maxSide) {
      scale = fitScale(scale, canvas.width / scale, canvas.height / scale, settings.maxSide - 1);
      canvas = (await view.toCanvas(scale)) as unknown as NodeCanvas;
    }
    failOnWarnings(logger, 'render', settings.strictWarnings);
    const png = await encodePng(canvas);
    return { png, width: canvas.width, height: canvas.height, logicalWidth, logicalHeight, scaleFactor: scale };
  } catch (error) {
    if (error instanceof RenderError) throw error;
    throw new RenderError(`Chart rendering failed: ${messageOf(error)}`, { cause: error });
  } finally {
    view?.finalize();
  }
}

function failOnWarnings(logger: WarningLogger, stage: string, strict: boolean): void {
  // Vega reports some failures (a data set that cannot load, a bad expression) by logging an
  // error and carrying on with an empty chart: that is a failed render, strict or not.
  if (logger.errors.length > 0) throw new RenderError(`Vega ${stage} error: ${logger.errors.join('; ')}`);
  if (strict && logger.messages.length > 0) {
    throw new RenderError(`Vega ${stage} warning: ${logger.messages.join('; ')}`);
  }
}

interface NodeCanvas {
  width: number;
  height: number;
  toBuffer(callback: (error: Error | null, png: Buffer) => void, mime: 'image/png', options: typeof PNG_OPTIONS): void;
}

/** Encode on libuv's thread pool (the callback form), so this thread's event loop keeps going. */
function encodePng(canvas: NodeCanvas): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    canvas.toBuffer((error, png) => (error ? reject(error) : resolve(png)), 'image/png', PNG_OPTIONS);
  });
}

/** The full drawn size (plot, axes, legends, title, padding) after layout, in logical pixels. */
function viewSize(view: VegaView, side: 'width' | 'height'): number {
  // vega-view keeps the laid-out size in _viewWidth/_viewHeight (what toCanvas sizes the canvas by).
  const internal = view as unknown as { _viewWidth?: number; _viewHeight?: number };
  const padding = view.padding() as { left: number; right: number; top: number; bottom: number };
  const inner = side === 'width' ? internal._viewWidth : internal._viewHeight;
  const base = typeof inner === 'number' ? inner : side === 'width' ? view.width() : view.height();
  return base + (side === 'width' ? padding.left + padding.right : padding.top + padding.bottom);
}

function fitScale(wanted: number, width: number, height: number, maxSide: number): number {
  const longer = Math.max(width, height);
  if (longer * wanted <= maxSide) return wanted;
  // Three decimals, rounded down, so the rounded-up canvas still fits.
  return Math.floor((maxSide / longer) * 1000) / 1000;
}

/** Charts carry their data inline; refuse any attempt to load a URL or file, noting it in `refused`. */
function offlineLoader(vega: VegaModule, refused: string[]) {
  const loader = vega.loader();
  loader.sanitize = async (uri: string) => {
    refused.push(String(uri));
    throw new RenderError(`Charts load no external data (asked for ${JSON.stringify(String(uri).slice(0, 80))})`);
  };
  return loader;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
