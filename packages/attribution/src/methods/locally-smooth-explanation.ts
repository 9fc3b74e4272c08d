import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError, SeededRandom } from '@trustgrad/core-tensor';
import { defineAttribution } from '../core/attribution-method';
import type { OutputKind } from '../model/target-quantity';
import { noiseSigma, noisyCopies } from '../noise/noisy-gradients';

/** Options of {@link locallySmoothExplanation}. */
export interface LocallySmoothExplanationOptions {
  /** Noisy copies `n` per input. Default 32. */
  samples: number;
  /** Noise σ as a fraction of each sample's range `max x − min x`. Default 0.1. */
  noiseLevel: number;
  /** Seed of the noise. Default 0. */
  seed: number;
  /** Weight `γ` of the gradient-consistency term. Default 1. */
  gamma: number;
  /** L1 weight: a fraction of `λ_max` (`'relative'`, default) or `λ` itself (`'absolute'`). Default 0.05. */
  lambda: number;
  /** How `lambda` is read. `'relative'`: `λ = lambda · λ_max`, with `λ_max = ‖∇g(0)‖∞` the smallest λ whose solution is all zero (≈ 2γ‖mean gradient‖∞). */
  lambdaScale: 'relative' | 'absolute';
  /** FISTA iterations. Default 200. */
  iterations: number;
  /** The explained quantity `L`; the paper explains the loss of the target class. Default `'loss'`. */
  output: OutputKind;
}

/**
 * LSE, the locally smooth explanation (Lim, Lee, Kim, CVPR 2021, "Building
 * Reliable Explanations of Unreliable Neural Networks"): for each input `x` a map
 * `M` (shape of one sample) fitted over `n` noisy copies `x_i = x + N(0, σ²)`,
 * consistent with both the change of `L` and its gradient around `x`, and sparse:
 *
 * `min_M (1/n) Σ_i [ (L(x_i) − L(x) − ⟨M, x_i − x⟩)² + γ‖∇L(x_i) − M‖² ] + λ‖M‖₁`
 *
 * solved by FISTA (Beck & Teboulle 2009): a gradient step on the smooth part
 * `g` with step `1/Lip`, `Lip = 2 λ_max(D Dᵀ)/n + 2γ` (`D` the rows `x_i − x`,
 * its top eigenvalue by power iteration), then soft-thresholding at `λ/Lip`.
 * With `λ = 0` and `n = 1` the solution is `M = ∇L(x₁) + d (r − ⟨d, ∇L(x₁)⟩)/(γ + ‖d‖²)`;
 * with `λ ≥ λ_max` it is 0.
 */
