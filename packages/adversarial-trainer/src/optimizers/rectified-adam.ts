import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';

/** tfjs's `NamedTensor` (`{ name, tensor }`), from the public `Optimizer.getWeights` (a deep dist import breaks node16 consumers). */
type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

/** Lookahead (Zhang, Lucas, Hinton & Ba 2019): every `k` steps the slow weights move `alpha` of the way to the fast ones, which restart from them. */
export interface LookaheadConfig {
  k: number;
  alpha: number;
}

/** Everything a {@link RectifiedAdamOptimizer} is built from (its `getConfig`). */
export interface RectifiedAdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  /** Added to `√v` (not bias-corrected), as PyTorch's RAdam and Ranger do. */
  epsilon: number;
  /** The adaptive step is used once the SMA length `ρ_t` exceeds this (5 in RAdam's code and Ranger). */
  rectificationThreshold: number;
  /** Gradient centralisation (Yong et al. 2020): subtract from the gradient of every weight of rank > 1 its mean over all axes but the last (tfjs's output axis). */
  gradientCentralization: boolean;
  /** Lookahead around the inner optimiser, or null for none. */
  lookahead: LookaheadConfig | null;
}

interface Slots {
  /** The weight's name when the state was made (slot variables stay unnamed: two optimisers may share a model). */
  name: string;
  m: tf.Variable;
  v: tf.Variable;
  slow: tf.Variable | null;
}

/**
 * Rectified Adam (RAdam, Liu et al. 2020, *On the Variance of the Adaptive
 * Learning Rate and Beyond*), optionally with gradient centralisation and
 * Lookahead — all three together are Ranger (lessw2020, see {@link RangerOptimizer}).
 * Per weight w with gradient g at step t (1-based):
 *
 * ```
 * g ← g − mean_{all axes but the last}(g)        (gradientCentralization, rank > 1)
 * m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
 * ρ∞ = 2/(1 − β₂) − 1,   ρ_t = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ)
 * ρ_t > threshold:  w ← w − lr · r_t · √(1 − β₂ᵗ)/(1 − β₁ᵗ) · m/(√v + ε),
 *                   r_t = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))
 * otherwise:        w ← w − lr/(1 − β₁ᵗ) · m
 * t mod k = 0:      s ← s + α(w − s),  w ← s   (lookahead; s starts as the initial w)
 * ```
 *
 * Matches `torch.optim.RAdam` (no lookahead, no centralisation) and Ranger
 * 20.4.11 step for step (tested against both on fixed gradients). The step
 * count is the optimiser's `iterations`, shared by all weights. Weight decay
 * is the trainer's (coupled, added to g before this update), as RAdam's
 * `weight_decay`; Ranger's own decoupled decay is not offered.
 *
 * @example
 * const opt = new RectifiedAdamOptimizer({ ...RADAM_DEFAULTS, learningRate: 1e-3 });
 * opt.minimize(() => loss());
 */
export class RectifiedAdamOptimizer extends tf.Optimizer {
  /** The name tfjs serialises the optimiser under. */
  static get className() {
    return 'RectifiedAdam';
  }

  /** Read on every step, so a schedule can set it between steps. */
  learningRate: number;
  readonly config: Omit<RectifiedAdamConfig, 'learningRate'>;
  // By position in the gradient list, as tfjs's own optimisers keep theirs: a restored
  // model's variables get new unique names, so names cannot match state across runs.
  private slots: Slots[] = [];

  constructor(config: RectifiedAdamConfig) {
    super();
    validate(config);
    const { learningRate, ...rest } = config;
    this.learningRate = learningRate;
    this.config = rest;
  }

