import * as tf from '@tensorflow/tfjs-core';
import {
  FusedAdamOptimizer,
  FusedMomentumOptimizer,
  InvalidOptionError,
} from '@trustgrad/core-tensor';
import {
  RADAM_DEFAULTS,
  RANGER_DEFAULTS,
  RangerOptimizer,
  RectifiedAdamOptimizer,
} from '../optimizers/rectified-adam';

/**
 * Optimisers the trainer can build, save and restore. Weight decay is the
 * trainer's `weightDecay` (coupled, `g ← g + λw`, PyTorch's `weight_decay`), for all of them.
 *
 * - `sgd`: PyTorch's `torch.optim.SGD` — plain with `momentum` 0 (default), else heavy-ball
 *   `b ← μb + g`, `w ← w − lr·b`, or with `nesterov` `w ← w − lr·(g + μb)` (dampening 0).
 *   tfjs's momentum optimiser computes exactly this, so it runs as that, bit for bit, as
 *   core-tensor's `FusedMomentumOptimizer` (one fused kernel per variable and step instead of
 *   tfjs's 4, 6 with Nesterov; checkpoints are interchangeable with `tf.train.momentum`'s).
 * - `momentum`: the same as `sgd` with momentum, default μ = 0.9 (kept for existing configs).
 * - `adam`: tfjs's Adam, bit for bit, as core-tensor's `FusedAdamOptimizer` (one fused kernel per
 *   variable and step instead of tfjs's 13).
 * - `radam`: `torch.optim.RAdam` (see {@link RectifiedAdamOptimizer}), its defaults.
 * - `ranger`: Ranger 20.4.11 = RAdam + gradient centralisation + Lookahead (k = 6, α = 0.5),
 *   its defaults (β₁ 0.95, ε 1e-5); the FMS authors use `{ name: 'ranger', epsilon: 1e-6 }`
 *   at lr 8e-3 for ImageNette.
 */
export type OptimizerConfig =
  | { name: 'sgd'; momentum?: number; nesterov?: boolean }
  | { name: 'momentum'; momentum?: number; nesterov?: boolean }
  | { name: 'adam'; beta1?: number; beta2?: number; epsilon?: number }
  | { name: 'radam'; beta1?: number; beta2?: number; epsilon?: number }
  | {
      name: 'ranger';
      beta1?: number;
      beta2?: number;
      epsilon?: number;
      k?: number;
      alpha?: number;
      gradientCentralization?: boolean;
    };

/** Every optimiser name and the options it takes. */
const OPTIONS: Record<OptimizerConfig['name'], readonly string[]> = {
  sgd: ['momentum', 'nesterov'],
  momentum: ['momentum', 'nesterov'],
  adam: ['beta1', 'beta2', 'epsilon'],
  radam: ['beta1', 'beta2', 'epsilon'],
  ranger: ['beta1', 'beta2', 'epsilon', 'k', 'alpha', 'gradientCentralization'],
};

/** Builds the tfjs optimiser for `config` at learning rate `rate` (changed per step by the schedule). */
export function createOptimizer(config: OptimizerConfig, rate: number): tf.Optimizer {
  const known = OPTIONS[config.name as OptimizerConfig['name']];
  if (!known) {
    throw new InvalidOptionError(
      `unknown optimizer "${(config as { name: string }).name}"; known optimizers: ${Object.keys(OPTIONS).join(', ')}`,
    );
  }
  const unknown = Object.keys(config).filter((k) => k !== 'name' && !known.includes(k));
  if (unknown.length > 0) {
    throw new InvalidOptionError(
      `optimizer "${config.name}": unknown option ${unknown.map((k) => `"${k}"`).join(', ')}; it takes ${known.join(', ') || 'none'}`,
    );
  }
  switch (config.name) {
    case 'sgd':
    case 'momentum': {
      const momentum = config.momentum ?? (config.name === 'momentum' ? 0.9 : 0);
      const nesterov = config.nesterov ?? false;
      if (!(momentum >= 0)) {
        throw new InvalidOptionError(
          `optimizer "${config.name}": momentum must be ≥ 0, got ${momentum}`,
        );
      }
      if (nesterov && momentum === 0) {
        throw new InvalidOptionError(
          `optimizer "${config.name}": nesterov needs a momentum > 0 (as PyTorch's SGD); give e.g. momentum: 0.9`,
        );
      }
      return momentum === 0
        ? tf.train.sgd(rate)
        : new FusedMomentumOptimizer(rate, momentum, nesterov);
    }
    case 'adam':
      return new FusedAdamOptimizer(
        rate,
        config.beta1 ?? 0.9,
        config.beta2 ?? 0.999,
        config.epsilon ?? 1e-7,
      );
    case 'radam':
      return new RectifiedAdamOptimizer({
        ...RADAM_DEFAULTS,
        learningRate: rate,
        ...definedOnly({ beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon }),
      });
    case 'ranger': {
      const lookahead = RANGER_DEFAULTS.lookahead as { k: number; alpha: number };
      return new RangerOptimizer({
        ...RANGER_DEFAULTS,
        learningRate: rate,
        ...definedOnly({
          beta1: config.beta1,
          beta2: config.beta2,
          epsilon: config.epsilon,
          gradientCentralization: config.gradientCentralization,
        }),
        lookahead: { k: config.k ?? lookahead.k, alpha: config.alpha ?? lookahead.alpha },
      });
    }
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Sets the optimiser's learning rate for the next `applyGradients`. */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const o = optimizer as tf.Optimizer & {
    learningRate: number;
    setLearningRate?: (r: number) => void;
  };
  if (o.learningRate === rate) return;
  // SGD and momentum cache −rate in a scalar; Adam and rectified Adam read the field on every step.
  if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
  else o.learningRate = rate;
}

/**
 * Optimiser state that `getWeights` leaves out: Adam's running `β₁ᵗ`, `β₂ᵗ`
 * (its `setWeights` recomputes them with `pow`, which can differ from the
 * running product in the last bit and would break bit-exact resume).
 */
export const OPTIMIZER_SCALARS = ['accBeta1', 'accBeta2'] as const;
