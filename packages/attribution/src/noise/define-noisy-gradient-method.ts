import type * as tf from '@tensorflow/tfjs-core';
import type { DefineOptions } from '@trustgrad/core-tensor';
import { type AttributionMethod, defineAttribution } from '../core/attribution-method';
import {
  type GradientMoments,
  NOISE_DEFAULTS,
  type NoiseOptions,
  noisyGradientMoments,
} from './noisy-gradients';

/** What a noisy-gradient method states: its name, its line and how its map follows from the moments. */
export interface NoisyGradientMethodSpec {
  /** Registry key (kebab-case). */
  name: string;
  /** One line: what it computes and the paper. */
  description: string;
  /** The map `[b, ...]` from the mean and variance of `∇f_t` over the noisy copies. */
  fromMoments(moments: GradientMoments): tf.Tensor;
}

/**
 * Defines an attribution method read off the gradient's moments over noisy
 * copies ({@link noisyGradientMoments}, options {@link NOISE_DEFAULTS}):
 * SmoothGrad (mean), VarGrad (variance), SmoothGrad² (variance + mean²). The
 * noise loop lives once in `noisyGradientMoments`; a method states only
 * `fromMoments`. Moments it does not return are disposed at once, so the
 * larger noise runs keep one map less alive.
 *
 * @example
 * const meanAbs = defineNoisyGradientMethod({
 *   name: 'smoothgrad-abs', description: '|mean| of noisy gradients',
 *   fromMoments: ({ mean }) => tf.abs(mean),
 * });
 */
export function defineNoisyGradientMethod(
  spec: NoisyGradientMethodSpec,
  options: DefineOptions = {},
): AttributionMethod<NoiseOptions> {
  return defineAttribution<NoiseOptions>(
    {
      name: spec.name,
      description: spec.description,
      defaults: NOISE_DEFAULTS,
      explain(ctx, x, given) {
        const moments = noisyGradientMoments(ctx, x, given);
        const map = spec.fromMoments(moments);
        for (const moment of [moments.mean, moments.variance]) if (moment !== map) moment.dispose();
        return map;
      },
    },
    options,
  );
}