  /** The scalar multiplying `lr` at step t, and whether the adaptive (rectified) update applies. */
  stepScale(t: number): { scale: number; rectified: boolean } {
    const { beta1, beta2, rectificationThreshold } = this.config;
    const bc1 = 1 - beta1 ** t;
    const bc2 = 1 - beta2 ** t;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rho = rhoInf - (2 * t * beta2 ** t) / bc2;
    if (!(rho > rectificationThreshold)) return { scale: 1 / bc1, rectified: false };
    const rect = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
    return { scale: (rect * Math.sqrt(bc2)) / bc1, rectified: true };
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: Array<[string, tf.Tensor | undefined]> = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor])
      : Object.entries(variableGradients);
    const t = this.iterations + 1;
    const { scale, rectified } = this.stepScale(t);
    const { beta1, beta2, epsilon, gradientCentralization, lookahead } = this.config;
    const syncSlow = lookahead !== null && t % lookahead.k === 0;
    tf.tidy(() => {
      for (const [i, [name, gradient]] of entries.entries()) {
        if (gradient == null) continue;
        const value = tf.engine().registeredVariables[name];
        const slots = this.slotsFor(i, name, value);
        let g = gradient;
        if (gradientCentralization && g.rank > 1) {
          const axes = Array.from({ length: g.rank - 1 }, (_, i) => i);
          g = tf.sub(g, tf.mean(g, axes, true));
        }
        const m = tf.add(tf.mul(slots.m, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(slots.v, beta2), tf.mul(tf.square(g), 1 - beta2));
        slots.m.assign(m);
        slots.v.assign(v);
        const direction = rectified ? tf.div(m, tf.add(tf.sqrt(v), epsilon)) : m;
        let next = tf.sub(value, tf.mul(direction, this.learningRate * scale));
        if (syncSlow && slots.slow && lookahead) {
          next = tf.add(slots.slow, tf.mul(tf.sub(next, slots.slow), lookahead.alpha));
          slots.slow.assign(next);
        }
        value.assign(next);
      }
    });
    this.incrementIterations();
  }

  private slotsFor(index: number, name: string, value: tf.Variable): Slots {
    const existing = this.slots[index];
    if (existing) {
      if (existing.m.shape.join() !== value.shape.join()) {
        throw new InvalidOptionError(
          `${this.getClassName()}: state ${index} has shape [${existing.m.shape}] but weight "${name}" has [${value.shape}]; ` +
            'pass the gradients in the same order (the same model) as when the state was made',
        );
      }
      return existing;
    }
    const created: Slots = {
      name,
      m: tf.tidy(() => tf.zerosLike(value).variable(false)),
      v: tf.tidy(() => tf.zerosLike(value).variable(false)),
      slow: this.config.lookahead ? tf.tidy(() => value.clone().variable(false)) : null,
    };
    this.slots[index] = created;
    return created;
  }

  override dispose(): void {
    for (const s of this.slots) tf.dispose([s.m, s.v, ...(s.slow ? [s.slow] : [])]);
    this.slots = [];
  }

  /** `iter`, then per weight (in gradient order) `<name>/m`, `<name>/v` and (with lookahead) `<name>/slow`. */
  override async getWeights(): Promise<NamedTensor[]> {
    const weights: NamedTensor[] = [await this.saveIterations()];
    for (const s of this.slots) {
      weights.push({ name: `${s.name}/m`, tensor: s.m }, { name: `${s.name}/v`, tensor: s.v });
      if (s.slow) weights.push({ name: `${s.name}/slow`, tensor: s.slow });
    }
    return weights;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.dispose();
    const partial = new Map<string, Partial<Omit<Slots, 'name'>>>();
    for (const { name, tensor } of rest) {
      const cut = name.lastIndexOf('/');
      const [variable, slot] = [name.slice(0, cut), name.slice(cut + 1)];
      if (slot !== 'm' && slot !== 'v' && slot !== 'slow') {
        throw new InvalidOptionError(
          `${this.getClassName()} state "${name}" is not one of <weight>/m, /v, /slow; was it saved by another optimiser?`,
        );
      }
      const entry = partial.get(variable) ?? {};
      entry[slot] = tensor.variable(false);
      partial.set(variable, entry);
    }
    for (const [variable, s] of partial) {
      if (!s.m || !s.v || (this.config.lookahead !== null) !== (s.slow !== undefined)) {
        throw new InvalidOptionError(
          `${this.getClassName()} state of "${variable}" is incomplete (needs m, v${this.config.lookahead ? ', slow' : ''}); restore state saved by the same optimiser config`,
        );
      }
      this.slots.push({ name: variable, m: s.m, v: s.v, slow: s.slow ?? null });
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { lookahead, ...rest } = this.config;
    return {
      learningRate: this.learningRate,
      ...rest,
      lookahead: lookahead ? { k: lookahead.k, alpha: lookahead.alpha } : null,
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config as unknown as RectifiedAdamConfig);
  }
}

/**
 * Ranger (Wright 2019, lessw2020/Ranger-Deep-Learning-Optimizer, version
 * 20.4.11 as the FMS authors import it): {@link RectifiedAdamOptimizer} with
 * gradient centralisation and Lookahead (see {@link RANGER_DEFAULTS}). Its own
 * class name, so a checkpoint of one does not load into the other.
 */
export class RangerOptimizer extends RectifiedAdamOptimizer {
  static override get className() {
    return 'Ranger';
  }
}

tf.serialization.registerClass(RectifiedAdamOptimizer);
tf.serialization.registerClass(RangerOptimizer);

/** `torch.optim.RAdam`'s defaults. */
export const RADAM_DEFAULTS: Omit<RectifiedAdamConfig, 'learningRate'> = {
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  rectificationThreshold: 5,
  gradientCentralization: false,
  lookahead: null,
};

/** Ranger 20.4.11's defaults: β = (0.95, 0.999), ε = 1e-5, N_sma threshold 5, GC on conv and fc weights, Lookahead k = 6, α = 0.5. The FMS authors pass ε = 1e-6, lr 8e-3. */
export const RANGER_DEFAULTS: Omit<RectifiedAdamConfig, 'learningRate'> = {
  beta1: 0.95,
  beta2: 0.999,
  epsilon: 1e-5,
  rectificationThreshold: 5,
  gradientCentralization: true,
  lookahead: { k: 6, alpha: 0.5 },
};

function validate(c: RectifiedAdamConfig): void {
  const bad = (what: string, value: unknown, expected: string) =>
    new InvalidOptionError(`rectified Adam ${what} must be ${expected}, got ${String(value)}`);
  if (!(c.learningRate >= 0)) throw bad('learningRate', c.learningRate, '≥ 0');
  for (const key of ['beta1', 'beta2'] as const) {
    if (!(c[key] >= 0 && c[key] < 1)) throw bad(key, c[key], 'in [0, 1)');
  }
  if (!(c.epsilon > 0)) throw bad('epsilon', c.epsilon, '> 0');
  if (c.lookahead) {
    if (!(Number.isInteger(c.lookahead.k) && c.lookahead.k >= 1)) {
      throw bad('lookahead k', c.lookahead.k, 'an integer ≥ 1');
    }
    if (!(c.lookahead.alpha >= 0 && c.lookahead.alpha <= 1)) {
      throw bad('lookahead alpha', c.lookahead.alpha, 'in [0, 1]');
    }
  }
}
