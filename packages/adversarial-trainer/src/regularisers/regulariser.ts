import type * as tf from '@tensorflow/tfjs-core';
import { type DefineOptions, registerUnlessTold, sharedRegistry } from '@trustgrad/core-tensor';

/** Parameters a regulariser may read (each built-in documents the ones it uses). */
export interface RegulariserParams {
  /** Side `k` of the `k×k` patches of group regularisers. Default 4. */
  patch: number;
  /** Share α ∈ [0, 1) of the L1 term in the elastic net `α‖δ‖₁ + (1−α)/2·‖δ‖₂²`. Default 0.5. */
  l1Ratio: number;
  /** Width τ ≥ 0 of the free zone of `elastic-net-conjugate`, `½‖(|δ| − τ)₊‖₂²`. Default 0.01. */
  deadZone: number;
}

/** Defaults of {@link RegulariserParams}. */
export const REGULARISER_DEFAULTS: Readonly<RegulariserParams> = Object.freeze({
  patch: 4,
  l1Ratio: 0.5,
  deadZone: 0.01,
});

/**
 * A convex penalty `R(δ)` on a perturbation, with its proximal operator, for
 * norm-regularised attacks `max_δ L(x+δ) − λ·R(δ)` (NRAT). Training against
 * such an attack penalises, to first order, the Fenchel conjugate
 * `(λR)*(∇ₓL)` of the input gradient (documented per regulariser).
 */
export interface Regulariser {
  readonly name: string;
  /** One line: `R(δ)`, its prox and the gradient penalty it induces. */
  readonly description: string;
  /**
   * The parameters it reads with their defaults (a subset of
   * {@link REGULARISER_DEFAULTS}; the attack using it resolves them). Default: all of them.
   */
  readonly defaults?: Readonly<Partial<RegulariserParams>>;
  /** `R(δ_i)` per sample, `[batch]`, for `delta` `[batch,h,w,c]`. */
  value(delta: tf.Tensor4D, params: RegulariserParams): tf.Tensor1D;
  /**
   * `prox_{t·R}(v) = argmin_u ½‖u − v‖₂² + t·R(u)` per sample, same shape as `v`;
   * `t` broadcastable to `[batch,1,1,1]`, `t ≥ 0`.
   */
  prox(v: tf.Tensor4D, t: tf.Tensor, params: RegulariserParams): tf.Tensor4D;
}

/**
 * Perturbation regularisers known by kebab-case name (`l1`, `l2`, `group`,
 * `elastic-net`, `elastic-net-conjugate`), for `prox-regularised` and `nrat`.
 */
export const regulariserRegistry = sharedRegistry<Regulariser>('regulariser', {
  keyStyle: 'kebab-case',
});

/**
 * Makes a regulariser plugin and registers it in {@link regulariserRegistry}
 * (unless `{ register: false }`), so `prox-regularised` and `nrat` find it by name.
 * Regularisers read their parameters from {@link RegulariserParams}, whose
 * defaults are {@link REGULARISER_DEFAULTS}.
 *
 * @example
 * const box = defineRegulariser({
 *   name: 'zero', description: 'R = 0 (prox is the identity): plain gradient ascent',
 *   value: (d) => tf.zeros([d.shape[0]]), prox: (v) => v.clone(),
 * });
 */
export function defineRegulariser(spec: Regulariser, options: DefineOptions = {}): Regulariser {
  const defaults = Object.freeze({ ...(spec.defaults ?? REGULARISER_DEFAULTS) });
  return registerUnlessTold(regulariserRegistry, Object.freeze({ ...spec, defaults }), options);
}
