import { type PixelRelevance, pixelRelevance } from '../internal/pixel-relevance';
import { defineMetric } from '../metric/define-metric';
import { pixelMask } from './ground-truth-mask';

/**
 * Relevance mass accuracy (Arras et al. 2022, CLEVR-XAI): `R_within / R_total`,
 * the share of the (per-pixel, channel-summed) relevance that falls inside the
 * ground-truth mask. Higher is better. An all-zero map (R_total = 0) gives 0
 * (no relevance is placed on the object); a constant map gives |mask| / pixels.
 */
export const relevanceMassAccuracy = defineMetric<{ pixelRelevance: PixelRelevance }>({
  name: 'relevanceMass',
  describe:
    'relevance mass accuracy (Arras et al. 2022): share of relevance inside the ground-truth mask',
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
      let inside = 0;
      let total = 0;
      for (let p = 0; p < pixels; p++) {
        const v = r[i * pixels + p];
        total += v;
        if (mask[p]) inside += v;
      }
      return total === 0 ? 0 : inside / total;
    });
    return { values };
  },
});
