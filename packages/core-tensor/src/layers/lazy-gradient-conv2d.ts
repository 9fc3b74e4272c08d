import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { tfjsLayerClass } from './tfjs-layer-class';

/** The arguments of tfjs-layers' `Conv2D` (`filters`, `kernelSize`, `strides`, `padding`, …). */
export type Conv2DArgs = NonNullable<Parameters<typeof tfl.layers.conv2d>[0]>;

type TfjsConv2D = ReturnType<typeof tfl.layers.conv2d>;
type CallKwargs = Parameters<TfjsConv2D['call']>[1];
/** Its class: a layer's statics (`className`, `fromConfig`) and the constructor. */
type Conv2DClass = Omit<typeof tfl.layers.Layer, 'prototype'> &
  (new (
    args: Conv2DArgs,
  ) => TfjsConv2D);

/** The fields of tfjs-layers' `Conv2D` the unfused path reads (private in its typings). */
interface Conv2DState {
  kernel: tfl.LayerVariable;
  bias: tfl.LayerVariable | null;
  strides: number[];
  padding: 'valid' | 'same';
  dataFormat: 'channelsFirst' | 'channelsLast';
  dilationRate: number | number[];
  activation: { getClassName(): string } | null;
}

/**
 * tfjs-layers' `Conv2D` whose input gradient is computed only when something
 * asks for it. tfjs-layers runs every convolution as `tf.fused.conv2d`, and
 * without a bias or activation (a conv before a BatchNorm) that op's gradient
 * is a custom one that computes the input and the filter gradient together:
 * the first convolution of a network then computes the gradient of the input
 * images on every training step, which nothing reads (CIFAR ResNet-20, batch
 * 128 on wasm: 8.8 ms of a ~500 ms step). Here such a layer (no bias, linear
 * activation, channels last) runs `tf.conv2d`, whose registered gradient
 * gives each input its own function, called only for inputs on the path to
 * the variables (or to the tensors `tf.grad` differentiates with respect to:
 * saliency maps still get theirs). The forward is the same kernel's result,
 * the gradients are the same two ops; every other configuration is tfjs's own
 * `call`.
 *
 * Registered for deserialization under tfjs's class name 'Conv2D', replacing
 * tfjs's entry, as {@link FusedBatchNormalization} does: a saved model stays a
 * plain tfjs model, and `tf.loadLayersModel` in a process that imported
 * trustgrad gives this class. The zoo builds every convolution without a bias
 * with it.
 *
 * @example
 * const conv = new LazyGradientConv2D({ filters: 16, kernelSize: 3, padding: 'same', useBias: false });
 * const y = conv.apply(x); // x [batch, h, w, c]
 */
export class LazyGradientConv2D extends tfjsLayerClass<Conv2DClass>('Conv2D', 'trustgradLazy') {
  /** @nocollapse */
  static className = 'Conv2D';
  /** Marks this class so that a second copy of this module extends tfjs's class, not this one. */
  static readonly trustgradLazy = true;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) && inputs.length === 1 ? inputs[0] : inputs;
    const state = this as unknown as Conv2DState;
    const linear = state.activation === null || state.activation.getClassName() === 'linear';
    if (
      Array.isArray(x) ||
      x.rank !== 4 ||
      state.bias ||
      !linear ||
      state.dataFormat !== 'channelsLast'
    ) {
      return super.call(inputs, kwargs);
    }
    const dilations = state.dilationRate as number | [number, number];
    return tf.tidy(() =>
      tf.conv2d(
        x as tf.Tensor4D,
        state.kernel.read() as tf.Tensor4D,
        state.strides as [number, number],
        state.padding,
        'NHWC',
        dilations,
      ),
    );
  }
}

tf.serialization.registerClass(LazyGradientConv2D);
