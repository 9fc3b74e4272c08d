import { type Results, rowLabel } from '../results/results-types';
import { type VegaLiteSpec, vegaLiteSvg } from './vega-svg';

/** One point of the SSIM-vs-σ plot: a variant × explainer's mean SSIM at one noise level. */
export interface SsimSigmaPoint {
  variant: string;
  sigma: number;
  ssim: number;
  /** 95% t-interval over seeds, where the run had several. */
  low?: number;
  high?: number;
}

/**
 * The points of the SSIM-vs-σ plot from `results.json`: each row's
 * `extra.ssim.bySigma` (the FMS authors' per-σ input-stability figure),
 * σ with no kept copy left out.
 */
export function ssimSigmaPoints(results: Results): SsimSigmaPoint[] {
  const explainers = new Set(results.rows.map((r) => r.explainer));
  return results.rows.flatMap((row) => {
    const bySigma = row.extra?.ssim?.bySigma as
      | { sigma: number; mean: number | null; seedCi?: [number, number] }[]
      | undefined;
    if (!bySigma) return [];
    const variant = explainers.size > 1 ? `${rowLabel(row)} ${row.explainer}` : rowLabel(row);
    return bySigma
      .filter((p) => p.mean !== null && Number.isFinite(p.mean))
      .map((p) => ({
        variant,
        sigma: p.sigma,
        ssim: p.mean as number,
        ...(p.seedCi ? { low: p.seedCi[0], high: p.seedCi[1] } : {}),
      }));
  });
}

/**
 * SSIM of the maps of x and x + N(0, σ²) against σ, one line per variant
 * (higher: more input-stable), with the CI over seeds as error bars when
 * present; a Vega-Lite chart rendered to an SVG string, or '' without SSIM.
 */
export async function ssimSigmaPlotSvg(results: Results): Promise<string> {
  const values = ssimSigmaPoints(results);
  if (values.length === 0) return '';
  const withCi = values.some((v) => v.low !== undefined);
  const x = { field: 'sigma', type: 'quantitative', title: 'σ of the input noise' } as const;
  const color = { field: 'variant', type: 'nominal', title: 'variant' } as const;
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Input stability: SSIM of maps vs noise σ',
    width: 360,
    height: 240,
    data: { values },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: {
            field: 'ssim',
            type: 'quantitative',
            title: 'SSIM (higher = more stable)',
            scale: { zero: false },
          },
          color,
        },
      },
      ...(withCi
        ? [
            {
              mark: { type: 'errorbar' as const },
              encoding: {
                x,
                y: { field: 'low', type: 'quantitative' as const, title: 'SSIM' },
                y2: { field: 'high' },
                color,
              },
            },
          ]
        : []),
    ],
  };
  return `<figure class="plot" id="ssim-sigma">${await vegaLiteSvg(spec)}</figure>`;
}
