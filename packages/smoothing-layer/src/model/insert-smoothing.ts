import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { findLayer, InvalidOptionError, resolveOptions, ShapeError } from '@trustgrad/core-tensor';
import { GaussianSmoothing } from '../layer/gaussian-smoothing';
import { PaperSmoothingBlock } from '../layer/paper-smoothing-block';
import { PAPER_BLOCK_DEFAULTS, type PaperBlockOptions } from '../options/paper-block-options';
import { SMOOTHING_OPTION_DEFAULTS, type SmoothingOptions } from '../options/smoothing-options';
import { formatShape } from '../shape/format-shape';

/** Which block {@link insertSmoothing} inserts: the bare Gaussian or the authors' residual block. */
export type SmoothingBlockKind = 'gaussian' | 'paper';

/** Every {@link SmoothingBlockKind}. */
export const SMOOTHING_BLOCK_KINDS: readonly SmoothingBlockKind[] = ['gaussian', 'paper'];

/** Where {@link insertSmoothing} puts the block and what it names it. */
export interface SmoothingPlacement {
  /** The layer whose output is smoothed: its name, or its index in `model.layers`. */
  after: string | number;
  /** Name of the inserted layer. Default `<after>_smoothing`. */
  name?: string;
}

/**
 * Options of {@link insertSmoothing}: the placement, the block kind and that block's own
 * options — {@link SmoothingOptions} for `block: 'gaussian'` (the default, a bare
 * {@link GaussianSmoothing}), {@link PaperBlockOptions} for `block: 'paper'`
 * (a {@link PaperSmoothingBlock}, `x + Conv1×1(filter(x))`).
 */
export type InsertSmoothingOptions =
  | (SmoothingPlacement & SmoothingOptions & { block?: 'gaussian' })
  | (SmoothingPlacement & PaperBlockOptions & { block: 'paper' });

type Layer = tfl.layers.Layer;
type LayerClass = [
  tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  tf.serialization.FromConfigMethod<tf.serialization.Serializable>,
];

/**
 * Returns a new model equal to `model` with a smoothing block (a bare
 * {@link GaussianSmoothing}, or with `block: 'paper'` the authors'
 * {@link PaperSmoothingBlock}) inserted after one of its layers: every consumer of that layer's output
 * (the next layer of a sequential model, all branches of a residual model)
 * reads the smoothed feature map instead. Every other layer is cloned from its
 * config and gets a copy of the original's weights, so the two models are
 * independent; the original is left untouched. The result is a functional
 * `tfl.LayersModel` (not compiled) for sequential and functional inputs alike.
 *
 * @param model any `tfl.LayersModel` (sequential or functional, e.g. a ResNet)
 * @param options `after` (layer name or index into `model.layers`), `block`, the
 *   block's options and its `name`
 * @throws {@link LayerNotFoundError} naming the model's layers when `after` is unknown
 * @throws InvalidOptionError on an unknown option (`{ sigm: 1 }`), naming the known ones
 * @throws ShapeError when that layer's output is not a `[batch, h, w, c]` feature map
 * @throws InvalidOptionError on an unknown block kind or an option the block does not have
 *
 * @example
 * const smoothed = insertSmoothing(fmnistCnn({ seed: 0 }), { after: 'conv1', sigma: 1 });
 * smoothed.layers.map((l) => l.name); // [..., 'conv1', 'conv1_smoothing', 'pool1', ...]
 * const paper = insertSmoothing(lenet5({ seed: 0 }), { after: 'pool1', block: 'paper' });
 * paper.getLayer('pool1_smoothing'); // PaperSmoothingBlock: 3×3 Gaussian, σ 2.15, reflect
 */
