import { defineMetric } from '../metric/define-metric';
import { type PixelRelevance, rankPixels } from '../relevance/pixel-relevance';
import { localisationSamples } from './ground-truth-mask';

/**
 * Relevance rank accuracy (Arras et al. 2022, CLEVR-XAI): with K = |mask|, the
 * fraction of the K most relevant pixels that lie inside the mask. Higher is
 * better. Ties keep row-major order, so a constant map takes the first K
 * pixels in reading order.
 */
export const relevanceRank = defineMetric<{ pixelRelevance: PixelRelevance }>(
  {
    name: 'relevanceRank',
    description:
      'relevance rank accuracy (Arras et al. 2022): share of the top-|mask| pixels inside the mask',
    higherIsBetter: true,
    requires: ['explanations', 'mask'],
    defaults: { pixelRelevance: 'abs' },
    async compute(ctx, options) {
      const samples = await localisationSamples(
        ctx.explanations!,
        ctx.mask!,
        options.pixelRelevance,
      );
      const values = samples.map(({ relevance, mask }) => {
        const order = rankPixels(relevance);
        let k = 0;
        for (let p = 0; p < mask.length; p++) k += mask[p];
        let hits = 0;
        for (let j = 0; j < k; j++) hits += mask[order[j]];
        return hits / k;
      });
      return { values };
    },
  },
  { replace: true },
);
