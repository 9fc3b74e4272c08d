import { type PixelRelevance, pixelRelevance, rankPixels } from '../internal/pixel-relevance';
import { defineMetric } from '../metric/define-metric';
import { pixelMask } from './ground-truth-mask';

/**
 * Relevance rank accuracy (Arras et al. 2022, CLEVR-XAI): with K = |mask|, the
 * fraction of the K most relevant pixels that lie inside the mask. Higher is
 * better. Ties keep row-major order, so a constant map takes the first K
 * pixels in reading order.
 */
export const relevanceRankAccuracy = defineMetric<{ pixelRelevance: PixelRelevance }>({
  name: 'relevanceRank',
  describe:
    'relevance rank accuracy (Arras et al. 2022): share of the top-|mask| pixels inside the mask',
  higherIsBetter: true,
  requires: ['explanations', 'mask'],
  defaults: { pixelRelevance: 'abs' },
  async compute(ctx, options) {
    const rel = pixelRelevance(ctx.explanations!, options.pixelRelevance);
    const r = await rel.data();
    const pixels = rel.shape[1];
    rel.dispose();
    const masks = await pixelMask(ctx.mask!);
    const values = masks.map((mask, i) => {
      const order = rankPixels(r.subarray(i * pixels, (i + 1) * pixels));
      let k = 0;
      for (let p = 0; p < pixels; p++) k += mask[p];
      let hits = 0;
      for (let j = 0; j < k; j++) hits += mask[order[j]];
      return hits / k;
    });
    return { values };
  },
});