export function insertSmoothing(
  model: tfl.LayersModel,
  options: InsertSmoothingOptions,
): tfl.LayersModel {
  const { after, name, block: kind = 'gaussian', ...blockOptions } = options;
  if (!SMOOTHING_BLOCK_KINDS.includes(kind)) {
    throw new InvalidOptionError(
      `insertSmoothing: block "${String(kind)}" is unknown; use one of ${SMOOTHING_BLOCK_KINDS.join(', ')}`,
    );
  }
  const blockDefaults =
    kind === 'paper' ? { ...PAPER_BLOCK_DEFAULTS, padding: undefined } : SMOOTHING_OPTION_DEFAULTS;
  resolveOptions(
    `insertSmoothing() with the ${kind} block`,
    { ...blockDefaults, after: undefined, name: undefined, block: undefined },
    options,
  );
  const target = findLayer(model, after);
  const targetOutputs = target.inboundNodes.flatMap((node) => node.outputTensors);
  const nonFeatureMap = targetOutputs.find((t) => t.shape.length !== 4);
  if (nonFeatureMap) {
    const featureMapLayers = model.layers
      .filter((l) => l.inboundNodes.some((n) => n.outputTensors.every((t) => t.shape.length === 4)))
      .map((l) => l.name);
    throw new ShapeError(
      `layer "${target.name}" outputs shape [${formatShape(nonFeatureMap.shape)}]; smoothing needs a ` +
        `[batch, height, width, channels] feature map. Layers of "${model.name}" with one: ${featureMapLayers.join(', ')}`,
    );
  }
  const blockName = name ?? `${target.name}_smoothing`;
  if (model.layers.some((l) => l.name === blockName)) {
    throw new InvalidOptionError(
      `model "${model.name}" already has a layer named "${blockName}"; pass another name in options.name`,
    );
  }
  const block =
    kind === 'paper'
      ? new PaperSmoothingBlock({ ...(blockOptions as PaperBlockOptions), name: blockName })
      : new GaussianSmoothing({ ...(blockOptions as SmoothingOptions), name: blockName });

  const clones = new Map<Layer, Layer>();
  const rebuilt = new Map<number, tfl.SymbolicTensor>();

  const rebuild = (tensor: tfl.SymbolicTensor): tfl.SymbolicTensor => {
    const done = rebuilt.get(tensor.id);
    if (done) return done;
    const layer = tensor.sourceLayer;
    if (layer.getClassName() === 'InputLayer') {
      const input = tfl.input({ batchShape: tensor.shape, dtype: tensor.dtype, name: layer.name });
      rebuilt.set(tensor.id, input);
      return input;
    }
    const node = layer.inboundNodes[tensor.nodeIndex];
    const inputs = node.inputTensors.map(rebuild);
    let clone = clones.get(layer);
    if (!clone) {
      clone = cloneLayer(layer);
      clones.set(layer, clone);
    }
    const applied = clone.apply(inputs.length === 1 ? inputs[0] : inputs, node.callArgs);
    const outputs = (Array.isArray(applied) ? applied : [applied]) as tfl.SymbolicTensor[];
    node.outputTensors.forEach((original, i) => {
      const output =
        layer === target ? (block.apply(outputs[i]) as tfl.SymbolicTensor) : outputs[i];
      rebuilt.set(original.id, output);
    });
    const result = rebuilt.get(tensor.id);
    if (!result) {
      throw new ShapeError(
        `layer "${layer.name}" did not produce output ${tensor.tensorIndex} while rebuilding the model`,
      );
    }
    return result;
  };

  const outputs = model.outputs.map(rebuild);
  const inputs = model.inputs.map((t) => {
    const input = rebuilt.get(t.id);
    if (!input) {
      throw new ShapeError(
        `input "${t.name}" of model "${model.name}" is not connected to its outputs`,
      );
    }
    return input;
  });
  const result = tfl.model({ inputs, outputs, name: `${model.name}_smoothed` });
  for (const [original, clone] of clones) {
    clone.setWeights(original.getWeights());
  }
  return result;
}

/** A fresh layer of the same class and config (weights are copied once the new graph has built it). */
function cloneLayer(layer: Layer): Layer {
  const className = layer.getClassName();
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className] as
    | LayerClass
    | undefined;
  if (!entry) {
    throw new InvalidOptionError(
      `layer "${layer.name}" is a ${className}, which is not registered with tf.serialization; ` +
        'register custom layers with tf.serialization.registerClass before calling insertSmoothing',
    );
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, layer.getConfig()) as Layer;
}
