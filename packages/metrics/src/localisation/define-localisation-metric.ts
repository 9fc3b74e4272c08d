import type { DefineOptions } from '@trustgrad/core-tensor';
import { defineMetric, type Metric } from '../metric/define-metric';
import type { PixelRelevance } from '../relevance/pixel-relevance';
import { type LocalisationSample, localisationSamples } from './ground-truth-mask';

/** What a localisation metric states: its name, its line, its options and its per-sample score. */
export interface LocalisationMetricSpec<O extends { pixelRelevance: PixelRelevance }> {
  /** Registry key (camelCase results key). */
  name: string;
  /** One line: what it measures and the paper. */
  description: string;
  /** Default options; `pixelRelevance` says how channels become one pixel relevance. */
  defaults: O;
  /**
   * One sample's score from its per-pixel relevance and 0/1 mask (both
   * `h·w`, row-major; {@link localisationSamples}), `shape` = `[h, w]`.
   */
  score(sample: LocalisationSample, options: O, shape: readonly [number, number]): number;
}

/**
 * Defines a localisation metric (higher is better, needs explanations and a
 * ground-truth mask): the part every such metric shares — turning the maps
 * into per-pixel relevance beside the mask — is done here once, so the metric
 * states only its per-sample `score`.
 *
 * @example
 * const insideShare = defineLocalisationMetric({
 *   name: 'insideShare', description: 'share of relevance inside the mask',
 *   defaults: { pixelRelevance: 'abs' },
 *   score: ({ relevance, mask }) => relevance.reduce((s, r, p) => s + (mask[p] ? r : 0), 0),
 * });
 */
export function defineLocalisationMetric<O extends { pixelRelevance: PixelRelevance }>(
  spec: LocalisationMetricSpec<O>,
  options: DefineOptions = {},
): Metric<O> {
  return defineMetric<O>(
    {
      name: spec.name,
      description: spec.description,
      higherIsBetter: true,
      requires: ['explanations', 'mask'],
      defaults: spec.defaults,
      async compute(ctx, given) {
        const [, h, w] = ctx.explanations!.shape;
        const samples = await localisationSamples(
          ctx.explanations!,
          ctx.mask!,
          given.pixelRelevance,
        );
        return { values: samples.map((sample) => spec.score(sample, given, [h, w])) };
      },
    },
    options,
  );
}
