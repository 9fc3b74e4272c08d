import * as tfl from '@tensorflow/tfjs-layers';
import { resolveOptions } from '../options/resolve-options';
import { layerSeed, type ZooModelOptions } from './model-options';

/** Options of {@link fmnistCnn}. */
export interface FmnistCnnOptions extends ZooModelOptions {
  /** Filters of the two conv layers. Default [32, 64]. */
  filters?: [number, number];
  /** Units of the hidden dense layer. Default 128. */
  hiddenUnits?: number;
}

/** Defaults of {@link fmnistCnn}; the keys are its accepted options. */
export const FMNIST_CNN_DEFAULTS: Readonly<Required<FmnistCnnOptions>> = Object.freeze<
  Required<FmnistCnnOptions>
>({
  inputShape: [28, 28, 1],
  numClasses: 10,
  seed: 0,
  filters: [32, 64],
  hiddenUnits: 128,
});

/**
 * The Fashion-MNIST CNN of the FMS paper's small-image experiments: two 3×3
 * conv + ReLU + 2×2 max-pool stages, a dense hidden layer and a logits layer.
 * Layers are named (`conv1`, `pool1`, `conv2`, `pool2`, `flatten`, `fc1`,
 * `logits`) so a smoothing block can be inserted after any of them.
 *
 * Input `[batch, 28, 28, 1]`, output logits `[batch, numClasses]` (no softmax).
 *
 * @example
 * const model = fmnistCnn({ seed: 0 });
 * model.predict(tf.zeros([1, 28, 28, 1])); // [1, 10] logits
 */
export function fmnistCnn(options: FmnistCnnOptions = {}): tfl.LayersModel {
  const { inputShape, numClasses, seed, filters, hiddenUnits } = resolveOptions(
    'model "fmnist-cnn"',
    FMNIST_CNN_DEFAULTS,
    options,
  );
  const init = (i: number) => tfl.initializers.glorotUniform({ seed: layerSeed(seed, i) });
  const model = tfl.sequential({ name: 'fmnist_cnn' });
  model.add(
    tfl.layers.conv2d({
      name: 'conv1',
      inputShape,
      filters: filters[0],
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(1),
    }),
  );
  model.add(tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 2 }));
  model.add(
    tfl.layers.conv2d({
      name: 'conv2',
      filters: filters[1],
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: init(2),
    }),
  );
  model.add(tfl.layers.maxPooling2d({ name: 'pool2', poolSize: 2 }));
  model.add(tfl.layers.flatten({ name: 'flatten' }));
  model.add(
    tfl.layers.dense({
      name: 'fc1',
      units: hiddenUnits,
      activation: 'relu',
      kernelInitializer: init(3),
    }),
  );
  model.add(tfl.layers.dense({ name: 'logits', units: numClasses, kernelInitializer: init(4) }));
  return model;
}
