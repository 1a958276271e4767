/**
 * A Reply's charts as images, for every surface (chat adapters, `wsa ask --out`): each chart is
 * rendered through the renderer the surface was given; a chart whose render fails — or every
 * chart, when there is no renderer — stands as its text fallback (every chart carries
 * one, so an answer survives a failed image).
 */
import type { ChartAttachment, Reply } from '../core/reply.ts';

/** Vega-Lite spec → PNG bytes (src/render/chart-renderer.ts in the running app). */
export type RenderChart = (spec: ChartAttachment['spec']) => Promise<Uint8Array>;

export interface RenderedChart {
  /** The chart's index in `reply.charts`. */
  readonly index: number;
  readonly chart: ChartAttachment;
  /** The file name it goes by (`active-users.png`, `overview-2.png`). */
  readonly filename: string;
  readonly png: Uint8Array;
}

export interface ChartFallback {
  readonly index: number;
  readonly chart: ChartAttachment;
  /** The text table that stands in for the image. */
  readonly text: string;
}

export interface RenderedCharts {
  readonly rendered: readonly RenderedChart[];
  readonly fallbacks: readonly ChartFallback[];
  /** True when a chart that should have been an image is text instead. */
  readonly failed: boolean;
}

/** Told about each chart whose render failed (the surface logs it, or warns the person). */
export type OnRenderFailure = (failure: { index: number; chart: ChartAttachment; error: unknown }) => void;

/** The file name of a reply's chart: `{command}.png`, or `{command}-{n}.png` when there are several. */
export function chartFileName(reply: Pick<Reply, 'command' | 'charts'>, index: number): string {
  return reply.charts.length > 1 ? `${reply.command}-${index + 1}.png` : `${reply.command}.png`;
}

/** Renders every chart of `reply` at once; failures become text fallbacks, reported to `onFailure`. */
export async function renderCharts(reply: Reply, render: RenderChart | undefined, onFailure?: OnRenderFailure): Promise<RenderedCharts> {
  const fallback = (index: number, chart: ChartAttachment): ChartFallback => ({ index, chart, text: chart.fallbackText });
  if (!render) {
    return { rendered: [], fallbacks: reply.charts.map((c, i) => fallback(i, c)), failed: reply.charts.length > 0 };
  }
  const results = await Promise.allSettled(reply.charts.map((c) => render(c.spec)));
  const rendered: RenderedChart[] = [];
  const fallbacks: ChartFallback[] = [];
  results.forEach((result, index) => {
    const chart = reply.charts[index] as ChartAttachment;
    if (result.status === 'fulfilled') {
      rendered.push({ index, chart, filename: chartFileName(reply, index), png: result.value });
    } else {
      fallbacks.push(fallback(index, chart));
      onFailure?.({ index, chart, error: result.reason });
    }
  });
  return { rendered, fallbacks, failed: fallbacks.length > 0 };
}

/**
 * A renderer that keeps its last `max` PNGs by spec: many digests of one run share their charts
 * (the same kind, group and week), and each is drawn once.
 */
export function rememberingRender(render: RenderChart, max = 32): RenderChart {
  const kept = new Map<string, ReturnType<RenderChart>>();
  return (spec) => {
    const key = JSON.stringify(spec);
    const hit = kept.get(key);
    if (hit) return hit;
    const made = render(spec);
    kept.set(key, made);
    made.catch(() => kept.delete(key));
    while (kept.size > max) kept.delete(kept.keys().next().value as string);
    return made;
  };
}
