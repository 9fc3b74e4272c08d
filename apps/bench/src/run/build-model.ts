import type * as tfl from '@tensorflow/tfjs-layers';
import { mixSeed, modelRegistry, ShapeError } from '@trustgrad/core-tensor';
import { type InsertSmoothingOptions, insertSmoothing } from '@trustgrad/smoothing-layer';
import type { ExperimentConfig } from '../config/schema';

/** What the data fix about a model: the image shape it takes and the classes it scores. */
export interface DataShape {
  /** `[h, w, c]` of one image. */
  imageShape: readonly number[];
  numClasses: number;
}

/**
 * The model of one variant: the registered model (weights from the run's
 * seed, so every variant starts from the same initialisation) with the FMS
 * block ({@link smoothingOptions}) after `config.smoothing.after` when the
 * variant asks for smoothing.
 */
export function buildModel(
  config: ExperimentConfig,
  smoothing: boolean,
  data: DataShape,
): tfl.LayersModel {
  const base = modelRegistry.get(config.model.name).build({
    inputShape: [...data.imageShape],
    numClasses: data.numClasses,
    seed: config.seed,
    ...config.model.options,
  });
  if (!smoothing) return base;
  try {
    return insertSmoothing(base, smoothingOptions(config));
  } finally {
    base.dispose();
  }
}

/**
 * `insertSmoothing`'s options of `config.smoothing`: the bare Gaussian's, or
 * with `block: 'paper'` the authors' block's, its 1×1 convolution seeded from
 * the run's seed (`mixSeed(seed, 'paper-block')`) unless `smoothing.seed` is set.
 */
export function smoothingOptions(config: ExperimentConfig): InsertSmoothingOptions {
  const s = config.smoothing;
  if (s.block === 'paper') {
    return {
      ...definedOnly(s),
      block: 'paper',
      seed: s.seed ?? mixSeed(config.seed, 'paper-block'),
    } as InsertSmoothingOptions;
  }
  const { sigma, after, padding, kernelSize } = s;
  return { after, sigma, padding, ...(kernelSize ? { kernelSize } : {}) };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Builds the config's model once and fails before any training when its
 * declared input shape or its number of logits does not match the data, e.g.
 * a 128 px ResNet given 160 px ImageNette images.
 */
export function checkModelFitsData(config: ExperimentConfig, data: DataShape): void {
  const model = buildModel(config, false, data);
  try {
    const input = model.inputs[0].shape.slice(1);
    const output = model.outputs[0].shape;
    if (input.join() !== data.imageShape.join()) {
      throw new ShapeError(
        `model "${config.model.name}" takes [${input.join(', ')}] images but dataset "${config.dataset.name}" gives [${data.imageShape.join(', ')}]; ` +
          'make them agree: set the image size on the data (e.g. dataset.options.imageSize) and leave model.options.inputShape out',
      );
    }
    if (output.length !== 2 || output[1] !== data.numClasses) {
      throw new ShapeError(
        `model "${config.model.name}" outputs [${output.join(', ')}] but dataset "${config.dataset.name}" has ${data.numClasses} classes; ` +
          'expected logits [batch, classes] (leave model.options.numClasses out, the bench sets it from the data)',
      );
    }
  } finally {
    model.dispose();
  }
}
