import { type PixelRelevance, rankPixels } from '../relevance/pixel-relevance';
import { defineLocalisationMetric } from './define-localisation-metric';

/**
 * Relevance rank accuracy (Arras et al. 2022, CLEVR-XAI): with K = |mask|, the
 * fraction of the K most relevant pixels that lie inside the mask. Higher is
 * better. Ties keep row-major order, so a constant map takes the first K
 * pixels in reading order.
 */
export const relevanceRank = defineLocalisationMetric<{ pixelRelevance: PixelRelevance }>(
  {
    name: 'relevanceRank',
    description:
      'relevance rank accuracy (Arras et al. 2022): share of the top-|mask| pixels inside the mask',
    defaults: { pixelRelevance: 'abs' },
    score({ relevance, mask }) {
      const order = rankPixels(relevance);
      let k = 0;
      for (let p = 0; p < mask.length; p++) k += mask[p];
      let hits = 0;
      for (let j = 0; j < k; j++) hits += mask[order[j]];
      return hits / k;
    },
  },
  { replace: true },
);
