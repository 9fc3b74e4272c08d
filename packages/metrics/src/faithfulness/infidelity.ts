import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, type SeededRandom } from '@trustgrad/core-tensor';
import { defineMetric } from '../metric/define-metric';
import { classMask } from '../model/class-mask';
import { logitsOf } from '../model/model-like';
import { repeatSamples } from '../perturbation/perturbation';

/** Options of {@link infidelity}. */
export interface InfidelityOptions {
  /** How the perturbation I is drawn. `'gaussian'`: I ~ N(0, σ²) per element; `'square'`: I = (x − baseline) on a random k×k square (all channels), 0 elsewhere, so x − I has the square removed. Default 'gaussian'. */
  perturbation: 'gaussian' | 'square';
  /** Monte Carlo draws of I per sample. Default 32. */
  samples: number;
  /** σ of the Gaussian I as a fraction of the data range width. Default 0.1. */
  sigma: number;
  /** Side k (pixels) of the removed square. Default 4. */
  squareSize: number;
  /** Value removed pixels take (square removal). Default 0. */
  baseline: number;
  /**
   * Rescale the explanation by the optimal `β = E[IᵀΦ·Δf] / E[(IᵀΦ)²]` before
   * measuring (Yeh et al.'s code; makes the metric scale-invariant). Default false.
   */
  normalise: boolean;
}

/**
 * Infidelity (Yeh et al. 2019): `INFD(Φ, f, x) = E_I[(Iᵀ Φ(x) − (f(x) − f(x − I)))²]`,
 * f the logit of x's predicted class, Φ the explanation, estimated from
 * `samples` seeded draws of I. Lower is better; 0 for the exact attribution of
 * a linear model (`Φ = ∇ₓf = w_t`). A constant explanation gives a defined value.
 */
export const infidelity = defineMetric<InfidelityOptions>(
  {
    name: 'infidelity',
    description:
      'infidelity (Yeh et al. 2019): E_I[(IᵀΦ − (f(x) − f(x − I)))²], Gaussian or square-removal I',
    higherIsBetter: false,
    requires: ['model', 'x', 'explanations'],
    defaults: {
      perturbation: 'gaussian',
      samples: 32,
      sigma: 0.1,
      squareSize: 4,
      baseline: 0,
      normalise: false,
    },
    async compute(ctx, options) {
      const { perturbation, samples, sigma, squareSize, baseline, normalise } = options;
      if (perturbation !== 'gaussian' && perturbation !== 'square') {
        throw new InvalidOptionError(
          `perturbation must be 'gaussian' or 'square', got ${String(perturbation)}`,
        );
      }
      if (!Number.isInteger(samples) || samples < 1) {
        throw new InvalidOptionError(`samples must be a positive integer, got ${samples}`);
      }
      const x = ctx.x!;
      const net = ctx.model!;
      const [n, h, w] = x.shape;
      if (
        perturbation === 'square' &&
        (!Number.isInteger(squareSize) || squareSize < 1 || squareSize > Math.min(h, w))
      ) {
        throw new InvalidOptionError(
          `squareSize must be an integer in [1, ${Math.min(h, w)}] for ${h}×${w} images, got ${squareSize}`,
        );
      }
      const sigmaAbs = sigma * (ctx.dataRange[1] - ctx.dataRange[0]);
      const groupSize = Math.max(1, Math.floor(ctx.batchSize / (samples + 1)));
      const values: number[] = [];
      for (let start = 0; start < n; start += groupSize) {
        const g = Math.min(groupSize, n - start);
        const masks =
          perturbation === 'square' ? squareMasks(g * samples, h, w, squareSize, ctx.rng) : null;
        const noise =
          perturbation === 'gaussian'
            ? ctx.rng.normalArray(g * samples * h * w * x.shape[3], 0, sigmaAbs)
            : null;
        const [dots, deltas] = tf.tidy(() => {
          const xs = tf.slice(x, [start, 0, 0, 0], [g, -1, -1, -1]);
          const es = tf.slice(ctx.explanations!, [start, 0, 0, 0], [g, -1, -1, -1]);
          const xRep = repeatSamples(xs, samples);
          const I = masks
            ? tf.mul(tf.sub(xRep, baseline), tf.tensor4d(masks, [g * samples, h, w, 1]))
            : tf.tensor4d(noise!, xRep.shape);
          const logits = logitsOf(net, xs);
          const target = tf.argMax(logits, 1);
          const fx = tf.sum(tf.mul(logits, classMask(target, logits.shape[1])), 1);
          const targetRep = repeatSamples(target, samples);
          const logitsP = logitsOf(net, tf.sub(xRep, I) as tf.Tensor4D);
          const fp = tf.sum(tf.mul(logitsP, classMask(targetRep, logitsP.shape[1])), 1);
          const dot = tf.sum(
            tf.reshape(tf.mul(I, repeatSamples(es, samples)), [g * samples, -1]),
            1,
          );
          return [dot, tf.sub(repeatSamples(fx, samples), fp)];
        });
        const dot = await dots.data();
        const delta = await deltas.data();
        tf.dispose([dots, deltas]);
        for (let i = 0; i < g; i++) {
          let beta = 1;
          if (normalise) {
            let num = 0;
            let den = 0;
            for (let j = i * samples; j < (i + 1) * samples; j++) {
              num += dot[j] * delta[j];
              den += dot[j] * dot[j];
            }
            beta = den > 0 ? num / den : 1;
          }
          let sum = 0;
          for (let j = i * samples; j < (i + 1) * samples; j++)
            sum += (beta * dot[j] - delta[j]) ** 2;
          values.push(sum / samples);
        }
      }
      return { values };
    },
  },
  { replace: true },
);

/** `count` masks `[count·h·w]` each holding one k×k square of ones at a uniform position fully inside the image. */
export function squareMasks(
  count: number,
  h: number,
  w: number,
  k: number,
  rng: SeededRandom,
): Float32Array {
  const out = new Float32Array(count * h * w);
  for (let m = 0; m < count; m++) {
    const top = rng.int(h - k + 1);
    const left = rng.int(w - k + 1);
    for (let i = top; i < top + k; i++) {
      out.fill(1, m * h * w + i * w + left, m * h * w + i * w + left + k);
    }
  }
  return out;
}
