import type * as tfl from '@tensorflow/tfjs-layers';
import {
  cifarResNet,
  fmnistCnn,
  InvalidOptionError,
  imagenetteResNet18,
  Registry,
} from '@trustgrad/core-tensor';

/**
 * A model the bench can build by name: a plain object, like every other plugin.
 * `build` receives the config's `model.options` over the run's `inputShape`
 * (`[h, w, c]` of the data), `numClasses` (of the data) and `seed`, and returns
 * a `LayersModel` that outputs logits `[batch, numClasses]`.
 */
export interface ModelPlugin {
  readonly name: string;
  /** One line: the architecture and what it is for. */
  readonly description: string;
  build(options: Record<string, unknown>): tfl.LayersModel;
}

/** Every model the bench knows by config name, built-in or registered by a plugin module. */
export const modelRegistry = new Registry<ModelPlugin>('model');

/**
 * Makes and registers a model plugin, so a config can name it in `model.name`.
 *
 * @example
 * defineModel({
 *   name: 'tiny-mlp',
 *   description: 'flatten → dense 16 → logits',
 *   build: ({ inputShape, numClasses }) => tfl.sequential({ layers: [
 *     tfl.layers.flatten({ inputShape: inputShape as number[] }),
 *     tfl.layers.dense({ units: 16, activation: 'relu', name: 'fc1' }),
 *     tfl.layers.dense({ units: numClasses as number, name: 'logits' }),
 *   ] }),
 * });
 */
export function defineModel(plugin: ModelPlugin): ModelPlugin {
  if (typeof plugin?.build !== 'function') {
    throw new InvalidOptionError(
      `model "${plugin?.name}" needs a build(options) function returning a tfjs LayersModel`,
    );
  }
  return modelRegistry.register(Object.freeze({ ...plugin }));
}

// The built-ins go through the same door as a user's model.
defineModel({
  name: 'fmnist-cnn',
  description: 'two 3×3 conv + pool stages, dense fc1, logits (Fashion-MNIST, 28×28×1)',
  build: (o) => fmnistCnn(o),
});
defineModel({
  name: 'cifar-resnet',
  description: 'CIFAR ResNet (He et al. 2016), depth 6n+2, width 16 (32×32×3)',
  build: (o) => cifarResNet(o),
});
defineModel({
  name: 'imagenette-resnet18',
  description: 'ResNet-18 with a 7×7 stride-2 stem for 64–160 px images (ImageNette)',
  build: (o) => imagenetteResNet18(o),
});
