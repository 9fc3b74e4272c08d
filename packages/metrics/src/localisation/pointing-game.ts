import type { PixelRelevance } from '../relevance/pixel-relevance';
import { defineLocalisationMetric } from './define-localisation-metric';

/** Options of {@link pointingGame}. */
export interface PointingGameOptions {
  /** How channels become one pixel relevance. Default 'abs'. */
  pixelRelevance: PixelRelevance;
  /** A hit also counts when the peak lies within this many pixels (Chebyshev distance) of the mask (Zhang et al. use 15 on 224² images). Default 0. */
  tolerance: number;
}

/**
 * Pointing game (Zhang et al. 2018): 1 when the most relevant pixel lies inside
 * the ground-truth mask (within `tolerance`), else 0. Ties go to the first pixel
 * in row-major order, so a constant map points at the top-left pixel.
 */
export const pointingGame = defineLocalisationMetric<PointingGameOptions>(
  {
    name: 'pointingGame',
    description:
      'pointing game (Zhang et al. 2018): whether the peak of the map lies in the ground-truth mask',
    defaults: { pixelRelevance: 'abs', tolerance: 0 },
    score({ relevance, mask }, options, [h, w]) {
      const t = Math.max(0, Math.floor(options.tolerance));
      let best = 0;
      for (let p = 1; p < relevance.length; p++) if (relevance[p] > relevance[best]) best = p;
      const bi = Math.floor(best / w);
      const bj = best % w;
      for (let di = -t; di <= t; di++) {
        for (let dj = -t; dj <= t; dj++) {
          const ii = bi + di;
          const jj = bj + dj;
          if (ii >= 0 && ii < h && jj >= 0 && jj < w && mask[ii * w + jj]) return 1;
        }
      }
      return 0;
    },
  },
  { replace: true },
);