export const locallySmoothExplanation = defineAttribution<LocallySmoothExplanationOptions>(
  {
    name: 'lse',
    description:
      'LSE: sparse map consistent with loss and gradient over noisy copies, by FISTA (Lim et al. 2021)',
    defaults: {
      samples: 32,
      noiseLevel: 0.1,
      seed: 0,
      gamma: 1,
      lambda: 0.05,
      lambdaScale: 'relative',
      iterations: 200,
      output: 'loss',
    },
    explain(ctx, x, o) {
      if (!Number.isInteger(o.samples) || o.samples < 1) {
        throw new InvalidOptionError(`samples must be a positive integer, got ${o.samples}`);
      }
      if (!(o.gamma >= 0)) throw new InvalidOptionError(`gamma must be ≥ 0, got ${o.gamma}`);
      if (!(o.lambda >= 0)) throw new InvalidOptionError(`lambda must be ≥ 0, got ${o.lambda}`);
      if (o.lambdaScale !== 'relative' && o.lambdaScale !== 'absolute') {
        throw new InvalidOptionError(
          `lambdaScale must be 'relative' or 'absolute', got "${String(o.lambdaScale)}"`,
        );
      }
      if (!Number.isInteger(o.iterations) || o.iterations < 1) {
        throw new InvalidOptionError(`iterations must be a positive integer, got ${o.iterations}`);
      }
      const n = o.samples;
      const b = x.shape[0];
      const sigma = noiseSigma(x, o.noiseLevel);
      const copies = noisyCopies(x, n, sigma, new SeededRandom(o.seed));
      const { value, gradient } = ctx.valueAndGradient(copies);
      const lossAtX = ctx.quantity(x);

      // Per sample: r [b, n], D [b, n, p], G [b, n, p] (p = pixels·channels).
      const r = tf.transpose(
        tf.sub(tf.reshape(value, [n, b]), tf.expandDims(lossAtX, 0)),
      ) as tf.Tensor2D;
      const d = tf.transpose(
        tf.sub(tf.reshape(copies, [n, b, -1]), tf.reshape(x, [1, b, -1])),
        [1, 0, 2],
      ) as tf.Tensor3D;
      const meanGrad = tf.mean(tf.reshape(gradient, [n, b, -1]), 0) as tf.Tensor2D;

      // ∇g(M) = −(2/n) Σ_i (r_i − ⟨d_i, M⟩) d_i + 2γ (M − Ḡ)
      const smoothGradient = (m: tf.Tensor2D): tf.Tensor2D =>
        tf.tidy(() => {
          const residual = tf.sub(
            r,
            tf.squeeze(tf.matMul(d, tf.expandDims(m, 2) as tf.Tensor3D), [2]),
          );
          const fit = tf.mul(tf.sum(tf.mul(tf.expandDims(residual, 2), d), 1), -2 / n);
          return tf.add(fit, tf.mul(tf.sub(m, meanGrad), 2 * o.gamma)) as tf.Tensor2D;
        });

      const lipschitz = tf.expandDims(
        tf.add(tf.mul(largestEigenvalues(tf.matMul(d, d, false, true)), 2 / n), 2 * o.gamma),
        1,
      );
      const gradAtZero = smoothGradient(tf.zerosLike(meanGrad));
      const lambda =
        o.lambdaScale === 'relative'
          ? tf.mul(tf.max(tf.abs(gradAtZero), 1, true), o.lambda)
          : tf.fill([b, 1], o.lambda);
      const threshold = tf.div(lambda, lipschitz);

      // FISTA: M_{k+1} = soft(Y − ∇g(Y)/Lip, λ/Lip); Y = M_{k+1} + ((t_k − 1)/t_{k+1})(M_{k+1} − M_k)
      let m: tf.Tensor2D = tf.zerosLike(meanGrad);
      let y: tf.Tensor2D = m.clone();
      let t = 1;
      for (let k = 0; k < o.iterations; k++) {
        const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
        const [mNext, yNext] = tf.tidy(() => {
          const step = tf.sub(y, tf.div(smoothGradient(y), lipschitz));
          const shrunk = tf.mul(
            tf.sign(step),
            tf.relu(tf.sub(tf.abs(step), threshold)),
          ) as tf.Tensor2D;
          const momentum = tf.add(
            shrunk,
            tf.mul(tf.sub(shrunk, m), (t - 1) / tNext),
          ) as tf.Tensor2D;
          return [shrunk, momentum];
        });
        m.dispose();
        y.dispose();
        m = mNext;
        y = yNext;
        t = tNext;
      }
      y.dispose();
      return tf.reshape(m, x.shape);
    },
  },
  { replace: true },
);

/** Top eigenvalue of each symmetric PSD matrix in `[b, n, n]`, by power iteration on the CPU, ×1.01 for a safe step. */
function largestEigenvalues(gram: tf.Tensor3D): tf.Tensor1D {
  const [b, n] = gram.shape;
  const k = gram.dataSync();
  const out = new Float32Array(b);
  for (let s = 0; s < b; s++) {
    const base = s * n * n;
    let v = new Float64Array(n).fill(1 / Math.sqrt(n));
    let eig = 0;
    for (let iter = 0; iter < 100; iter++) {
      const w = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let j = 0; j < n; j++) acc += k[base + i * n + j] * v[j];
        w[i] = acc;
      }
      const norm = Math.sqrt(w.reduce((a, c) => a + c * c, 0));
      if (norm === 0) break;
      const converged = Math.abs(norm - eig) <= 1e-9 * norm;
      eig = norm;
      v = w.map((c) => c / norm);
      if (converged) break;
    }
    out[s] = eig * 1.01;
  }
  return tf.tensor1d(out);
}
