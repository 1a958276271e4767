/**
 * Series of very different sizes over time, in panels stacked on one time axis, each with its own
 * scale: messages by kind, where GPT, project, skill and app messages (a few percent of all
 * messages) would lie flat along the bottom of one shared axis. Panels rather than shares of all
 * messages: the counts stay counts (what the table and text say), and tool messages from Users
 * reports, which may exceed all messages, need no share above 100%.
 *
 * A series with no value at all is one the data cannot give (skill and app messages from Users
 * reports): it is left out of the legend and its colour scale, and the caption says so; a panel
 * left with no series is not drawn; one panel left is drawn as a plain multi-series chart.
 */
import { lowerFirst } from './format.ts';
import { chartFrame } from './theme.ts';
import { altText, buildMultiSeriesChart, fallbackText, prepare, timeSeriesSpec } from './trend.ts';
import type { ChartAttachment, Series, SeriesPanelsInput } from './types.ts';

/** Plot size of each panel inside the 512 px frame (the count axis takes the rest of the width). */
const PANEL_WIDTH = 410;
const PANEL_HEIGHT = 104;

function hasValue(s: Series): boolean {
  return s.points.some((p) => typeof p.value === 'number' && Number.isFinite(p.value));
}

/** "skill messages and app messages". */
function listOf(names: string[]): string {
  const words = names.map(lowerFirst);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function withoutTimeTitle(layers: Record<string, unknown>[]): Record<string, unknown>[] {
  return layers.map((layer) => {
    const encoding = layer['encoding'] as Record<string, Record<string, unknown>> | undefined;
    const x = encoding?.['x'];
    if (!encoding || !x?.['axis']) return layer;
    return { ...layer, encoding: { ...encoding, x: { ...x, axis: { ...(x['axis'] as object), title: null } } } };
  });
}

export function buildSeriesPanelsChart(input: SeriesPanelsInput): ChartAttachment {
  const all = input.panels.flatMap((p) => p.series);
  const missing = all.filter((s) => !hasValue(s)).map((s) => s.name);
  // Left out only when some series has data: with none at all, the chart says "no data" instead.
  const anyData = missing.length < all.length;
  const panels = input.panels
    .map((p) => ({ ...p, series: anyData ? p.series.filter(hasValue) : p.series }))
    .filter((p) => p.series.length > 0);
  const notes = [
    ...(input.notes ?? []),
    ...(anyData && missing.length > 0 ? [`Not in this data: ${listOf(missing)}.`] : []),
  ];
  const flat = { ...input, series: panels.flatMap((p) => p.series), notes };
  if (panels.length <= 1 || !anyData) return buildMultiSeriesChart(flat);

  const prepared = prepare({ series: flat.series, grain: input.grain });
  const frame = chartFrame(input, { height: 512 }, notes);
  const { width: _width, height: _height, autosize: _autosize, ...rest } = frame;
  let firstColour = 0;
  const vconcat = panels.map((panel, i) => {
    const own = prepare({ series: panel.series, grain: input.grain });
    const spec = timeSeriesSpec({ ...input, series: panel.series, notes: [] }, own, { alwaysLegend: true, firstColour });
    firstColour += panel.series.length;
    return {
      title: { text: panel.title, fontSize: 13, fontWeight: 'bold', anchor: 'start', offset: 6, limit: PANEL_WIDTH },
      width: PANEL_WIDTH,
      height: PANEL_HEIGHT,
      data: spec['data'],
      // The time axis is named once, under the last panel.
      layer: i < panels.length - 1 ? withoutTimeTitle(spec['layer'] as Record<string, unknown>[]) : spec['layer'],
    };
  });
  const spec = {
    ...rest,
    // Panels: Vega-Lite fits only single views, so each panel has its own size inside the frame.
    autosize: { type: 'pad' },
    spacing: 18,
    vconcat,
    resolve: { scale: { y: 'independent', color: 'independent' }, legend: { color: 'independent' } },
  };
  const panelWords = panels.length === 2 ? 'two panels' : `${panels.length} panels`;
  const text = altText(flat, prepared, 'Line charts');
  return {
    kind: 'series-panels',
    spec,
    altText: `${text} Drawn in ${panelWords}, each on its own scale: ${panels.map((p) => lowerFirst(p.title)).join('; ')}.`,
    fallbackText: fallbackText(flat, prepared),
  };
}
