import * as tf from '@tensorflow/tfjs-core';
import { groupL1Norm, groupNorms } from '../attacks/group-norm';
import { defineRegulariser } from './regulariser';

/** Soft-thresholding `sign(v)·max(|v| − t, 0)`: the prox of `t·‖·‖₁`. */
export function softThreshold(v: tf.Tensor, t: tf.Tensor | number): tf.Tensor4D {
  return tf.tidy(() => tf.mul(tf.sign(v), tf.relu(tf.sub(tf.abs(v), t))) as tf.Tensor4D);
}

const perSampleSum = (t: tf.Tensor) => tf.sum(t, [1, 2, 3]) as tf.Tensor1D;

/**
 * `R(δ) = ‖δ‖₁`, prox = soft-thresholding. Inside an L∞ box `|δ| ≤ ε` the
 * linearised attack gains `ε·Σ_j (|∇_j| − λ)₊`: a sparse (L1) penalty on the
 * soft-thresholded gradient.
 */
export const l1Regulariser = defineRegulariser(
  {
    name: 'l1',
    description: 'R(δ) = ‖δ‖₁, prox soft-threshold; gradient penalty ε·Σ(|∇|−λ)₊ in the L∞ box',
    value: (d) => tf.tidy(() => perSampleSum(tf.abs(d))),
    prox: (v, t) => softThreshold(v, t),
  },
  { replace: true },
);

/**
 * `R(δ) = ½‖δ‖₂²`, prox the shrink `v / (1 + t)`. Conjugate of `λR`:
 * `‖∇‖₂² / (2λ)` (a smooth, L2 penalty on the gradient); maximiser `δ* = ∇/λ`.
 */
export const l2Regulariser = defineRegulariser(
  {
    name: 'l2',
    description: 'R(δ) = ½‖δ‖₂², prox v/(1+t); gradient penalty ‖∇‖₂²/(2λ)',
    value: (d) => tf.tidy(() => tf.mul(0.5, perSampleSum(tf.square(d))) as tf.Tensor1D),
    prox: (v, t) => tf.tidy(() => tf.div(v, tf.add(1, t)) as tf.Tensor4D),
  },
  { replace: true },
);

/**
 * `R(δ) = Σ_g ‖δ_g‖₂` over `k×k` patches (all channels), prox the group shrink
 * `v_g · max(0, 1 − t/‖v_g‖₂)`. Inside a group ball `‖δ_g‖₂ ≤ ε` the linearised
 * attack gains `ε·Σ_g (‖∇_g‖₂ − λ)₊`: a group-sparse penalty on the gradient.
 */
export const groupRegulariser = defineRegulariser(
  {
    name: 'group',
    description:
      'R(δ) = Σ_g ‖δ_g‖₂ over k×k patches, prox group shrink; gradient penalty ε·Σ_g(‖∇_g‖₂−λ)₊',
    value: (d, p) => groupL1Norm(d, p.patch),
    prox: (v, t, p) =>
      tf.tidy(
        () =>
          tf.mul(
            v,
            tf.relu(tf.sub(1, tf.div(t, tf.maximum(groupNorms(v, p.patch), 1e-12)))),
          ) as tf.Tensor4D,
      ),
  },
  { replace: true },
);

/**
 * Elastic net `R(δ) = α‖δ‖₁ + (1−α)/2·‖δ‖₂²`, prox `S_{tα}(v) / (1 + t(1−α))`
 * (soft-threshold, then shrink). Conjugate of `λR`: `‖S_{λα}(∇)‖₂² / (2λ(1−α))`,
 * a penalty only on gradient entries above `λα` (sparse and smooth).
 */
export const elasticNetRegulariser = defineRegulariser(
  {
    name: 'elastic-net',
    description:
      'R(δ) = α‖δ‖₁ + (1−α)/2‖δ‖₂², prox S_{tα}(v)/(1+t(1−α)); penalty ‖S_{λα}(∇)‖²/(2λ(1−α))',
    value: (d, p) =>
      tf.tidy(
        () =>
          tf.add(
            tf.mul(p.l1Ratio, perSampleSum(tf.abs(d))),
            tf.mul((1 - p.l1Ratio) / 2, perSampleSum(tf.square(d))),
          ) as tf.Tensor1D,
      ),
    prox: (v, t, p) =>
      tf.tidy(
        () =>
          tf.div(
            softThreshold(v, tf.mul(t, p.l1Ratio)),
            tf.add(1, tf.mul(t, 1 - p.l1Ratio)),
          ) as tf.Tensor4D,
      ),
  },
  { replace: true },
);

/**
 * `R(δ) = ½‖(|δ| − τ)₊‖₂²`: free inside `|δ_j| ≤ τ`, quadratic outside. Its
 * prox keeps `|v| ≤ τ` and maps the rest to `sign(v)(τ + (|v| − τ)/(1 + t))`.
 * The conjugate of `λR` is the **elastic-net penalty of the gradient**
 * `τ‖∇‖₁ + ‖∇‖₂²/(2λ)` — the NRAT paper's elastic-net training (its code's
 * `1/(4ε₂)·‖relu(|δ| − ε₁)‖²` term is this with `τ = ε₁`, `λ = 1/(2ε₂)`).
 */
export const elasticNetConjugateRegulariser = defineRegulariser(
  {
    name: 'elastic-net-conjugate',
    description:
      'R(δ) = ½‖(|δ|−τ)₊‖₂² whose conjugate is the elastic net τ‖∇‖₁ + ‖∇‖₂²/(2λ) (NRAT)',
    value: (d, p) =>
      tf.tidy(
        () =>
          tf.mul(
            0.5,
            perSampleSum(tf.square(tf.relu(tf.sub(tf.abs(d), p.deadZone)))),
          ) as tf.Tensor1D,
      ),
    prox: (v, t, p) =>
      tf.tidy(() => {
        const excess = tf.relu(tf.sub(tf.abs(v), p.deadZone));
        // sign(v)·(τ + (|v|−τ)/(1+t)) outside the free zone, v inside it.
        return tf.sub(
          v,
          tf.mul(tf.sign(v), tf.sub(excess, tf.div(excess, tf.add(1, t)))),
        ) as tf.Tensor4D;
      }),
  },
  { replace: true },
);
