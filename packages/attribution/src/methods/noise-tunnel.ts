import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, mixSeed, SeededRandom } from '@trustgrad/core-tensor';
import { defineAttribution } from '../core/attribution-method';
import { attributionRegistry } from '../core/attribution-registry';
import { explainWithInfo } from '../core/explain';
import { noisyMoments } from '../noise/noisy-gradients';

/** How the noise tunnel aggregates the noisy maps (Captum's `nt_type`). */
export type NoiseTunnelType = 'smoothgrad' | 'smoothgrad_sq' | 'vargrad';

const NOISE_TUNNEL_TYPES: readonly NoiseTunnelType[] = ['smoothgrad', 'smoothgrad_sq', 'vargrad'];

/** Options of {@link noiseTunnel}. */
export interface NoiseTunnelOptions {
  /** Registered name of the wrapped method. Default `'vg'`. */
  method: string;
  /** The wrapped method's own options (not `target`, `output`, `batchSize`: those of the tunnel apply). Default `{}`. */
  methodOptions: Record<string, unknown>;
  /** `'smoothgrad'` mean, `'smoothgrad_sq'` mean of squares, `'vargrad'` variance. Default `'smoothgrad'`. */
  ntType: NoiseTunnelType;
  /** Noisy copies per input (Captum's `nt_samples`). Default 5. */
  samples: number;
  /** Standard deviation of the Gaussian noise, absolute (Captum's `stdevs`). Default 1. */
  stdevs: number;
  /** Seed of the noise. Default 0. */
  seed: number;
}

/**
 * Noise tunnel (Captum's `NoiseTunnel`; Smilkov et al. 2017, Adebayo et al.
 * 2018): runs ANY registered method on `n` noisy copies `x + ε_i`,
 * `ε_i ~ N(0, stdevs²)`, and aggregates the maps `A_i`:
 * `smoothgrad` `(1/n) Σ A_i`, `smoothgrad_sq` `(1/n) Σ A_i²`, `vargrad`
 * `(1/n) Σ A_i² − ((1/n) Σ A_i)²` (computed by Chan's update, not by that
 * difference). Each sample is explained for its own target, on every copy.
 *
 * `floor(batchSize / b)` copies of the batch are explained by one call of the
 * wrapped method (which chunks further by `batchSize`); the noise is drawn in
 * copy order, so with a deterministic wrapped method the map does not depend
 * on `batchSize`. Shape `[b, ...]` like `x`.
 *
 * @example
 * const map = explain('noise-tunnel', model, x, { method: 'ig', methodOptions: { steps: 16 }, ntType: 'vargrad', stdevs: 0.1 });
 */
export const noiseTunnel = defineAttribution<NoiseTunnelOptions>(
  {
    name: 'noise-tunnel',
    description:
      "Noise tunnel: any method's maps over Gaussian-noised copies, averaged (smoothgrad), squared (smoothgrad_sq) or their variance (vargrad) (Captum)",
    defaults: {
      method: 'vg',
      methodOptions: {},
      ntType: 'smoothgrad',
      samples: 5,
      stdevs: 1,
      seed: 0,
    },
    explain(ctx, x, options) {
      const { ntType, samples, stdevs, seed } = options;
      if (!NOISE_TUNNEL_TYPES.includes(ntType)) {
        throw new InvalidOptionError(
          `ntType "${String(ntType)}" is unknown; use one of ${NOISE_TUNNEL_TYPES.join(', ')}`,
        );
      }
      if (!(stdevs >= 0)) {
        throw new InvalidOptionError(`stdevs must be ≥ 0 (absolute noise σ), got ${stdevs}`);
      }
      const inner = attributionRegistry.get(options.method);
      if (inner.name === 'noise-tunnel') {
        throw new InvalidOptionError('noise-tunnel cannot wrap itself; give another method');
      }
      for (const key of ['target', 'output', 'batchSize']) {
        if (key in options.methodOptions) {
          throw new InvalidOptionError(
            `noise-tunnel methodOptions.${key} is not allowed; set ${key} on the noise-tunnel call itself`,
          );
        }
      }
      const b = x.shape[0];
      const sigma = tf.fill([b, ...x.shape.slice(1).map(() => 1)], stdevs);
      const rng = new SeededRandom(mixSeed(seed, 'noise-tunnel'));
      const { mean, variance } = noisyMoments(
        x,
        sigma,
        samples,
        rng,
        ctx.batchSize,
        (noisy, _first, count) => {
          const { attributions, info } = explainWithInfo(inner, ctx.model, noisy, {
            ...options.methodOptions,
            target: tf.tile(ctx.targets, [count]) as tf.Tensor1D,
            output: ctx.output,
            batchSize: ctx.batchSize,
          });
          tf.dispose(Object.values(info));
          return attributions;
        },
      );
      switch (ntType) {
        case 'smoothgrad':
          return mean;
        case 'vargrad':
          return variance;
        default:
          return tf.add(variance, tf.square(mean));
      }
    },
  },
  { replace: true },
);
