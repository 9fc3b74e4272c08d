import * as vega from 'vega';
import { compile } from 'vega-lite';

/** A Vega-Lite top-level spec, as `compile` takes it. */
export type VegaLiteSpec = Parameters<typeof compile>[0];

/**
 * Renders a Vega-Lite spec to an SVG string headless (no browser, no canvas),
 * so the report can inline it and open offline; the view is finalised even on
 * error.
 *
 * @example
 * const svg = await vegaLiteSvg({ data: { values: [{ a: 1 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } });
 */
export async function vegaLiteSvg(spec: VegaLiteSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
