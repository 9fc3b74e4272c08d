import * as tfl from '@tensorflow/tfjs-layers';
import { resolveOptions } from '../options/resolve-options';
import {
  layerSeed,
  type PaperBlockPlacement,
  pytorchDefaultUniform,
  type ZooModelOptions,
} from './model-options';

/** Options of {@link lenet5}: the shared zoo options. */
export type Lenet5Options = ZooModelOptions;

/**
 * The FMS authors' place for the smoothing block in LeNet-5: after the first
 * conv-ReLU-pool (`pool1`, 12×12×6 for 28×28 inputs); their LeNet keeps
 * PyTorch's default init for the block's 1×1 convolution.
 */
/** Defaults of {@link lenet5}; the keys are its accepted options. */
export const LENET5_DEFAULTS: Readonly<Required<Lenet5Options>> = Object.freeze<
  Required<Lenet5Options>
>({ inputShape: [28, 28, 1], numClasses: 10, seed: 0 });

export const LENET5_PAPER_BLOCK: PaperBlockPlacement = { after: 'pool1', init: 'pytorch-default' };

/**
 * LeNet-5 as the FMS authors train it on Fashion-MNIST (SPEC 6; their
 * `LeNet_normal`, after ChawDoe/LeNet5-MNIST-PyTorch): conv 6@5×5 (valid) →
 * ReLU → max-pool 2 → conv 16@5×5 (valid) → ReLU → max-pool 2 → flatten (256)
 * → fc 120 → ReLU → fc 84 → ReLU → fc `numClasses` logits. Every weight and
 * bias starts as PyTorch's default, U(±1/√fan_in). Layers are named `conv1`,
 * `pool1`, `conv2`, `pool2`, `flatten`, `fc1`, `fc2`, `logits`; ReLU is fused
 * into the conv and fc layers (ReLU then pool equals pool then ReLU anyway).
 * 44 426 parameters for 28×28×1 inputs (the 61.7k often quoted is the 32×32
 * variant, whose flatten has 400 features).
 *
 * Input `[batch, 28, 28, 1]` in [0, 1] (no normalisation), output logits `[batch, numClasses]`.
 *
 * @example
 * const model = lenet5({ seed: 0 });
 * model.predict(tf.zeros([1, 28, 28, 1])); // [1, 10] logits
 * insertSmoothing(model, { ...LENET5_PAPER_BLOCK, block: 'paper' }); // the authors' AT + FMS model
 */
export function lenet5(options: Lenet5Options = {}): tfl.LayersModel {
  const { inputShape, numClasses, seed } = resolveOptions(
    'model "lenet5"',
    LENET5_DEFAULTS,
    options,
  );
  const uniform = (fanIn: number, i: number, which: number) =>
    tfl.initializers.randomUniform(pytorchDefaultUniform(fanIn, layerSeed(seed, 2 * i + which)));
  const conv = (name: string, filters: number, fanIn: number, i: number) =>
    tfl.layers.conv2d({
      name,
      filters,
      kernelSize: 5,
      padding: 'valid',
      activation: 'relu',
      kernelInitializer: uniform(fanIn, i, 0),
      biasInitializer: uniform(fanIn, i, 1),
      ...(i === 1 ? { inputShape } : {}),
    });
  const dense = (name: string, units: number, fanIn: number, i: number, relu: boolean) =>
    tfl.layers.dense({
      name,
      units,
      activation: relu ? 'relu' : 'linear',
      kernelInitializer: uniform(fanIn, i, 0),
      biasInitializer: uniform(fanIn, i, 1),
    });
  const model = tfl.sequential({ name: 'lenet5' });
  model.add(conv('conv1', 6, inputShape[2] * 25, 1));
  model.add(tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2, strides: 2 }));
  model.add(conv('conv2', 16, 6 * 25, 2));
  model.add(tfl.layers.maxPooling2d({ name: 'pool2', poolSize: 2, strides: 2 }));
  model.add(tfl.layers.flatten({ name: 'flatten' }));
  const flat = model.outputs[0].shape[1] as number;
  model.add(dense('fc1', 120, flat, 3, true));
  model.add(dense('fc2', 84, 120, 4, true));
  model.add(dense('logits', numClasses, 84, 5, false));
  return model;
}
