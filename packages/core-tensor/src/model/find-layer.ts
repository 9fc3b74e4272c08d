import type * as tfl from '@tensorflow/tfjs-layers';
import { LayerNotFoundError } from '../errors/trustgrad-error';

type Layer = tfl.layers.Layer;

/**
 * Every layer of `model`, nested models' layers included (after the nested
 * model itself), in the model's topological order.
 */
export function allLayers(model: tfl.LayersModel): Layer[] {
  const out: Layer[] = [];
  for (const layer of model.layers) {
    out.push(layer);
    const nested = (layer as unknown as { layers?: Layer[] }).layers;
    if (Array.isArray(nested)) out.push(...allLayers(layer as unknown as tfl.LayersModel));
  }
  return out;
}

/**
 * The one layer lookup of trustgrad (Grad-CAM's `layer`, the metrics'
 * `representation`, `insertSmoothing`'s `after`): by name (nested models
 * searched too) or by index into `model.layers`. Fails with
 * {@link LayerNotFoundError} listing the model's layers as `index name`.
 *
 * @example findLayer(fmnistCnn(), 'conv2'); findLayer(model, 0);
 */
export function findLayer(model: tfl.LayersModel, nameOrIndex: string | number): Layer {
  const listing = () => model.layers.map((l, i) => `${i} ${l.name}`).join(', ');
  if (typeof nameOrIndex === 'number') {
    if (!Number.isInteger(nameOrIndex) || nameOrIndex < 0 || nameOrIndex >= model.layers.length) {
      throw new LayerNotFoundError(
        `model "${model.name}" has no layer at index ${nameOrIndex}; give an index 0..${model.layers.length - 1} ` +
          `or a name. Its layers: ${listing()}`,
      );
    }
    return model.layers[nameOrIndex];
  }
  const layer = allLayers(model).find((l) => l.name === nameOrIndex);
  if (!layer) {
    throw new LayerNotFoundError(
      `model "${model.name}" has no layer named "${nameOrIndex}". Its layers: ${listing()}`,
    );
  }
  return layer;
}
