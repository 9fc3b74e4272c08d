import * as tf from '@tensorflow/tfjs-core';
import { adamUpdate } from '../ops/adam-update';

/** tfjs's `NamedTensor` (`{ name, tensor }`), from the public `Optimizer.getWeights`. */
type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];
/** What `Optimizer.applyGradients` takes: a map or list of named gradients. */
type VariableGradients = Parameters<tf.Optimizer['applyGradients']>[0];

/** The state tfjs's `AdamOptimizer` keeps in fields its typings mark private. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable }>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable }>;
}

/**
 * tfjs's Adam with each variable's update as one fused kernel
 * ({@link adamUpdate}: one SIMD pass on wasm instead of 13 kernel calls).
 * The results are tfjs's `AdamOptimizer`'s bit for bit, step after step, and
 * everything else is inherited from it: `getWeights`/`setWeights` (checkpoints
 * are interchangeable with `tf.train.adam`), `getConfig`, the class name
 * `Adam`, learning-rate changes through the `learningRate` field.
 *
 * @example
 * const optimizer = new FusedAdamOptimizer(1e-3, 0.9, 0.999, 1e-7);
 * optimizer.minimize(() => loss(model, x, y));
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    const state = this as unknown as AdamState;
    const list = Array.isArray(variableGradients) ? (variableGradients as NamedTensor[]) : null;
    const names = list ? list.map((v) => v.name) : Object.keys(variableGradients);
    const hyper = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
    };
    tf.tidy(() => {
      const biasCorrection1 = tf.sub(1, state.accBeta1) as tf.Scalar;
      const biasCorrection2 = tf.sub(1, state.accBeta2) as tf.Scalar;
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name];
        // Created lazily, as tfjs does, so getWeights lists the moments in the same order.
        state.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        state.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        const gradient = list
          ? list[i].tensor
          : (variableGradients as Record<string, tf.Tensor>)[name];
        if (gradient == null) return;
        const firstMoment = state.accumulatedFirstMoment[i].variable;
        const secondMoment = state.accumulatedSecondMoment[i].variable;
        const next = adamUpdate(
          value,
          firstMoment,
          secondMoment,
          gradient,
          biasCorrection1,
          biasCorrection2,
          hyper,
        );
        firstMoment.assign(next.firstMoment);
        secondMoment.assign(next.secondMoment);
        value.assign(next.value);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}
