import { InvalidOptionError } from '@trustgrad/core-tensor';

/**
 * Colormaps for heatmaps: three perceptually uniform sequential maps (cividis
 * is the one made to look the same with red-green colour blindness; Nuñez et
 * al. 2018) and one diverging map.
 */
export type ColormapName = 'viridis' | 'cividis' | 'inferno' | 'seismic';

/** Whether a colormap is diverging (centred on 0, for signed maps). */
export function isDiverging(name: ColormapName): boolean {
  return name === 'seismic';
}

type Rgb = [number, number, number];

// Degree-6 least-squares fits of matplotlib's viridis and inferno (Matt Zucker,
// "colormap polynomial approximations", CC0); max error under 1 % per channel.
const POLYNOMIALS: Record<'viridis' | 'inferno', Rgb[]> = {
  viridis: [
    [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
    [0.1050930431085774, 1.404613529898575, 1.384590162594685],
    [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
    [-4.634230498983486, -5.799100973351585, -19.33244095627987],
    [6.228269936347081, 14.17993336680509, 56.69055260068105],
    [4.776384997670288, -13.74514537774601, -65.35303263337234],
    [-5.435455855934631, 4.645852612178535, 26.3124352495832],
  ],
  inferno: [
    [0.0002189403691192265, 0.001651004631001012, -0.01948089843709184],
    [0.1065134194856116, 0.5639564367884091, 3.932712388889277],
    [11.60249308247187, -3.972853965665698, -15.9423941062914],
    [-41.70399613139459, 17.43639888205313, 44.35414519872813],
    [77.162935699427, -33.40235894210092, -81.80730925738993],
    [-71.31942824499214, 32.62606426397723, 73.20951985803202],
    [25.13112622477341, -12.24266895238567, -23.07032500287172],
  ],
};

// matplotlib's 'seismic': dark blue → blue → white → red → dark red, evenly spaced.
const SEISMIC: Rgb[] = [
  [0, 0, 0.3],
  [0, 0, 1],
  [1, 1, 1],
  [1, 0, 0],
  [0.5, 0, 0],
];

// matplotlib's 'cividis' (its 256-entry table, _cm_listed.py) at entries 0, 16, 22, 32, 64, …, 224, 255,
// linear in between: entry 22 keeps the corner where red leaves 0 and blue stops rising.
const CIVIDIS_AT = [0, 16, 22, 32, 64, 96, 128, 160, 192, 224, 255].map((i) => i / 255);
const CIVIDIS: Rgb[] = [
  [0, 0.135112, 0.304751],
  [0, 0.178802, 0.414764],
  [0, 0.193366, 0.441561],
  [0.103401, 0.220406, 0.43579],
  [0.263738, 0.307831, 0.422789],
  [0.38083, 0.395164, 0.435653],
  [0.488697, 0.485318, 0.471008],
  [0.609105, 0.579816, 0.463638],
  [0.736488, 0.680629, 0.424028],
  [0.870717, 0.789572, 0.343333],
  [0.995737, 0.909344, 0.217772],
];

/** Linear interpolation in a table of colours at increasing positions `at` (first 0, last 1). */
function interpolate(at: number[], colours: Rgb[], v: number): Rgb {
  let i = 0;
  while (i < at.length - 2 && v > at[i + 1]) i++;
  const f = (v - at[i]) / (at[i + 1] - at[i]);
  return [0, 1, 2].map((c) => colours[i][c] * (1 - f) + colours[i + 1][c] * f) as Rgb;
}

const SEISMIC_AT = SEISMIC.map((_, i) => i / (SEISMIC.length - 1));

/** The colour of `t ∈ [0, 1]` (clamped) in `name`, as RGB in [0, 1]. */
export function colormap(name: ColormapName, t: number): Rgb {
  const v = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  if (name === 'seismic') return interpolate(SEISMIC_AT, SEISMIC, v);
  if (name === 'cividis') return interpolate(CIVIDIS_AT, CIVIDIS, v);
  const coefficients = POLYNOMIALS[name];
  if (!coefficients) {
    throw new InvalidOptionError(
      `colormap "${String(name)}" is unknown; use viridis, cividis, inferno or seismic`,
    );
  }
  const out: Rgb = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    let acc = 0;
    for (let k = coefficients.length - 1; k >= 0; k--) acc = acc * v + coefficients[k][c];
    out[c] = Math.min(1, Math.max(0, acc));
  }
  return out;
}
