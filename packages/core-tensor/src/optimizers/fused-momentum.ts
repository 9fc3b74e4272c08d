import * as tf from '@tensorflow/tfjs-core';
import { momentumUpdate } from '../ops/momentum-update';

/** tfjs's `NamedTensor` (`{ name, tensor }`), from the public `Optimizer.getWeights`. */
type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];
/** What `Optimizer.applyGradients` takes: a map or list of named gradients. */
type VariableGradients = Parameters<tf.Optimizer['applyGradients']>[0];

/** The state tfjs's `MomentumOptimizer` keeps in fields its typings mark private or protected. */
interface MomentumState {
  /** `scalar(momentum)`, made once by the constructor (`setMomentum` does not touch it). */
  m: tf.Scalar;
  /** `scalar(−learningRate)`, remade by `setLearningRate`. */
  c: tf.Scalar;
  useNesterov: boolean;
  accumulations: Array<{ originalName: string; variable: tf.Variable } | undefined>;
}

/**
 * tfjs's momentum SGD with each variable's update as one fused kernel
 * ({@link momentumUpdate}: one SIMD pass on wasm instead of 4 kernel calls, 6
 * with Nesterov). The results are tfjs's `MomentumOptimizer`'s bit for bit,
 * step after step, with or without Nesterov, and everything else is inherited
 * from it: `getWeights`/`setWeights` (the accumulations are made lazily under
 * the same names `<variable>/momentum`, so checkpoints are interchangeable
 * with `tf.train.momentum`), `getConfig`, the class name `Momentum`,
 * `setLearningRate` (which remakes the cached `−lr` scalar the update reads).
 * As in tfjs, the update multiplies by the momentum scalar made by the
 * constructor: `setMomentum` changes `getConfig` but not the steps.
 *
 * @example
 * const w = tf.variable(tf.tensor1d([1, -2, 3]));
 * const optimizer = new FusedMomentumOptimizer(0.1, 0.9);
 * for (let step = 0; step < 3; step++) optimizer.minimize(() => tf.sum(tf.square(w)) as tf.Scalar);
 * w.print(); // ≈ [0.062, -0.124, 0.186], as tf.train.momentum(0.1, 0.9) gives
 */
export class FusedMomentumOptimizer extends tf.MomentumOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    const state = this as unknown as MomentumState;
    const list = Array.isArray(variableGradients) ? (variableGradients as NamedTensor[]) : null;
    const names = list ? list.map((v) => v.name) : Object.keys(variableGradients);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      // Created lazily, as tfjs does, so getWeights lists them in the same order and names.
      state.accumulations[i] ??= {
        originalName: `${name}/momentum`,
        variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
      };
      const accumulation = state.accumulations[i].variable;
      const gradient = list
        ? list[i].tensor
        : (variableGradients as Record<string, tf.Tensor>)[name];
      if (gradient == null) return;
      tf.tidy(() => {
        const next = momentumUpdate(
          value,
          accumulation,
          gradient,
          state.m,
          state.c,
          state.useNesterov,
        );
        accumulation.assign(next.accumulation);
        value.assign(next.value);
      });
    });
    this.incrementIterations();
  }
}
