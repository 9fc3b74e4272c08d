import * as tf from '@tensorflow/tfjs-core';
import { InvalidOptionError } from '@trustgrad/core-tensor';

/** Optimisers the trainer can build, save and restore. */
export type OptimizerConfig =
  | { name: 'sgd' }
  | { name: 'momentum'; momentum?: number; nesterov?: boolean }
  | { name: 'adam'; beta1?: number; beta2?: number; epsilon?: number };

/** Builds the tfjs optimiser for `config` at learning rate `rate` (changed per step by the schedule). */
export function createOptimizer(config: OptimizerConfig, rate: number): tf.Optimizer {
  switch (config.name) {
    case 'sgd':
      return tf.train.sgd(rate);
    case 'momentum':
      return tf.train.momentum(rate, config.momentum ?? 0.9, config.nesterov ?? false);
    case 'adam':
      return tf.train.adam(
        rate,
        config.beta1 ?? 0.9,
        config.beta2 ?? 0.999,
        config.epsilon ?? 1e-7,
      );
    default:
      throw new InvalidOptionError(
        `unknown optimizer "${(config as { name: string }).name}"; known optimizers: adam, momentum, sgd`,
      );
  }
}

/** Sets the optimiser's learning rate for the next `applyGradients`. */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const o = optimizer as tf.Optimizer & {
    learningRate: number;
    setLearningRate?: (r: number) => void;
  };
  if (o.learningRate === rate) return;
  // SGD and momentum cache −rate in a scalar; Adam reads the field on every step.
  if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
  else o.learningRate = rate;
}

/**
 * Optimiser state that `getWeights` leaves out: Adam's running `β₁ᵗ`, `β₂ᵗ`
 * (its `setWeights` recomputes them with `pow`, which can differ from the
 * running product in the last bit and would break bit-exact resume).
 */
export const OPTIMIZER_SCALARS = ['accBeta1', 'accBeta2'] as const;
