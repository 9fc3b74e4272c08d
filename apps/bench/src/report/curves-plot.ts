import { type VegaLiteSpec, vegaLiteSvg } from './vega-svg';

/** One epoch of a variant's training curve, as `curves.json` holds it. */
export interface CurvePoint {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  cleanAccuracy?: number;
  robustAccuracy?: number;
}

const PANELS = [
  { field: 'loss', title: 'training loss' },
  { field: 'cleanAccuracy', title: 'held-out clean accuracy' },
  { field: 'robustAccuracy', title: 'held-out robust accuracy' },
] as const;

/**
 * Training curves per variant (loss, held-out clean and robust accuracy by
 * epoch), one Vega-Lite line chart per quantity, rendered to SVG strings
 * wrapped in `<figure class="curve">`, so the report stays offline.
 */
export async function curvesPlotSvg(curves: Record<string, CurvePoint[]>): Promise<string> {
  const figures: string[] = [];
  for (const panel of PANELS) {
    const values = Object.entries(curves).flatMap(([variant, points]) =>
      points
        .filter((p) => Number.isFinite(p[panel.field]))
        .map((p) => ({ variant, epoch: p.epoch, value: p[panel.field] })),
    );
    if (values.length === 0) continue;
    const spec: VegaLiteSpec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: panel.title,
      width: 300,
      height: 200,
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: panel.title, scale: { zero: false } },
        color: { field: 'variant', type: 'nominal', title: 'variant' },
      },
    };
    figures.push(
      `<figure class="plot curve" data-panel="${panel.field}">${await vegaLiteSvg(spec)}</figure>`,
    );
  }
  return figures.join('\n');
}
