import type * as tfl from '@tensorflow/tfjs-layers';
import { allLayers, InvalidOptionError } from '@trustgrad/core-tensor';
import { isLayersModel, type ModelLike } from '../model/model-like';
import { UnsupportedLayerError } from './unsupported-layer-error';

type Layer = tfl.layers.Layer;

/** Activations the propagation rules handle: ReLU (a rule of its own) and the identity. */
const ACTIVATIONS = new Set(['relu', 'linear']);

/** Containers whose own layers are listed (and checked) after them by `allLayers`. */
const CONTAINERS = new Set(['Sequential', 'Functional', 'Model']);

/** The class name and, where it has one, the activation of `layer`. */
export function describeLayer(layer: Layer): { className: string; activation?: string } {
  const activation = (layer as unknown as { activation?: { getClassName(): string } | null })
    .activation;
  return { className: layer.getClassName(), activation: activation?.getClassName() };
}

/**
 * Checks that every layer of `model` is one `method` has a rule for, and
 * returns the layers (nested models flattened). Fails with
 * {@link UnsupportedLayerError} naming the first other layer, its class or
 * activation, and the supported ones.
 */
export function checkLayers(
  model: ModelLike,
  method: string,
  supported: ReadonlySet<string>,
): { model: tfl.LayersModel; layers: Layer[] } {
  if (!isLayersModel(model)) {
    throw new InvalidOptionError(
      `${method} needs a tfl.LayersModel (it propagates through the model's layers); a plain function or predict() object has no layers`,
    );
  }
  const layers = allLayers(model);
  for (const layer of layers) {
    const { className, activation } = describeLayer(layer);
    if (CONTAINERS.has(className)) continue;
    if (!supported.has(className)) {
      throw new UnsupportedLayerError(
        `${method} has no rule for layer "${layer.name}" (${className}); it supports ${[...supported].join(', ')}. ` +
          'Use a gradient method (ig, gradient-shap) for this model',
      );
    }
    if (activation !== undefined && !ACTIVATIONS.has(activation)) {
      throw new UnsupportedLayerError(
        `${method} has no rule for the "${activation}" activation of layer "${layer.name}" (${className}); ` +
          'it supports relu and linear activations. Use a gradient method (ig, gradient-shap) for this model',
      );
    }
  }
  return { model, layers };
}
