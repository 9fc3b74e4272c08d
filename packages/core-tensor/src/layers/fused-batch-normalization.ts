import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { batchNormTraining, hasFastBatchNormTraining } from '../ops/batch-norm-training';
import { movingAverageUpdate } from '../ops/moving-average-update';
import { tfjsLayerClass } from './tfjs-layer-class';

/** The arguments of tfjs-layers' `BatchNormalization` (`axis`, `momentum`, `epsilon`, `center`, `scale`, initializers …). */
export type BatchNormalizationArgs = NonNullable<
  Parameters<typeof tfl.layers.batchNormalization>[0]
>;

type TfjsBatchNormalization = ReturnType<typeof tfl.layers.batchNormalization>;
type CallKwargs = Parameters<TfjsBatchNormalization['call']>[1];
/** Its class: a layer's statics (`className`, `fromConfig`) and the constructor. */
type BatchNormalizationClass = Omit<typeof tfl.layers.Layer, 'prototype'> &
  (new (
    args?: BatchNormalizationArgs,
  ) => TfjsBatchNormalization);

/** The fields of tfjs-layers' `BatchNormalization` the fused path reads (private in its typings). */
interface BatchNormalizationState {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: tfl.LayerVariable;
  beta?: tfl.LayerVariable;
  movingMean: tfl.LayerVariable;
  movingVariance: tfl.LayerVariable;
}

/**
 * tfjs-layers' own `BatchNormalization` class, which it does not export by
 * name: the one registered for deserialization under 'BatchNormalization',
 * or, once ours replaced it there (a second copy of this module), the class ours extends.
 */
function tfjsBatchNormalization(): BatchNormalizationClass {
  return tfjsLayerClass<BatchNormalizationClass>('BatchNormalization', 'trustgradFused');
}

/**
 * tfjs-layers' `BatchNormalization` with a fused training step: in training
 * mode, for a float32 input of rank 2 to 4 normalized over its last axis on a
 * backend with trustgrad's kernels (`wasm`, `cpu`), the batch statistics and
 * the normalization run as {@link batchNormTraining} — one statistics pass
 * and one normalize pass forward, one reduction pass and one `dx` pass
 * backward, where tfjs's `moments` → `batchNorm` composition and its autodiff
 * make some 20 full-size passes (a CIFAR ResNet-20 step on wasm spent ~450 ms of
 * its ~1.3 s there). Everything else (inference, other axes, other backends)
 * is tfjs's own `call`.
 *
 * The fused path keeps tfjs-layers' semantics: the biased batch variance
 * normalizes, the moving statistics are updated as tfjs's ops update them
 * (`moving − (moving − batch)·(1 − momentum)`, bit for bit; one kernel call
 * for both on `wasm` and `cpu`, {@link movingAverageUpdate}), the gradients with respect to
 * the input, γ and β are those of the composition, including the paths through
 * the batch mean and variance (equal within float32 rounding; the tests check
 * 1e-5). One difference: with `scale: false` or `center: false` tfjs 4.22's
 * training step throws (it reads the missing γ/β); here they count as 1 and 0,
 * as tfjs's inference path does.
 *
 * Registered for deserialization under tfjs's class name 'BatchNormalization',
 * replacing tfjs's entry: a saved model stays a plain tfjs model (the JSON says
 * 'BatchNormalization', which plain tfjs loads), and `tf.loadLayersModel` in
 * a process that imported trustgrad gives this class. The zoo builds every
 * BatchNorm with it.
 *
 * @example
 * const bn = new FusedBatchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5 });
 * const y = bn.apply(x, { training: true }); // x [batch, h, w, c]
 */
export class FusedBatchNormalization extends tfjsBatchNormalization() {
  /** @nocollapse */
  static className = 'BatchNormalization';
  /** Marks this class so that a second copy of this module extends tfjs's class, not this one. */
  static readonly trustgradFused = true;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) && inputs.length === 1 ? inputs[0] : inputs;
    if (!(kwargs.training ?? false) || Array.isArray(x) || !this.fusedPathFits(x)) {
      return super.call(inputs, kwargs);
    }
    const state = this as unknown as BatchNormalizationState;
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(x, {
        scale: state.gamma?.read(),
        offset: state.beta?.read(),
        epsilon: state.epsilon,
      });
      updateMovingStatistics(state, mean, variance);
      return y;
    });
  }

  private fusedPathFits(x: tf.Tensor): boolean {
    const { axis } = this as unknown as BatchNormalizationState;
    const last = axis === -1 || axis === x.rank - 1;
    return (
      last &&
      x.rank >= 2 &&
      x.rank <= 4 &&
      x.dtype === 'float32' &&
      x.size > 0 &&
      hasFastBatchNormTraining()
    );
  }
}

/**
 * tfjs-layers' moving-average updates of both statistics,
 * `moving ← moving − (moving − batch)·(1 − momentum)`, as one kernel call
 * ({@link movingAverageUpdate}; bit-identical to tfjs's 3 ops per statistic,
 * which other backends still run).
 */
function updateMovingStatistics(
  state: BatchNormalizationState,
  mean: tf.Tensor,
  variance: tf.Tensor,
): void {
  tf.tidy(() => {
    const [newMean, newVariance] = movingAverageUpdate(
      [
        [state.movingMean.read(), mean],
        [state.movingVariance.read(), variance],
      ],
      state.momentum,
    );
    state.movingMean.write(newMean);
    state.movingVariance.write(newVariance);
  });
}

tf.serialization.registerClass(FusedBatchNormalization);
