import { type VegaLiteSpec, vegaLiteSvg } from './vega-svg';

/** One point of a trade-off plot: a result row placed by two metrics. */
export interface PlotPoint {
  label: string;
  x: number;
  y: number;
}

/**
 * A labelled scatter plot rendered by Vega-Lite to an SVG string (no browser,
 * no canvas), so the report can inline it and open offline.
 */
export async function tradeOffPlotSvg(
  points: PlotPoint[],
  axes: { x: string; y: string; title: string; logX?: boolean },
): Promise<string> {
  const finite = points.filter(
    (p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!axes.logX || p.x > 0),
  );
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: axes.title,
    width: 360,
    height: 260,
    data: { values: finite },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x: {
            field: 'x',
            type: 'quantitative',
            title: axes.x,
            scale: axes.logX ? { type: 'log' } : { zero: false },
          },
          y: { field: 'y', type: 'quantitative', title: axes.y, scale: { zero: false } },
          color: { field: 'label', type: 'nominal', title: 'variant' },
        },
      },
      {
        mark: { type: 'text', dx: 8, dy: -8, align: 'left', fontSize: 11 },
        encoding: {
          x: {
            field: 'x',
            type: 'quantitative',
            scale: axes.logX ? { type: 'log' } : { zero: false },
          },
          y: { field: 'y', type: 'quantitative' },
          text: { field: 'label' },
        },
      },
    ],
  };
  return vegaLiteSvg(spec);
}
