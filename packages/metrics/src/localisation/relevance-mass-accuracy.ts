import type { PixelRelevance } from '../relevance/pixel-relevance';
import { defineLocalisationMetric } from './define-localisation-metric';

/**
 * Relevance mass accuracy (Arras et al. 2022, CLEVR-XAI): `R_within / R_total`,
 * the share of the (per-pixel, channel-summed) relevance that falls inside the
 * ground-truth mask. Higher is better. An all-zero map (R_total = 0) gives 0
 * (no relevance is placed on the object); a constant map gives |mask| / pixels.
 */
export const relevanceMass = defineLocalisationMetric<{ pixelRelevance: PixelRelevance }>(
  {
    name: 'relevanceMass',
    description:
      'relevance mass accuracy (Arras et al. 2022): share of relevance inside the ground-truth mask',
    defaults: { pixelRelevance: 'abs' },
    score({ relevance, mask }) {
      let inside = 0;
      let total = 0;
      for (let p = 0; p < relevance.length; p++) {
        total += relevance[p];
        if (mask[p]) inside += relevance[p];
      }
      return total === 0 ? 0 : inside / total;
    },
  },
  { replace: true },
);
